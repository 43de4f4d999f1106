import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PatientEntity } from '../patients/patient.entity';
import type { WaitlistType } from './domain/offer-status';
import type { TimeWindow } from './domain/waitlist-fit';

export const WAITLIST_ENTRY_STATUSES = ['active', 'booked', 'removed'] as const;
export type WaitlistEntryStatus = (typeof WAITLIST_ENTRY_STATUSES)[number];

/**
 * A patient waiting for an earlier or a better slot: a treatment, the clinics and dates they can come, the
 * times of day that suit them, and a priority. Offered freed slots in priority order, then oldest first;
 * `booked` once an offer is taken, `removed` when staff take it off the list.
 */
@Entity('waitlist_entries')
@Index('ix_waitlist_entries_queue', ['type', 'priority', 'createdAt'], { where: `"status" = 'active'` })
@Index('ix_waitlist_entries_patient', ['patientId'])
@Check('ck_waitlist_entries_type', `"type" IN ('spravato', 'ketamine', 'tms', 'ect')`)
@Check('ck_waitlist_entries_status', `"status" IN ('active', 'booked', 'removed')`)
@Check('ck_waitlist_entries_priority', '"priority" BETWEEN 0 AND 9')
@Check('ck_waitlist_entries_dates', '"to_date" >= "from_date"')
@Check('ck_waitlist_entries_locations', 'cardinality("location_ids") BETWEEN 1 AND 10')
export class WaitlistEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  patientId: string;

  @ManyToOne(() => PatientEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_waitlist_entries_patient' })
  patient?: PatientEntity;

  @Column({ type: 'varchar', length: 20 })
  type: WaitlistType;

  /** The clinics the patient can come to (any of them). */
  @Column({ type: 'uuid', array: true })
  locationIds: string[];

  /** Clinic-local dates, inclusive. */
  @Column({ type: 'date' })
  fromDate: string;

  @Column({ type: 'date' })
  toDate: string;

  /** When a slot suits (its start inside one); empty: any time the clinic is open. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  windows: TimeWindow[];

  /** 0–9, higher first. */
  @Column({ type: 'smallint', default: 0 })
  priority: number;

  @Column({ type: 'varchar', length: 10, default: 'active' })
  status: WaitlistEntryStatus;

  /** The appointment an accepted offer booked. */
  @Column({ type: 'uuid', nullable: true })
  appointmentId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
