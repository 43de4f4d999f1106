import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { StaffEntity } from '../staff/staff.entity';

export const SESSION_EVENT_KINDS = ['check_in', 'start', 'treatment_end', 'discharge'] as const;
export type SessionEventKind = (typeof SESSION_EVENT_KINDS)[number];

/**
 * One step of a session at the chair (check-in, start, end of the infusion or ECT treatment, discharge),
 * with who recorded it. Append-only (a trigger refuses UPDATE and DELETE); each step happens once.
 * The dose is its own record (`doses`).
 */
@Entity('session_events')
@Index('uq_session_events_appointment_kind', ['appointmentId', 'kind'], { unique: true })
@Check('ck_session_events_kind', `"kind" IN ('check_in', 'start', 'treatment_end', 'discharge')`)
export class SessionEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  appointmentId: string;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_session_events_appointment' })
  appointment?: AppointmentEntity;

  @Column({ type: 'varchar', length: 20 })
  kind: SessionEventKind;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_session_events_recorded_by' })
  recorder?: StaffEntity;

  /** Discharge: the ride home was confirmed. */
  @Column({ type: 'boolean', nullable: true })
  rideConfirmed: boolean | null;

  /** Discharge: the ride home is a ride-share. */
  @Column({ type: 'boolean', nullable: true })
  rideShare: boolean | null;

  /** Discharge after ECT: the adult who takes the patient home. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  escortName: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  notes: string | null;
}
