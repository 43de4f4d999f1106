import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { LocationEntity } from '../locations/location.entity';
import type { Treatment } from '../appointments/domain/vocabulary';
import { PatientEntity } from '../patients/patient.entity';

export const COURSE_STATUSES = ['active', 'cancelled', 'completed'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/** Statuses of a course session still to come or under way. */
export const PENDING_SESSION_STATUSES = ['scheduled', 'checked_in', 'in_treatment', 'observing'] as const;

/** What a course was booked with, beyond its columns. */
export interface CourseSettings {
  maintenanceWeeks?: number;
  /** Spravato TRD maintenance after week 8: once a week (1) or every 2 weeks (2); set by a replan. */
  maintenanceEveryWeeks?: number;
  alternateLocationIds?: string[];
}

/** A treatment course: a protocol booked as a series of appointments (appointments.course_id). */
@Entity('courses')
@Index('ix_courses_patient_start', ['patientId', 'startDate'])
@Check('ck_courses_status', `"status" IN ('active', 'cancelled', 'completed')`)
@Check('ck_courses_treatment', `"treatment" IN ('spravato', 'ketamine', 'tms', 'ect')`)
@Check('ck_courses_total_sessions', '"total_sessions" > 0')
export class CourseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  patientId: string;

  @ManyToOne(() => PatientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_courses_patient' })
  patient?: PatientEntity;

  /** A protocol code of the catalog (src/courses/protocols.ts). */
  @Column({ type: 'varchar', length: 40 })
  protocol: string;

  @Column({ type: 'varchar', length: 20 })
  treatment: Treatment;

  /** The main clinic. */
  @Column({ type: 'uuid' })
  locationId: string;

  @ManyToOne(() => LocationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'location_id', foreignKeyConstraintName: 'fk_courses_location' })
  location?: LocationEntity;

  @Column({ type: 'varchar', length: 12, default: 'active' })
  status: CourseStatus;

  /** Clinic-local date, YYYY-MM-DD. */
  @Column({ type: 'date' })
  startDate: string;

  /** Local wall time the sessions aim for. */
  @Column({ type: 'time' })
  preferredTime: string;

  /** Sessions the course was booked with (make-up sessions come on top). */
  @Column({ type: 'int' })
  totalSessions: number;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings: CourseSettings;

  /** Why a provider or admin booked it past an authorization or eligibility limit. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  overrideReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  cancelReason: string | null;
}
