import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { BookingService, PlannedMove } from '../appointments/booking.service';
import { RELEASED_STATUSES } from '../appointments/domain/vocabulary';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { clinicDateOf, toClinicIso } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { FieldError, Forbidden, InvalidInput, NotFound, RuleViolation } from '../common/problems';
import { inTransaction } from '../common/transaction';
import { LocationEntity } from '../locations/location.entity';
import { CoursePlanningService } from './course-planning.service';
import { CourseEntity } from './course.entity';
import { CoursesRepository } from './courses.repository';
import { CoursesService } from './courses.service';
import { CourseViews } from './course-views.service';
import { CourseOptions, PROTOCOLS, ProtocolDefinition, sessionBooking, storedCourseOptions, tailPhases } from './domain/protocols';
import { PlannedSession } from './domain/session-placement';
import { CourseResponse, ReplanCourseDto } from './dto/course.dto';

/** Roles that may move sessions past the authorization's window. */
const OVERRIDERS: readonly string[] = ['provider', 'admin'];

/** Everything a replan decided: the sessions it moves, where to, and what the course keeps. */
interface Replan {
  course: CourseEntity;
  protocol: ProtocolDefinition;
  options: CourseOptions;
  locations: LocationEntity[];
  preferredTime: string;
  moving: AppointmentEntity[];
  plan: { sessions: PlannedSession[]; warnings: string[] };
}

const minutesOf = (a: AppointmentEntity) => Math.round((a.occupancyEndsAt.getTime() - a.occupancyStartsAt.getTime()) / 60_000);

/**
 * Replans a course from one of its sessions on: a new wall time, clinic, start date or Spravato maintenance
 * frequency. Every later session that is still to come moves, in one transaction, through the same
 * planner as a new course (its phases from that session on) and the same booking rules as any
 * reschedule; the sessions before it stay as they are. A moved session keeps its appointment, so its
 * texts are re-planned and nothing is left behind or booked twice.
 */
