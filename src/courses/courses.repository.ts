import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { LocationEntity } from '../locations/location.entity';
import type { Treatment } from '../appointments/domain/vocabulary';
import { CourseFlagEntity, CourseFlagKind } from './course-flag.entity';
import { CourseOutcomeEntity } from './course-outcome.entity';
import type { OutcomeScale } from './domain/outcomes';
import { CourseEntity, CourseSettings, PENDING_SESSION_STATUSES } from './course.entity';

/** Namespace of the per-patient advisory lock that serialises course bookings (authorization counts). */
const COURSE_LOCK_CLASS = 724_320;

export interface NewCourse {
  patientId: string;
  protocol: string;
  treatment: Treatment;
  locationId: string;
  startDate: string;
  preferredTime: string;
  totalSessions: number;
  settings: CourseSettings;
  overrideReason: string | null;
  createdBy: string | null;
}

@Injectable()
export class CoursesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private run(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** One course booking per patient at a time, so that two cannot both spend the last approved sessions. */
  async lockPatient(manager: EntityManager, patientId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [COURSE_LOCK_CLASS, patientId]);
  }

  findPlanningLocations(ids: string[], manager?: EntityManager): Promise<LocationEntity[]> {
    return this.run(manager)
      .getRepository(LocationEntity)
      .findBy({ id: In(ids) });
  }

  /** Closure reasons (holiday names, …) by location and local date, for the planner's warnings. */
  async findClosureReasons(locationIds: string[], from: string, to: string, manager?: EntityManager): Promise<Map<string, Map<string, string>>> {
    const rows: Array<{ location_id: string; date: string; reason: string }> = await this.run(manager).query(
      `SELECT location_id, to_char(date, 'YYYY-MM-DD') AS date, reason FROM closures
        WHERE location_id = ANY($1::uuid[]) AND date BETWEEN $2 AND $3`,
      [locationIds, from, to],
    );
    const byLocation = new Map<string, Map<string, string>>(locationIds.map((id) => [id, new Map()]));
    for (const row of rows) byLocation.get(row.location_id)?.set(row.date, row.reason);
    return byLocation;
  }

  async insert(manager: EntityManager, course: NewCourse): Promise<CourseEntity> {
    const repository = manager.getRepository(CourseEntity);
    return repository.save(repository.create({ ...course, status: 'active' }));
  }

  findById(id: string, manager?: EntityManager): Promise<CourseEntity | null> {
    return this.run(manager).getRepository(CourseEntity).findOne({ where: { id } });
  }

  findByIdForUpdate(manager: EntityManager, id: string): Promise<CourseEntity | null> {
    return manager.getRepository(CourseEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByPatient(patientId: string): Promise<CourseEntity[]> {
    return this.dataSource.getRepository(CourseEntity).find({ where: { patientId }, order: { startDate: 'ASC', createdAt: 'ASC', id: 'ASC' } });
  }

  /** Active courses of a treatment with sessions still to come (a second one is worth a warning). */
  async findActiveCourseIds(patientId: string, treatment: Treatment, manager?: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.run(manager).query(
      `SELECT c.id FROM courses c
        WHERE c.patient_id = $1 AND c.treatment = $2 AND c.status = 'active'
          AND EXISTS (SELECT 1 FROM appointments a WHERE a.course_id = c.id AND a.status = ANY($3::varchar[]))
        ORDER BY c.start_date`,
      [patientId, treatment, PENDING_SESSION_STATUSES],
    );
    return rows.map((r) => r.id);
  }

  /** Every appointment of the courses, in course and session order. */
  findSessions(courseIds: string[], manager?: EntityManager): Promise<AppointmentEntity[]> {
    if (courseIds.length === 0) return Promise.resolve([]);
    return this.run(manager)
      .getRepository(AppointmentEntity)
      .createQueryBuilder('a')
      .where('a.courseId IN (:...courseIds)', { courseIds })
      .orderBy('a.courseId', 'ASC')
      .addOrderBy('a.sequence', 'ASC', 'NULLS LAST')
      .addOrderBy('a.startsAt', 'ASC')
      .getMany();
  }

  /** Sessions a cancellation ends: still scheduled and not yet started. */
  async findFutureSessionIds(manager: EntityManager, courseId: string, now: Date): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM appointments WHERE course_id = $1 AND status = 'scheduled' AND starts_at > $2 ORDER BY starts_at`,
      [courseId, now],
    );
    return rows.map((r) => r.id);
  }

  async markCancelled(manager: EntityManager, id: string, reason: string, at: Date): Promise<void> {
    await manager.query(`UPDATE courses SET status = 'cancelled', cancel_reason = $2, cancelled_at = $3 WHERE id = $1`, [id, reason, at]);
  }

  /** An active course with nothing left to do and at least one session done is completed. */
  async completeIfDone(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE courses c SET status = 'completed'
        WHERE c.id = $1 AND c.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.course_id = c.id AND a.status = ANY($2::varchar[]))
          AND EXISTS (SELECT 1 FROM appointments a WHERE a.course_id = c.id AND a.status = 'discharged')`,
      [id, PENDING_SESSION_STATUSES],
    );
  }

  findFlags(courseIds: string[], manager?: EntityManager): Promise<CourseFlagEntity[]> {
    if (courseIds.length === 0) return Promise.resolve([]);
    return this.run(manager)
      .getRepository(CourseFlagEntity)
      .find({ where: { courseId: In(courseIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async insertOutcome(
    manager: EntityManager,
    outcome: { courseId: string; scale: OutcomeScale; score: number; takenOn: string; appointmentId: string | null; recordedBy: string | null },
  ): Promise<CourseOutcomeEntity> {
    const repository = manager.getRepository(CourseOutcomeEntity);
    return repository.save(repository.create(outcome));
  }

  /** The courses' outcome scores, in the order taken. */
  findOutcomes(courseIds: string[], manager?: EntityManager): Promise<CourseOutcomeEntity[]> {
    if (courseIds.length === 0) return Promise.resolve([]);
    return this.run(manager)
      .getRepository(CourseOutcomeEntity)
      .find({ where: { courseId: In(courseIds) }, order: { takenOn: 'ASC', recordedAt: 'ASC', id: 'ASC' } });
  }

  /** The preferred time, main clinic and options of a course replanned. */
  async updatePlan(manager: EntityManager, id: string, plan: { preferredTime: string; locationId: string; settings: CourseSettings }): Promise<void> {
    await manager.query(`UPDATE courses SET preferred_time = $2, location_id = $3, settings = $4 WHERE id = $1`, [
      id,
      plan.preferredTime,
      plan.locationId,
      JSON.stringify(plan.settings),
    ]);
  }

  async insertFlag(manager: EntityManager, flag: { courseId: string; appointmentId: string | null; kind: CourseFlagKind; detail: string }): Promise<void> {
    await manager.query(`INSERT INTO course_flags (course_id, appointment_id, kind, detail) VALUES ($1, $2, $3, $4)`, [
      flag.courseId,
      flag.appointmentId,
      flag.kind,
      flag.detail.slice(0, 500),
    ]);
  }
}
