import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { StaffEntity } from '../staff/staff.entity';
import { CourseEntity } from './course.entity';
import type { OutcomeScale } from './domain/outcomes';

/**
 * One outcome score recorded over a course (PHQ-9, MADRS, HAM-D17): course, scale, score, the date it was
 * taken and, optionally, the session it was taken at. One row per score; reports read this table.
 */
@Entity('course_outcomes')
@Index('ix_course_outcomes_course', ['courseId', 'takenOn'])
@Check('ck_course_outcomes_scale', `"scale" IN ('phq9', 'madrs', 'hamd17')`)
@Check(
  'ck_course_outcomes_score',
  `("scale" = 'phq9' AND "score" BETWEEN 0 AND 27) OR ("scale" = 'madrs' AND "score" BETWEEN 0 AND 60) OR ("scale" = 'hamd17' AND "score" BETWEEN 0 AND 52)`,
)
export class CourseOutcomeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  courseId: string;

  @ManyToOne(() => CourseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id', foreignKeyConstraintName: 'fk_course_outcomes_course' })
  course?: CourseEntity;

  @Column({ type: 'varchar', length: 10 })
  scale: OutcomeScale;

  @Column({ type: 'smallint' })
  score: number;

  /** Clinic-local date the scale was taken. */
  @Column({ type: 'date' })
  takenOn: string;

  @Column({ type: 'uuid', nullable: true })
  appointmentId: string | null;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_course_outcomes_appointment' })
  appointment?: AppointmentEntity;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_course_outcomes_recorded_by' })
  recorder?: StaffEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
