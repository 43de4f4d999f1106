import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RELEASED_STATUS_SQL } from './appointment-sql';
import type { DailyLimitGroup } from './domain/treatment-frequency';
import type { AppointmentStatus, AppointmentType, VisitMode } from './domain/vocabulary';
import { CourseEntity } from '../courses/course.entity';
import { LocationEntity } from '../locations/location.entity';
import { ResourceEntity } from '../locations/resource.entity';
import { PatientEntity } from '../patients/patient.entity';
import { StaffEntity } from '../staff/staff.entity';

@Entity('appointments')
@Index('ix_appointments_location_start', ['locationId', 'startsAt'])
@Index('ix_appointments_patient_start', ['patientId', 'startsAt'])
@Index('ix_appointments_location_observation', ['locationId', 'observationStartsAt'])
@Check('ck_appointments_type', `"type" IN ('spravato', 'ketamine', 'tms', 'ect', 'intake', 'follow_up')`)
@Check('ck_appointments_status', `"status" IN ('scheduled', 'checked_in', 'in_treatment', 'observing', 'discharged', 'cancelled', 'no_show')`)
@Check('ck_appointments_mode', `"mode" IN ('inPerson', 'telehealth')`)
@Check('ck_appointments_times', '"ends_at" > "starts_at" AND "occupancy_ends_at" > "occupancy_starts_at"')
@Check('ck_appointments_day_group', `"day_group" IN ('treatment', 'tms') AND "treatment_day" IS NOT NULL OR "day_group" IS NULL`)
// Treatment frequency: one Spravato, ketamine or ECT treatment a day in total, one standard TMS session a day.
@Index('uq_appointments_patient_treatment_day', ['patientId', 'dayGroup', 'treatmentDay'], {
  unique: true,
  where: `"day_group" IS NOT NULL AND "status" NOT IN ${RELEASED_STATUS_SQL}`,
})
// A patient is never in two places: no two active occupancies of one patient overlap.
@Exclusion(
  'ex_appointments_patient_overlap',
  `USING gist ("patient_id" WITH =, tstzrange("occupancy_starts_at", "occupancy_ends_at", '[)') WITH &&) WHERE ("status" NOT IN ${RELEASED_STATUS_SQL})`,
)
// A provider sees one patient at a time (intake and follow-up visits).
@Exclusion(
  'ex_appointments_provider_overlap',
  `USING gist ("provider_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE ("provider_id" IS NOT NULL AND "status" NOT IN ${RELEASED_STATUS_SQL})`,
)
export class AppointmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  patientId: string;

  @ManyToOne(() => PatientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_appointments_patient' })
  patient?: PatientEntity;

  @Column({ type: 'varchar', length: 20 })
  type: AppointmentType;

  @Column({ type: 'varchar', length: 20, default: 'scheduled' })
  status: AppointmentStatus;

  @Column({ type: 'varchar', length: 12, default: 'inPerson' })
  mode: VisitMode;

  @Column({ type: 'uuid' })
  locationId: string;

  @ManyToOne(() => LocationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'location_id', foreignKeyConstraintName: 'fk_appointments_location' })
  location?: LocationEntity;

  /** The main resource (chair, TMS device, ECT suite); null for visits that hold no room. */
  @Column({ type: 'uuid', nullable: true })
  resourceId: string | null;

  @ManyToOne(() => ResourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'fk_appointments_resource' })
  resource?: ResourceEntity;

  /** The provider whose time an intake or follow-up takes. */
  @Column({ type: 'uuid', nullable: true })
  providerId: string | null;

  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_id', foreignKeyConstraintName: 'fk_appointments_provider' })
  provider?: StaffEntity;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  /** The whole time resources and the patient are held: prep, treatment, observation or recovery. */
  @Column({ type: 'timestamptz' })
  occupancyStartsAt: Date;

  @Column({ type: 'timestamptz' })
  occupancyEndsAt: Date;

  /** When the patient is in observation or recovery: counts against the clinic's nurse capacity. */
  @Column({ type: 'timestamptz', nullable: true })
  observationStartsAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  observationEndsAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  courseId: string | null;

  @ManyToOne(() => CourseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_id', foreignKeyConstraintName: 'fk_appointments_course' })
  course?: CourseEntity;

  @Column({ type: 'int', nullable: true })
  sequence: number | null;

  /** The clinic-local date of a treatment with a daily limit (see dayGroup). */
  @Column({ type: 'date', nullable: true })
  treatmentDay: string | null;

  /** Which daily limit the appointment counts against (domain/treatment-frequency.ts); null: none. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  dayGroup: DailyLimitGroup | null;

  @Column({ type: 'timestamptz', nullable: true })
  earliestDischargeAt: Date | null;

  /** When the patient confirmed by text (C, YES …); cleared when the appointment moves. */
  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  /** When the patient asked by text to move it (R); cleared when it moves. */
  @Column({ type: 'timestamptz', nullable: true })
  rescheduleRequestedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  cancelReason: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
