import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppointmentStatusChanges } from '../appointments/appointment-status.service';
import { BookingService } from '../appointments/booking.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { clinicDateOf } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { Conflict, FieldError, Forbidden, InvalidInput, NotFound, RuleViolation } from '../common/problems';
import { AppConfig } from '../config/app-config';
import { latestBookableStart } from '../appointments/domain/booking-horizon';
import { mriRefusal } from './domain/mri';
import { inTransaction, withSavepoint } from '../common/transaction';
import { LocationEntity } from '../locations/location.entity';
import { Eligibility } from '../patients/domain/eligibility';
import { PatientsService } from '../patients/patients.service';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { assessCourseLimits, LimitBreach } from './domain/course-limits';
import { CoursePlan } from './domain/course-planner';
import { CoursePlanningService } from './course-planning.service';
import { CourseViews } from './course-views.service';
import { CourseEntity } from './course.entity';
import { CoursesRepository } from './courses.repository';
import { CourseDraft, CourseResponse, CreateCourseDto, toCourseResponse } from './dto/course.dto';
import { COURSE_START_HORIZON_DAYS, CourseOptions, PROTOCOL_CODES, ProtocolDefinition, PROTOCOLS, totalSessionsOf } from './domain/protocols';
import { ProtocolResponse, toProtocolResponse } from './dto/protocol.dto';
import { PlannedSession } from './domain/session-placement';

/** Roles that may book past an authorization or eligibility limit. */
const OVERRIDERS = ['provider', 'admin'];

/** Everything a course request names, checked and loaded once. */
interface CourseRequest {
  dto: CreateCourseDto;
  protocol: ProtocolDefinition;
  options: CourseOptions;
  locations: LocationEntity[];
  eligibility: Eligibility;
  authorization: { validFrom: string; validTo: string } | null;
  /** Warnings that do not depend on the plan. */
  notes: string[];
}

interface CheckedPlan {
  plan: CoursePlan;
  breaches: LimitBreach[];
  warnings: string[];
}

/** Why booking the planned sessions stopped: the calendar changed under the plan. */
class PlanOutdated {
  constructor(
    readonly session: PlannedSession,
    readonly cause: RuleViolation | InvalidInput,
  ) {}
}

