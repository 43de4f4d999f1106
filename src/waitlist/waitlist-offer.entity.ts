import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { ResourceHoldEntity } from '../appointments/resource-hold.entity';
import type { AppointmentType } from '../appointments/domain/vocabulary';
import { LocationEntity } from '../locations/location.entity';
import { ResourceEntity } from '../locations/resource.entity';
import { PatientEntity } from '../patients/patient.entity';
import type { OfferStatusWord } from './domain/offer-status';
import { WaitlistEntryEntity } from './waitlist-entry.entity';

/**
 * A freed slot offered by text to one waitlisted patient, held for them (`hold_id`) until `expires_at`.
 * `offered` until the patient answers YES (accepted: `appointment_id`), NO (declined), or nothing (expired);
 * withdrawn when the patient opted out, the entry was removed, or the booking failed. A slot (a resource at
 * a start) has at most one open offer, an entry one, a patient one (so that a YES is never ambiguous).
 */
@Entity('waitlist_offers')
@Index('uq_waitlist_offers_open_slot', ['resourceId', 'startsAt'], { unique: true, where: `"status" = 'offered'` })
@Index('uq_waitlist_offers_open_entry', ['entryId'], { unique: true, where: `"status" = 'offered'` })
@Index('uq_waitlist_offers_open_patient', ['patientId'], { unique: true, where: `"status" = 'offered'` })
@Index('ix_waitlist_offers_slot', ['locationId', 'startsAt'])
@Index('ix_waitlist_offers_offered', ['locationId', 'offeredAt'])
@Index('ix_waitlist_offers_expiry', ['expiresAt'], { where: `"status" = 'offered'` })
@Check('ck_waitlist_offers_status', `"status" IN ('offered', 'accepted', 'declined', 'expired', 'withdrawn')`)
export class WaitlistOfferEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  entryId: string;

  @ManyToOne(() => WaitlistEntryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_waitlist_offers_entry' })
  entry?: WaitlistEntryEntity;

  @Column({ type: 'uuid' })
  patientId: string;

  @ManyToOne(() => PatientEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_waitlist_offers_patient' })
  patient?: PatientEntity;

  @Column({ type: 'uuid' })
  locationId: string;

  @ManyToOne(() => LocationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'location_id', foreignKeyConstraintName: 'fk_waitlist_offers_location' })
  location?: LocationEntity;

  @Column({ type: 'varchar', length: 20 })
  type: AppointmentType;

  /** The freed resource (an ECT slot also holds a recovery bay). */
  @Column({ type: 'uuid' })
  resourceId: string;

  @ManyToOne(() => ResourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'fk_waitlist_offers_resource' })
  resource?: ResourceEntity;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'uuid', nullable: true })
  holdId: string | null;

  @ManyToOne(() => ResourceHoldEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'hold_id', foreignKeyConstraintName: 'fk_waitlist_offers_hold' })
  hold?: ResourceHoldEntity;

  @Column({ type: 'varchar', length: 10 })
  status: OfferStatusWord;

  /** When the slot was freed (the cancellation), for the time it took to fill it. */
  @Column({ type: 'timestamptz' })
  freedAt: Date;

  /** When the offer was made (its text handed to the outbox); by the service's clock. */
  @Column({ type: 'timestamptz' })
  offeredAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  respondedAt: Date | null;

  /** Why it was withdrawn (opt-out, entry removed, the booking was refused …). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  closedReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  appointmentId: string | null;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_waitlist_offers_appointment' })
  appointment?: AppointmentEntity;

  /** The appointment whose cancellation (or move) freed the slot. */
  @Column({ type: 'uuid', nullable: true })
  sourceAppointmentId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
