import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { LocationEntity } from '../locations/location.entity';
import { PatientEntity } from '../patients/patient.entity';

/**
 * A slot held for a while without a booking (a waitlist offer waiting for the patient's YES, a FHIR
 * `$hold`). What it holds are rows of `appointment_segments` with this `hold_id`, so the resource is
 * occupied under the very exclusion constraint that keeps bookings apart. It expires by itself: from
 * `expires_at` on, the calendar read ignores it (availability shows the slot, a booking releases the row)
 * and the holder's clean-up deletes it; deleting the hold deletes its segments.
 */
@Entity('resource_holds')
@Index('ix_resource_holds_expires', ['expiresAt'])
@Index('ix_resource_holds_patient', ['patientId'])
export class ResourceHoldEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  locationId: string;

  @ManyToOne(() => LocationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'location_id', foreignKeyConstraintName: 'fk_resource_holds_location' })
  location?: LocationEntity;

  /** For whom, when the hold is for one patient (a waitlist offer). */
  @Column({ type: 'uuid', nullable: true })
  patientId: string | null;

  @ManyToOne(() => PatientEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_resource_holds_patient' })
  patient?: PatientEntity;

  /** Why: `waitlist-offer`, `fhir-hold` … (no patient data). */
  @Column({ type: 'varchar', length: 40 })
  reason: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
