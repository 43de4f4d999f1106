import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PatientEntity } from './patient.entity';
import type { TrialOutcome } from './domain/medication-trials';

/** An antidepressant trial in the current episode; failed adequate trials make a patient eligible (TRD). */
@Entity('medication_trials')
@Index('ix_medication_trials_patient', ['patientId'])
@Check('ck_medication_trials_outcome', `"outcome" IN ('no_response', 'partial_response', 'intolerant', 'response')`)
@Check('ck_medication_trials_weeks', '"weeks" >= 0')
export class MedicationTrialEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  patientId: string;

  @ManyToOne(() => PatientEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_medication_trials_patient' })
  patient?: PatientEntity;

  @Column({ type: 'varchar', length: 100 })
  medication: string;

  @Column({ type: 'varchar', length: 60 })
  drugClass: string;

  @Column({ type: 'date' })
  startedOn: string;

  @Column({ type: 'int' })
  weeks: number;

  /** Adequate dose for an adequate time (≥ 6 weeks), as judged by the prescriber. */
  @Column({ type: 'boolean' })
  adequate: boolean;

  @Column({ type: 'varchar', length: 20 })
  outcome: TrialOutcome;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
