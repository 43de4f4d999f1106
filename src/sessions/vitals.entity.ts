import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { StaffEntity } from '../staff/staff.entity';
import type { VitalsTimepoint } from './domain/vitals';

/**
 * One set of vital signs taken during a session. Append-only (a trigger refuses UPDATE and DELETE): a
 * correction is a new entry whose `correctsId` names the entry it replaces, and an entry is corrected at
 * most once (the unique index), so corrections form a chain whose last link counts.
 * The CHECKs repeat the limits of domain/vitals.ts as the last line of defence.
 */
@Entity('vitals')
@Index('ix_vitals_appointment_taken', ['appointmentId', 'takenAt'])
@Index('uq_vitals_corrects', ['correctsId'], { unique: true, where: '"corrects_id" IS NOT NULL' })
@Check('ck_vitals_timepoint', `"timepoint" IN ('pre_dose', 'post_dose_40', 'intra', 'discharge', 'other')`)
@Check('ck_vitals_bp', '"systolic" BETWEEN 50 AND 300 AND "diastolic" BETWEEN 20 AND 200 AND "diastolic" < "systolic"')
@Check('ck_vitals_heart_rate', '"heart_rate" BETWEEN 20 AND 250')
@Check('ck_vitals_spo2', '"spo2" BETWEEN 50 AND 100')
@Check('ck_vitals_respiratory_rate', '"respiratory_rate" BETWEEN 4 AND 60')
@Check('ck_vitals_sedation', '"sedation_score" BETWEEN 0 AND 5')
@Check('ck_vitals_dissociation', '"dissociation_score" BETWEEN 0 AND 92')
export class VitalsEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  appointmentId: string;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_vitals_appointment' })
  appointment?: AppointmentEntity;

  @Column({ type: 'varchar', length: 20 })
  timepoint: VitalsTimepoint;

  @Column({ type: 'timestamptz' })
  takenAt: Date;

  @Column({ type: 'smallint' })
  systolic: number;

  @Column({ type: 'smallint' })
  diastolic: number;

  @Column({ type: 'smallint' })
  heartRate: number;

  @Column({ type: 'smallint' })
  spo2: number;

  @Column({ type: 'smallint', nullable: true })
  respiratoryRate: number | null;

  /** MOAA/S 0–5. */
  @Column({ type: 'smallint', nullable: true })
  sedationScore: number | null;

  /** CADSS total 0–92. */
  @Column({ type: 'smallint', nullable: true })
  dissociationScore: number | null;

  /** The clinician's judgement whether dissociation has resolved (required on Spravato discharge vitals). */
  @Column({ type: 'boolean', nullable: true })
  dissociationResolved: boolean | null;

  /** Why a reading was taken outside its window (a 40-minute BP at minute 62): it still counts. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  deviationReason: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  notes: string | null;

  @Column({ type: 'uuid', nullable: true })
  correctsId: string | null;

  @ManyToOne(() => VitalsEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'corrects_id', foreignKeyConstraintName: 'fk_vitals_corrects' })
  corrects?: VitalsEntity;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_vitals_recorded_by' })
  recorder?: StaffEntity;

  /** When it was charted (the service clock), as opposed to when it was taken. */
  @Column({ type: 'timestamptz' })
  recordedAt: Date;
}
