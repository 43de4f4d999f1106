import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { PatientEntity } from '../patients/patient.entity';

/** `held`: not sent while the clinic is closed on the appointment's day; pending again if it reopens, cancelled when it moves. */
export const REMINDER_STATUSES = ['pending', 'sent', 'failed', 'cancelled', 'suppressed', 'held'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/**
 * One planned text about one appointment: the outbox the dispatcher works through. A row is claimed
 * with a lease (`lease_until`, `claimed_by`) so that several instances never send it twice.
 */
@Entity('reminders')
@Index('ix_reminders_appointment', ['appointmentId', 'sendAt'])
@Index('ix_reminders_patient', ['patientId'])
@Index('ix_reminders_due', ['sendAt'], { where: `"status" = 'pending'` })
@Index('ix_reminders_provider_message', ['providerMessageId'], { where: '"provider_message_id" IS NOT NULL' })
// Once a day: one pending or sent text per patient and local date for once-a-day types (TMS), across appointments.
@Index('uq_reminders_patient_daily', ['patientId', 'dailyKey'], { unique: true, where: `"daily_key" IS NOT NULL AND "status" IN ('pending', 'sent')` })
@Index('uq_reminders_patient_daily_suppressed', ['patientId', 'dailyKey'], { unique: true, where: `"daily_key" IS NOT NULL AND "status" = 'suppressed'` })
@Check('ck_reminders_status', `"status" IN ('pending', 'sent', 'failed', 'cancelled', 'suppressed', 'held')`)
@Check('ck_reminders_attempts', '"attempts" >= 0')
export class ReminderEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  appointmentId: string;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_reminders_appointment' })
  appointment?: AppointmentEntity;

  @Column({ type: 'uuid' })
  patientId: string;

  @ManyToOne(() => PatientEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_reminders_patient' })
  patient?: PatientEntity;

  /** confirmation, rescheduled, 48h, 2h, evening_before … */
  @Column({ type: 'varchar', length: 30 })
  kind: string;

  @Column({ type: 'timestamptz' })
  sendAt: Date;

  @Column({ type: 'varchar', length: 20 })
  status: ReminderStatus;

  @Column({ type: 'text' })
  body: string;

  /** The patient-local date of a once-a-day text (TMS); null for other types. */
  @Column({ type: 'date', nullable: true })
  dailyKey: string | null;

  /** Claims so far (each claim is one try). */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** After a failure: not before this. */
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  /** Held by `claimed_by` until then; a crashed holder's claim lapses. */
  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  claimedBy: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  providerMessageId: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** The provider's last delivery report (queued, sent, delivered, undelivered, failed). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  deliveryStatus: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