@Injectable()
export class CoursesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesRepository,
    private readonly planning: CoursePlanningService,
    private readonly booking: BookingService,
    private readonly statuses: AppointmentStatusChanges,
    private readonly patients: PatientsService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly outbox: WebhookOutbox,
    private readonly config: AppConfig,
    private readonly views: CourseViews,
  ) {}

  /** Plans the course; a dry run answers with the plan and stores nothing, otherwise every session is booked in one transaction. */
  async create(dto: CreateCourseDto, actor: Actor): Promise<CourseResponse> {
    const protocol = PROTOCOLS[dto.protocol];
    const options = this.checkInput(dto, protocol);
    if (dto.override && !OVERRIDERS.includes(actor.role)) {
      throw new Forbidden('Only a provider or an admin may override authorization or eligibility limits.');
    }
    if (dto.dryRun) {
      const request = await this.load(undefined, dto, protocol, options);
      // The patient's calendar is read for the plan: audited while the planner works (a refused plan read it too).
      const [checked] = await Promise.all([
        this.planAndCheck(undefined, request),
        this.audit.record(undefined, actor, 'patient.course-plan.read', 'patient', dto.patientId, { protocol: protocol.code }),
      ]);
      const sessions = checked.plan.sessions.map((s) => ({ ...s, appointmentId: null }));
      return toCourseResponse(this.draft(request, null, 'planned'), sessions, [], checked.warnings);
    }
    return inTransaction(this.dataSource, (manager) => this.book(manager, dto, protocol, options, actor));
  }

  private async book(
    manager: EntityManager,
    dto: CreateCourseDto,
    protocol: ProtocolDefinition,
    options: CourseOptions,
    actor: Actor,
  ): Promise<CourseResponse> {
    await this.courses.lockPatient(manager, dto.patientId);
    const request = await this.load(manager, dto, protocol, options);
    let checked = await this.planAndCheck(manager, request);
    const course = await this.courses.insert(manager, {
      patientId: dto.patientId,
      protocol: protocol.code,
      treatment: protocol.treatment,
      locationId: dto.locationId,
      startDate: dto.startDate,
      preferredTime: dto.preferredTime,
      totalSessions: checked.plan.sessions.length,
      settings: {
        ...(options.maintenanceWeeks !== undefined ? { maintenanceWeeks: options.maintenanceWeeks } : {}),
        alternateLocationIds: dto.alternateLocationIds ?? [],
      },
      overrideReason: dto.override?.reason ?? null,
      createdBy: actor.id,
    });

    let outcome = await this.bookSessions(manager, course.id, request, checked.plan.sessions, actor);
    if (outcome instanceof PlanOutdated) {
      // A concurrent booking took a planned slot: plan once more from what is committed now.
      checked = await this.planAndCheck(manager, request);
      checked.warnings.unshift(
        `Session ${outcome.session.sequence}'s planned slot was taken by another booking while the course was being booked; the course was planned again.`,
      );
      outcome = await this.bookSessions(manager, course.id, request, checked.plan.sessions, actor);
      if (outcome instanceof PlanOutdated) {
        throw new RuleViolation(
          'course-conflict',
          `Session ${outcome.session.sequence} could not be booked (${outcome.cause.message}), even after planning the course again: ` +
            'other bookings are taking its slots. Nothing was booked; try again.',
          outcome.cause.extensions.conflicts as Conflict[] | undefined,
        );
      }
    }

    await this.audit.record(manager, actor, 'course.create', 'course', course.id, {
      patientId: dto.patientId,
      protocol: protocol.code,
      locationId: dto.locationId,
      sessions: outcome.ids.length,
    });
    if (checked.breaches.length) {
      await this.audit.record(manager, actor, 'course.override', 'course', course.id, {
        patientId: dto.patientId,
        reason: dto.override!.reason,
        limits: checked.breaches.map((b) => ({ limit: b.limit, detail: b.detail })),
      });
    }
    await this.outbox.emit(manager, 'course.booked', {
      courseId: course.id,
      patientId: dto.patientId,
      protocol: protocol.code,
      treatment: protocol.treatment,
      locationId: dto.locationId,
      appointmentIds: outcome.ids,
    });
    const rows = checked.plan.sessions.map((s, i) => ({ ...s, appointmentId: outcome.ids[i], status: 'scheduled' as const }));
    return toCourseResponse(this.draft(request, course, 'active'), rows, [], [...checked.warnings, ...outcome.warnings]);
  }

  /** Books each planned session as a normal appointment (the rules and constraints check it again), inside a savepoint. */
  private async bookSessions(
    manager: EntityManager,
    courseId: string,
    request: CourseRequest,
    sessions: PlannedSession[],
    actor: Actor,
  ): Promise<{ ids: string[]; warnings: string[] } | PlanOutdated> {
    let outdated: PlanOutdated | undefined;
    const result = await withSavepoint(manager, 'course_sessions', async () => {
      const ids: string[] = [];
      const warnings = new Set<string>();
      for (const session of sessions) {
        try {
          const booked = await this.booking.book(
            manager,
            {
              patientId: request.dto.patientId,
              type: request.protocol.treatment,
              locationId: session.locationId,
              startsAt: session.startsAt,
              resourceId: session.resourceId ?? undefined,
              courseId,
              sequence: session.sequence,
              firstOfCourse: session.firstOfCourse,
              durationMinutes: session.durationMinutes,
              // The course's limits were checked (or overridden, and audited) as a whole.
              ...(request.dto.override ? { override: { reason: request.dto.override.reason, auditedBy: 'course' as const } } : {}),
            },
            actor,
          );
          ids.push(booked.appointment.id);
          booked.warnings.forEach((w) => warnings.add(w));
        } catch (error) {
          const resourceGone = error instanceof InvalidInput && (error.extensions.errors as FieldError[]).some((e) => e.field === 'resourceId');
          if (!(error instanceof RuleViolation) && !resourceGone) throw error;
          outdated = new PlanOutdated(session, error as RuleViolation | InvalidInput);
          return false;
        }
      }
      return { ids, warnings: [...warnings] };
    });
    return result === false ? outdated! : result;
  }

  /** Checks what the request names: a 400 naming the field for an unknown patient or clinic. */
  private async load(manager: EntityManager | undefined, dto: CreateCourseDto, protocol: ProtocolDefinition, options: CourseOptions): Promise<CourseRequest> {
    const ids = [dto.locationId, ...(dto.alternateLocationIds ?? [])];
    // Inside a transaction (one connection) the reads go one after the other; a dry run's go to the pool at once.
    const both = <A, B>(a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> =>
      manager ? a().then(async (first) => [first, await b()]) : Promise.all([a(), b()]);
    const [patient, found] = await both(
      () => this.patients.find(dto.patientId, manager),
      () => this.courses.findPlanningLocations(ids, manager),
    );
    const errors: FieldError[] = [];
    if (!patient) errors.push({ field: 'patientId', message: 'no patient has this id' });
    if (!found.some((l) => l.id === dto.locationId)) errors.push({ field: 'locationId', message: 'no clinic has this id' });
    const unknown = (dto.alternateLocationIds ?? []).filter((id) => !found.some((l) => l.id === id));
    if (unknown.length) errors.push({ field: 'alternateLocationIds', message: `no clinic has the id ${unknown.join(', ')}` });
    if (errors.length) throw new InvalidInput(errors);

    const [{ eligibility, governing }, active] = await both(
      async () => {
        const eligibility = await this.patients.evaluateEligibility(dto.patientId, protocol.treatment, manager);
        return { eligibility, governing: await this.patients.governingAuthorization(eligibility, dto.patientId, protocol.treatment, manager) };
      },
      () => this.courses.findActiveCourseIds(dto.patientId, protocol.treatment, manager),
    );
    const authorization: CourseRequest['authorization'] = governing && { validFrom: governing.validFrom, validTo: governing.validTo };
    const notes: string[] = [];
    const mri = mriRefusal(protocol, patient!.mriDate, dto.startDate, found.find((l) => l.id === dto.locationId)!.acceleratedTmsMri);
    if (mri?.refuse) throw new RuleViolation('mri-required', mri.detail);
    if (mri) notes.push(mri.detail);
    if (protocol.latestUsualTime && dto.preferredTime > protocol.latestUsualTime) {
      notes.push(`${protocol.name} is usually given early in the morning (nothing to eat or drink after midnight); ${dto.preferredTime} is late.`);
    }
    if (active.length) notes.push(`The patient already has an active ${protocol.treatment} course with sessions to come (${active.join(', ')}).`);
    return { dto, protocol, options, locations: ids.map((id) => found.find((l) => l.id === id)!), eligibility, authorization, notes };
  }

  /** Plans from the calendars as they are now and checks the payer limits; a breach without an override is a 409. */
  private async planAndCheck(manager: EntityManager | undefined, request: CourseRequest): Promise<CheckedPlan> {
    const { dto, protocol, options } = request;
    const plan = await this.planning.plan(manager, {
      patientId: dto.patientId,
      protocol,
      options,
      startDate: dto.startDate,
      preferredTime: dto.preferredTime,
      locations: request.locations,
    });
    this.checkHorizon(plan.sessions);
    const limits = assessCourseLimits({
      treatment: protocol.treatment,
      eligibility: request.eligibility,
      authorization: request.authorization,
      sessionDates: plan.sessions.map((s) => s.date),
    });
    if (limits.breaches.length && !dto.override) {
      const first = limits.breaches[0];
      throw new RuleViolation(
        first.rule,
        `The course is refused: ${limits.breaches.map((b) => b.detail).join('; ')}. A provider or admin may book it with an override and a reason.`,
        undefined,
        { limits: limits.breaches.map(({ limit, detail }) => ({ limit, detail })), reasons: request.eligibility.reasons },
      );
    }
    const overridden = limits.breaches.map((b) => `Override: ${b.detail} (${dto.override!.reason}).`);
    if (dto.override && !limits.breaches.length)
      overridden.push('The override was not needed: the course is within every authorization and eligibility limit.');
    return { plan, breaches: limits.breaches, warnings: [...plan.warnings, ...limits.warnings, ...overridden, ...request.notes] };
  }

  /** Nothing starts past the booking horizon: a course reaching past it is refused, naming its first session there. */
  checkHorizon(sessions: PlannedSession[]): void {
    const latest = latestBookableStart(this.clock.now(), this.config.bookingHorizonDays);
    const late = sessions.find((s) => s.startsAt > latest);
    if (!late) return;
    throw new RuleViolation(
      'booking-horizon',
      `Session ${late.sequence} (${late.phase}) on ${late.date} would start past the booking horizon (${this.config.bookingHorizonDays} days, until ${clinicDateOf(latest)}).`,
      undefined,
      { sequence: late.sequence, phase: late.phase },
    );
  }

  /** Input rules a DTO cannot express: per-protocol options and the clinic's today. */
  private checkInput(dto: CreateCourseDto, protocol: ProtocolDefinition): CourseOptions {
    const errors: FieldError[] = [];
    const range = protocol.totalSessionsRange;
    if (dto.totalSessions !== undefined && !range)
      errors.push({ field: 'totalSessions', message: `${protocol.code} has a fixed length of ${protocol.totalSessions} sessions` });
    if (dto.totalSessions !== undefined && range && (dto.totalSessions < range.min || dto.totalSessions > range.max)) {
      errors.push({ field: 'totalSessions', message: `${protocol.code} takes ${range.min} to ${range.max} sessions` });
    }
    if (dto.maintenanceWeeks !== undefined && !protocol.maintenanceWeeksRange) {
      errors.push({ field: 'maintenanceWeeks', message: `${protocol.code} has no maintenance weeks` });
    }
    if (dto.alternateLocationIds?.includes(dto.locationId)) errors.push({ field: 'alternateLocationIds', message: 'must not repeat locationId' });
    const today = clinicDateOf(this.clock.now());
    if (dto.startDate < today) errors.push({ field: 'startDate', message: `startDate must not be before today (${today})` });
    const horizon = new Date(this.clock.now().getTime() + COURSE_START_HORIZON_DAYS * 86_400_000);
    if (dto.startDate > clinicDateOf(horizon)) errors.push({ field: 'startDate', message: `startDate must be within a year` });
    if (errors.length) throw new InvalidInput(errors);
    const options: CourseOptions = {
      ...(range ? { totalSessions: dto.totalSessions ?? protocol.totalSessions } : {}),
      ...(dto.maintenanceWeeks !== undefined ? { maintenanceWeeks: dto.maintenanceWeeks } : {}),
    };
    return options;
  }

  private draft(request: CourseRequest, course: CourseEntity | null, status: CourseDraft['status']): CourseDraft {
    const { dto, protocol, options } = request;
    return {
      id: course?.id ?? null,
      status,
      protocol,
      patientId: dto.patientId,
      locationId: dto.locationId,
      startDate: dto.startDate,
      preferredTime: dto.preferredTime,
      totalSessions: course?.totalSessions ?? totalSessionsOf(protocol, options),
      settings: {
        ...(options.maintenanceWeeks !== undefined ? { maintenanceWeeks: options.maintenanceWeeks } : {}),
        alternateLocationIds: dto.alternateLocationIds ?? [],
      },
      overrideReason: course?.overrideReason ?? null,
    };
  }

  /** Every protocol a course can follow. */
  protocols(): ProtocolResponse[] {
    return PROTOCOL_CODES.map((code) => toProtocolResponse(PROTOCOLS[code]));
  }

  /** Cancels every session still to come (each through the appointments service: events, reminders, audit), in one transaction. */
  async cancel(id: string, reason: string, actor: Actor): Promise<CourseResponse> {
    await inTransaction(this.dataSource, async (manager) => {
      const course = await this.courses.findByIdForUpdate(manager, id);
      if (!course) throw new NotFound('Course', id);
      if (course.status !== 'active') throw new RuleViolation('status', `Only an active course can be cancelled; this one is ${course.status}.`);
      const future = await this.courses.findFutureSessionIds(manager, id, this.clock.now());
      // Each session as one step of the course's cancellation: the course's own listener leaves them alone.
      for (const appointmentId of future) await this.statuses.cancel(manager, appointmentId, reason, actor, 'course-cancellation');
      await this.courses.markCancelled(manager, id, reason, this.clock.now());
      await this.audit.record(manager, actor, 'course.cancel', 'course', id, { patientId: course.patientId, reason, cancelledSessions: future.length });
      await this.outbox.emit(manager, 'course.cancelled', { courseId: id, patientId: course.patientId, cancelledAppointmentIds: future });
    });
    return this.views.get(id, actor);
  }
}
