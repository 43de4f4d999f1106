import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentEntity } from '../../appointments/appointment.entity';
import { StaffEntity } from '../../staff/staff.entity';
import type { RemsForm, SedatingMedicationClass } from '../domain/rems-form';

/**
 * The REMS Patient Monitoring Form of one Spravato session, created with the dose. It holds what only
 * the provider can answer; everything else is built from the chart. Once submitted it is frozen: the
 * form as submitted is kept in `submittedForm`, and a trigger refuses any later UPDATE (and every DELETE).
 */
@Entity('rems_forms')
@Index('uq_rems_forms_appointment', ['appointmentId'], { unique: true })
@Index('ix_rems_forms_pending_due', ['dueAt'], { where: '"submitted_at" IS NULL' })
@Check(
  'ck_rems_forms_medications',
  `"concomitant_sedating_medications" <@ ARRAY['benzodiazepine', 'sedative_hypnotic', 'psychostimulant', 'maoi', 'opioid']::text[]`,
)
@Check('ck_rems_forms_submitted', '("submitted_at" IS NULL) = ("submitted_by" IS NULL) AND ("submitted_at" IS NULL) = ("submitted_form" IS NULL)')
export class RemsFormEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  appointmentId: string;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_rems_forms_appointment' })
  appointment?: AppointmentEntity;

  /** 7 days after dosing. */
  @Column({ type: 'timestamptz' })
  dueAt: Date;

  /** Empty = none; null = not answered yet. */
  @Column({ type: 'text', array: true, nullable: true })
  concomitantSedatingMedications: SedatingMedicationClass[] | null;

  @Column({ type: 'boolean', nullable: true })
  respiratoryDepression: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  seriousAdverseEvents: boolean | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  seriousAdverseEventsDescription: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  readyToLeaveAt: Date | null;

  @Column({ type: 'boolean', nullable: true })
  vitalsAcceptableBefore: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  vitalsAcceptableAtEnd: boolean | null;

  @Column({ type: 'uuid', nullable: true })
  updatedBy: string | null;

  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'updated_by', foreignKeyConstraintName: 'fk_rems_forms_updated_by' })
  updater?: StaffEntity;

  @Column({ type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  submittedBy: string | null;

  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'submitted_by', foreignKeyConstraintName: 'fk_rems_forms_submitted_by' })
  submitter?: StaffEntity;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  submittedForm: RemsForm | null;
}
