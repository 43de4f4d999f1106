import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Treatment } from '../appointments/domain/vocabulary';
import { PatientEntity } from './patient.entity';

/** A payer's prior authorization: a treatment, a number of approved sessions and a validity window. */
@Entity('authorizations')
@Index('ix_authorizations_patient_treatment', ['patientId', 'treatment'])
@Check('ck_authorizations_treatment', `"treatment" IN ('spravato', 'ketamine', 'tms', 'ect')`)
@Check('ck_authorizations_sessions', '"approved_sessions" > 0')
@Check('ck_authorizations_window', '"valid_to" >= "valid_from"')
@Check('ck_authorizations_trials', '"required_failed_trials" >= 0')
export class AuthorizationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  patientId: string;

  @ManyToOne(() => PatientEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_authorizations_patient' })
  patient?: PatientEntity;

  @Column({ type: 'varchar', length: 120 })
  payer: string;

  @Column({ type: 'varchar', length: 20 })
  treatment: Treatment;

  @Column({ type: 'int' })
  approvedSessions: number;

  @Column({ type: 'date' })
  validFrom: string;

  @Column({ type: 'date' })
  validTo: string;

  @Column({ type: 'int', default: 2 })
  requiredFailedTrials: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
