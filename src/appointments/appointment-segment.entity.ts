import { Check, Column, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ResourceEntity } from '../locations/resource.entity';
import { AppointmentEntity } from './appointment.entity';

export const SEGMENT_KINDS = ['treatment', 'recovery'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/**
 * One resource held by an appointment for a span of time (ECT: the suite, then a recovery bay).
 * `active` mirrors the appointment: false once it is cancelled or a no-show, which frees the resource.
 */
@Entity('appointment_segments')
@Index('ix_appointment_segments_appointment', ['appointmentId'])
@Check('ck_appointment_segments_kind', `"kind" IN ('treatment', 'recovery')`)
@Check('ck_appointment_segments_times', '"ends_at" > "starts_at"')
// A resource holds one patient at a time.
@Exclusion('ex_segments_resource_overlap', `USING gist ("resource_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE ("active")`)
export class AppointmentSegmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  appointmentId: string;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_appointment_segments_appointment' })
  appointment?: AppointmentEntity;

  @Column({ type: 'uuid' })
  resourceId: string;

  @ManyToOne(() => ResourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'fk_appointment_segments_resource' })
  resource?: ResourceEntity;

  @Column({ type: 'varchar', length: 12 })
  kind: SegmentKind;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}
