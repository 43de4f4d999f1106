import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { addDays, clinicDateOf } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { FieldError, InvalidInput, NotFound } from '../common/problems';
import { CoursesRepository } from './courses.repository';
import { BASELINE_LEAD_DAYS, scoreError, summarizeOutcomes } from './domain/outcomes';
import { CourseOutcomesResponse, OutcomeEntryResponse, RecordOutcomeDto, toOutcomeEntryResponse } from './dto/outcome.dto';

/** Outcome scores over a course (PHQ-9, MADRS, HAM-D17): recorded by clinical staff, summarised per scale. */
@Injectable()
export class CourseOutcomesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /**
   * One score: in its scale's range, taken on a date not in the future and at most 30 days before the
   * course's first session (the baseline), at one of the course's own sessions when it names one.
   */
  async record(courseId: string, dto: RecordOutcomeDto, actor: Actor): Promise<OutcomeEntryResponse> {
    const saved = await this.dataSource.transaction(async (manager) => {
      const course = await this.courses.findById(courseId, manager);
      if (!course) throw new NotFound('Course', courseId);
      const sessions = await this.courses.findSessions([courseId], manager);
      const errors: FieldError[] = [];
      const range = scoreError(dto.scale, dto.score);
      if (range) errors.push({ field: 'score', message: range });
      const today = clinicDateOf(this.clock.now());
      const firstSession = sessions.length ? clinicDateOf(sessions.reduce((a, b) => (a.startsAt < b.startsAt ? a : b)).startsAt) : course.startDate;
      const earliest = addDays(firstSession, -BASELINE_LEAD_DAYS);
      if (dto.takenOn > today) errors.push({ field: 'takenOn', message: `takenOn must not be in the future (today is ${today})` });
      if (dto.takenOn < earliest) {
        errors.push({ field: 'takenOn', message: `takenOn must be at most ${BASELINE_LEAD_DAYS} days before the course's first session (from ${earliest})` });
      }
      if (dto.appointmentId && !sessions.some((s) => s.id === dto.appointmentId)) {
        errors.push({ field: 'appointmentId', message: 'the appointment is not a session of this course' });
      }
      if (errors.length) throw new InvalidInput(errors);
      const outcome = await this.courses.insertOutcome(manager, {
        courseId,
        scale: dto.scale,
        score: dto.score,
        takenOn: dto.takenOn,
        appointmentId: dto.appointmentId ?? null,
        recordedBy: actor.id,
      });
      await this.audit.record(manager, actor, 'course.outcome.record', 'course', courseId, {
        patientId: course.patientId,
        outcomeId: outcome.id,
        scale: dto.scale,
      });
      return outcome;
    });
    return toOutcomeEntryResponse(saved);
  }

  /** Every score of the course in the order taken, and per scale its baseline, latest, change, response and remission. */
  async list(courseId: string, actor: Actor): Promise<CourseOutcomesResponse> {
    const course = await this.courses.findById(courseId);
    if (!course) throw new NotFound('Course', courseId);
    const entries = await this.courses.findOutcomes([courseId]);
    await this.audit.record(undefined, actor, 'course.outcomes.read', 'course', courseId, { patientId: course.patientId, count: entries.length });
    return { entries: entries.map(toOutcomeEntryResponse), byScale: summarizeOutcomes(entries) };
  }
}