@Injectable()
export class CourseReplanService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesRepository,
    private readonly coursesService: CoursesService,
    private readonly views: CourseViews,
    private readonly planning: CoursePlanningService,
    private readonly booking: BookingService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async replan(courseId: string, dto: ReplanCourseDto, actor: Actor): Promise<CourseResponse> {
    if (dto.override && !OVERRIDERS.includes(actor.role)) throw new Forbidden('Only a provider or an admin may override an authorization limit.');
    if (dto.dryRun) {
      const replan = await this.decide(undefined, courseId, dto);
      await this.audit.record(undefined, actor, 'patient.course-plan.read', 'patient', replan.course.patientId, { courseId, replanFrom: dto.fromSequence });
      const view = await this.views.viewOf(courseId);
      const planned = new Map(replan.plan.sessions.map((s) => [s.sequence, s]));
      return {
        ...view,
        sessions: view.sessions.map((session) => {
          const moved = session.sequence !== null && replan.moving.some((m) => m.sequence === session.sequence) ? planned.get(session.sequence) : undefined;
          return moved ? { ...session, startsAt: toClinicIso(moved.startsAt), locationId: moved.locationId, resourceId: moved.resourceId } : session;
        }),
        warnings: replan.plan.warnings,
      };
    }
    return inTransaction(this.dataSource, async (manager) => {
      await this.courses.lockPatient(manager, (await this.findOrFail(manager, courseId)).patientId);
      const replan = await this.decide(manager, courseId, dto);
      const moves: PlannedMove[] = replan.plan.sessions.map((session) => {
        const appointment = replan.moving.find((m) => m.sequence === session.sequence)!;
        return {
          appointmentId: appointment.id,
          startsAt: session.startsAt,
          locationId: session.locationId,
          // An accelerated course stays on its one device; otherwise each keeps its resource when it is free then.
          ...(replan.protocol.oneDevice && session.resourceId ? { resourceId: session.resourceId } : {}),
          durationMinutes: minutesOf(appointment),
        };
      });
      await this.booking.rescheduleMany(manager, moves, actor, dto.override ? { override: { reason: dto.override.reason } } : {});
      const { course } = replan;
      await this.courses.updatePlan(manager, courseId, {
        preferredTime: replan.preferredTime,
        locationId: replan.locations[0].id,
        settings: { ...course.settings, ...(dto.maintenanceEveryWeeks !== undefined ? { maintenanceEveryWeeks: dto.maintenanceEveryWeeks } : {}) },
      });
      await this.audit.record(manager, actor, 'course.replan', 'course', courseId, {
        patientId: course.patientId,
        fromSequence: dto.fromSequence,
        moved: moves.length,
        ...(dto.preferredTime ? { preferredTime: dto.preferredTime } : {}),
        ...(dto.locationId ? { locationId: dto.locationId } : {}),
        ...(dto.startDate ? { startDate: dto.startDate } : {}),
        ...(dto.maintenanceEveryWeeks !== undefined ? { maintenanceEveryWeeks: dto.maintenanceEveryWeeks } : {}),
      });
      return this.views.viewOf(courseId, manager, replan.plan.warnings);
    });
  }

  private async findOrFail(manager: EntityManager | undefined, courseId: string): Promise<CourseEntity> {
    const course = manager ? await this.courses.findByIdForUpdate(manager, courseId) : await this.courses.findById(courseId);
    if (!course) throw new NotFound('Course', courseId);
    return course;
  }

  /** Checks the request against the course as it is, and plans the sessions it moves. */
  private async decide(manager: EntityManager | undefined, courseId: string, dto: ReplanCourseDto): Promise<Replan> {
    const course = await this.findOrFail(manager, courseId);
    if (course.status !== 'active') throw new RuleViolation('status', `Only an active course can be replanned; this one is ${course.status}.`);
    const protocol = PROTOCOLS[course.protocol as keyof typeof PROTOCOLS];
    const errors: FieldError[] = [];
    if (dto.maintenanceEveryWeeks !== undefined && protocol.code !== 'spravato-trd') {
      errors.push({ field: 'maintenanceEveryWeeks', message: `${protocol.code} has no maintenance frequency to choose` });
    }
    const options: CourseOptions = {
      ...storedCourseOptions(protocol, course.totalSessions, course.settings),
      ...(dto.maintenanceEveryWeeks !== undefined ? { maintenanceEveryWeeks: dto.maintenanceEveryWeeks } : {}),
    };

    const sessions = await this.courses.findSessions([courseId], manager);
    const later = sessions.filter((s) => s.sequence !== null && s.sequence >= dto.fromSequence);
    const underway = later.filter((s) => s.status !== 'scheduled' && !RELEASED_STATUSES.includes(s.status));
    if (underway.length) {
      throw new RuleViolation('status', `Session ${underway[0].sequence} is ${underway[0].status}: replan from a session after it.`, undefined, {
        sequence: underway[0].sequence,
      });
    }
    const moving = later.filter((s) => s.status === 'scheduled').sort((a, b) => a.sequence! - b.sequence!);
    if (!sessions.some((s) => s.sequence === dto.fromSequence))
      errors.push({ field: 'fromSequence', message: `the course has no session ${dto.fromSequence}` });
    else if (!moving.length) errors.push({ field: 'fromSequence', message: `no session from ${dto.fromSequence} on is still to come` });
    const tail = moving.length
      ? tailPhases(
          protocol,
          options,
          moving.map((m) => m.sequence!),
        )
      : [];
    if ('error' in tail) errors.push({ field: 'fromSequence', message: tail.error });

    const today = clinicDateOf(this.clock.now());
    if (dto.startDate && dto.startDate < today) errors.push({ field: 'startDate', message: `startDate must not be before today (${today})` });
    const ids = [dto.locationId ?? course.locationId, ...(course.settings.alternateLocationIds ?? [])].filter((id, i, all) => all.indexOf(id) === i);
    const found = await this.courses.findPlanningLocations(ids, manager);
    if (dto.locationId && !found.some((l) => l.id === dto.locationId)) errors.push({ field: 'locationId', message: 'no clinic has this id' });
    if (errors.length || 'error' in tail) throw new InvalidInput(errors);

    const kept = sessions.filter((s) => !moving.includes(s) && !RELEASED_STATUSES.includes(s.status));
    const afterDate = kept.length ? clinicDateOf(kept.reduce((a, b) => (a.startsAt > b.startsAt ? a : b)).startsAt) : undefined;
    const firstDate = clinicDateOf(moving[0].startsAt);
    const startDate = dto.startDate ?? (firstDate < today ? today : firstDate);
    const preferredTime = dto.preferredTime ?? course.preferredTime.slice(0, 5);
    const locations = ids.map((id) => found.find((l) => l.id === id)).filter((l): l is LocationEntity => l !== undefined);
    const bySequence = new Map(moving.map((m) => [m.sequence!, m]));
    const plan = await this.planning.plan(manager, {
      patientId: course.patientId,
      protocol,
      options,
      startDate,
      preferredTime,
      locations,
      replacing: new Set(moving.map((m) => m.id)),
      tail: {
        phases: tail,
        sequences: moving.map((m) => m.sequence!),
        afterDate,
        // Each session keeps the length it was booked with (a motor-threshold visit stays 75 minutes).
        booking: (sequence) => ({ ...sessionBooking(protocol, sequence), firstOfCourse: false, durationMinutes: minutesOf(bySequence.get(sequence)!) }),
      },
    });
    this.coursesService.checkHorizon(plan.sessions);
    return { course, protocol, options, locations, preferredTime, moving, plan };
  }
}
