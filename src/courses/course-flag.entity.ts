import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { CourseEntity } from './course.entity';

export const COURSE_FLAG_KINDS = ['missed-maintenance', 'make-up-not-booked'] as const;
export type CourseFlagKind = (typeof COURSE_FLAG_KINDS)[number];

/** Something about a course staff should look at: it is flagged, never changed automatically. */
@Entity('course_flags')
@Index('ix_course_flags_course', ['courseId'])
@Check('ck_course_flags_kind', `"kind" IN ('missed-maintenance', 'make-up-not-booked')`)
export class CourseFlagEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  courseId: string;

  @ManyToOne(() => CourseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id', foreignKeyConstraintName: 'fk_course_flags_course' })
  course?: CourseEntity;

  /** The session it is about. */
  @Column({ type: 'uuid', nullable: true })
  appointmentId: string | null;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_course_flags_appointment' })
  appointment?: AppointmentEntity;

  @Column({ type: 'varchar', length: 30 })
  kind: CourseFlagKind;

  @Column({ type: 'varchar', length: 500 })
  detail: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
