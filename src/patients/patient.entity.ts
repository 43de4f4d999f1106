import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { LocationEntity } from '../locations/location.entity';

@Entity('patients')
@Index('ix_patients_name', ['lastName', 'firstName'])
@Index('ix_patients_phone', ['phone'])
export class PatientEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  firstName: string;

  @Column({ type: 'varchar', length: 100 })
  lastName: string;

  @Column({ type: 'date' })
  dateOfBirth: string;

  /** E.164, e.g. +13035550100. */
  @Column({ type: 'varchar', length: 16 })
  phone: string;

  /** Consent to reminder texts; STOP turns it off, START back on. */
  @Column({ type: 'boolean', default: false })
  smsOptIn: boolean;

  @Column({ type: 'uuid', nullable: true })
  preferredLocationId: string | null;

  @ManyToOne(() => LocationEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'preferred_location_id', foreignKeyConstraintName: 'fk_patients_preferred_location' })
  preferredLocation?: LocationEntity;

  /** Spravato REMS patient enrolment; null = not enrolled (dosing is refused). */
  @Column({ type: 'timestamptz', nullable: true })
  remsEnrolledAt: Date | null;

  /** The date of the brain MRI accelerated TMS needs first; null = none on file. */
  @Column({ type: 'date', nullable: true })
  mriDate: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
