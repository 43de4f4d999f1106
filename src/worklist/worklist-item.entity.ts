import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { LocationEntity } from '../locations/location.entity';
import { PatientEntity } from '../patients/patient.entity';
import { StaffEntity } from '../staff/staff.entity';
import type { WorklistKind } from './domain/worklist-kinds';

/**
 * One thing for the front desk of a clinic to handle. Open until done: marked by staff, or resolved by the
 * service when what it is about goes away (the appointment moved or cancelled). `detail` may name times and
 * rules, never a patient's name or phone number (the patient is the id).
 */
@Entity('worklist_items')
@Index('ix_worklist_items_open', ['locationId', 'createdAt'], { where: '"done_at" IS NULL' })
@Index('ix_worklist_items_appointment', ['appointmentId'])
// The same open item is never listed twice (a retried closure, a replayed reply).
@Index('uq_worklist_items_open_key', ['dedupeKey'], { unique: true, where: '"done_at" IS NULL AND "dedupe_key" IS NOT NULL' })
@Check('ck_worklist_items_kind', `"kind" IN ('reschedule-request', 'closure-affected', 'chair-conflict', 'unmatched-reply', 'offer-expired')`)
export class WorklistItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 30 })
  kind: WorklistKind;

  @Column({ type: 'uuid' })
  locationId: string;

  @ManyToOne(() => LocationEntity)
  @JoinColumn({ name: 'location_id', foreignKeyConstraintName: 'fk_worklist_items_location' })
  location?: LocationEntity;

  @Column({ type: 'uuid', nullable: true })
  appointmentId: string | null;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_worklist_items_appointment' })
  appointment?: AppointmentEntity;

  @Column({ type: 'uuid', nullable: true })
  patientId: string | null;

  @ManyToOne(() => PatientEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_worklist_items_patient' })
  patient?: PatientEntity;

  @Column({ type: 'varchar', length: 1000 })
  detail: string;

  /** What makes an item the same as another while open (e.g. `closure-affected:<appointment id>`). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  dedupeKey: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  doneAt: Date | null;

  /** Null when the service resolved it (the appointment was moved or cancelled). */
  @Column({ type: 'uuid', nullable: true })
  doneBy: string | null;

  @ManyToOne(() => StaffEntity)
  @JoinColumn({ name: 'done_by', foreignKeyConstraintName: 'fk_worklist_items_done_by' })
  doneByStaff?: StaffEntity;

  @Column({ type: 'varchar', length: 200, nullable: true })
  resolution: string | null;
}
