import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppointmentChangeEvent, AppointmentEvents, AppointmentListener } from '../appointments/appointment-events';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { BookingService } from '../appointments/booking.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { clinicDateOf } from '../common/clinic-time';
import { RuleViolation } from '../common/problems';
import { withSavepoint } from '../common/transaction';
import { PatientsService } from '../patients/patients.service';
import { CourseFlagKind } from './course-flag.entity';
import { assessCourseLimits } from './domain/course-limits';
import { CoursePlanningService } from './course-planning.service';
import { CourseEntity } from './course.entity';
import { CoursesRepository } from './courses.repository';
import { TMS_FIRST_SESSION_MINUTES } from '../appointments/domain/appointment-types';
import { phaseOf, ProtocolDefinition, PROTOCOLS, requiredGapDays, storedCourseOptions, TMS_MAKE_UP } from './domain/protocols';
import { dayLabel } from './domain/session-placement';

/** The motor-threshold visit: the course's first session, or a later one booked at its length (a make-up of a missed first one). */
function isThresholdVisit(appointment: AppointmentEntity): boolean {
  const minutes = Math.round((appointment.occupancyEndsAt.getTime() - appointment.occupancyStartsAt.getTime()) / 60_000);
  return appointment.sequence === 1 || minutes >= TMS_FIRST_SESSION_MINUTES;
}

/**
 * What happens to a course when one of its appointments changes, in the same transaction as the
 * change: a TMS no-show gets a make-up session at the end (within the authorization), and a missed
 * motor-threshold visit (the first session) is made up by the next session becoming that 75-minute visit;
 * a missed Spravato maintenance session is flagged (never rescheduled automatically), and a course whose
 * sessions are all done is completed.
 */
@Injectable()
export class CourseLifecycleService implements OnModuleInit, AppointmentListener {
  constructor(
    private readonly events: AppointmentEvents,
    private readonly courses: CoursesRepository,
    private readonly planning: CoursePlanningService,
    private readonly booking: BookingService,
    private readonly patients: PatientsService,
    private readonly audit: AuditTrail,
  ) {}

  onModuleInit(): void {
    this.events.subscribe(this);
  }

  async onAppointmentChanged(manager: EntityManager, { change, appointment, actor, partOf }: AppointmentChangeEvent): Promise<void> {
    // A move, a change of chair or a closure leaves the course as it is; what a session's outcome does is below.
    if (!appointment.courseId || !['no_show', 'cancelled', 'status'].includes(change) || partOf === 'course-cancellation') return;
    const course = await this.courses.findByIdForUpdate(manager, appointment.courseId);
    if (!course || course.status !== 'active') return;
    const protocol = PROTOCOLS[course.protocol as keyof typeof PROTOCOLS];
    if (change === 'no_show' && protocol?.treatment === 'tms') {
      if (isThresholdVisit(appointment)) await this.moveThresholdVisit(manager, course, appointment, actor);
      await this.addMakeUp(manager, course, protocol, appointment, actor);
    }
    if (change === 'no_show' && protocol?.treatment === 'spravato' && this.phase(course, protocol, appointment) === 'maintenance') {
      // [practice] Missed induction sessions keep the schedule; a missed maintenance session is for the provider to judge.
      const detail =
        `Maintenance session ${appointment.sequence} on ${dayLabel(clinicDateOf(appointment.startsAt))} was missed. ` +
        'If the patient is worse, consider stepping back to the previous frequency; the schedule was not changed.';
      await this.flag(manager, course, appointment, actor, 'missed-maintenance', detail);
    }
    await this.courses.completeIfDone(manager, course.id);
  }

  private phase(course: CourseEntity, protocol: ProtocolDefinition, appointment: AppointmentEntity): string | undefined {
    if (appointment.sequence === null) return undefined;
    return phaseOf(protocol, appointment.sequence, storedCourseOptions(protocol, course.totalSessions, course.settings));
  }

  private async addMakeUp(manager: EntityManager, course: CourseEntity, protocol: ProtocolDefinition, missed: AppointmentEntity, actor: Actor): Promise<void> {
    const sessions = await this.courses.findSessions([course.id], manager);
    const held = sessions.filter((s) => s.status !== 'cancelled');
    const last = held.reduce((latest, s) => (s.startsAt > latest.startsAt ? s : latest), held[0] ?? missed);
    const sequence = Math.max(0, ...sessions.map((s) => s.sequence ?? 0)) + 1;
    const locationIds = [course.locationId, ...(course.settings.alternateLocationIds ?? [])];
    const found = await this.courses.findPlanningLocations(locationIds, manager);
    const locations = locationIds.map((id) => found.find((l) => l.id === id)).filter((l) => l !== undefined);
    const device = protocol.oneDevice ? (sessions.find((s) => s.resourceId)?.resourceId ?? undefined) : undefined;

    let planned: Awaited<ReturnType<CoursePlanningService['planExtra']>>;
    try {
      planned = await this.planning.planExtra(manager, {
        patientId: course.patientId,
        protocol,
        preferredTime: course.preferredTime.slice(0, 5),
        locations,
        after: clinicDateOf(last.startsAt),
        sequence,
        resourceId: device,
        ...TMS_MAKE_UP,
        // As far after the course's last session as the protocol wants it (deep TMS continuation: 2 days).
        minGapDays: requiredGapDays(protocol, last.sequence, sequence, storedCourseOptions(protocol, course.totalSessions, course.settings)),
      });
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      return this.flag(
        manager,
        course,
        missed,
        actor,
        'make-up-not-booked',
        `No make-up session for missed session ${missed.sequence ?? ''}: ${error.message}`,
      );
    }

    const eligibility = await this.patients.evaluateEligibility(course.patientId, protocol.treatment, manager);
    const authorization = await this.patients.governingAuthorization(eligibility, course.patientId, protocol.treatment, manager);
    // The course itself passed the trials check (or was overridden); a make-up is bounded by the authorization only.
    const breaches = assessCourseLimits({ treatment: protocol.treatment, eligibility, authorization, sessionDates: [planned.session.date] }).breaches.filter(
      (b) => b.limit !== 'requiredFailedTrials',
    );
    if (breaches.length) {
      const why = breaches.map((b) => b.detail).join('; ');
      return this.flag(manager, course, missed, actor, 'make-up-not-booked', `No make-up session for missed session ${missed.sequence ?? ''}: ${why}.`);
    }

    let refusal: string | undefined;
    const booked = await withSavepoint(manager, 'course_make_up', async () => {
      try {
        return await this.booking.book(
          manager,
          {
            patientId: course.patientId,
            type: protocol.treatment,
            locationId: planned.session.locationId,
            startsAt: planned.session.startsAt,
            resourceId: planned.session.resourceId ?? undefined,
            courseId: course.id,
            sequence,
            durationMinutes: planned.session.durationMinutes,
          },
          actor,
        );
      } catch (error) {
        if (!(error instanceof RuleViolation)) throw error;
        refusal = error.message;
        return false;
      }
    });
    if (booked === false) {
      return this.flag(manager, course, missed, actor, 'make-up-not-booked', `No make-up session for missed session ${missed.sequence ?? ''}: ${refusal}`);
    }
    await this.audit.record(manager, actor, 'course.make-up', 'course', course.id, {
      patientId: course.patientId,
      missedAppointmentId: missed.id,
      appointmentId: booked.appointment.id,
      sequence,
      ...(planned.warning ? { warning: planned.warning } : {}),
    });
  }

  /**
   * [practice] A missed first session is made up as the motor-threshold visit again: the course's next
   * session still to come becomes that 75-minute visit (same start; on its device, or another free one), so
   * the threshold is measured before the course goes on. When it cannot be lengthened, the course is flagged.
   */
  private async moveThresholdVisit(manager: EntityManager, course: CourseEntity, missed: AppointmentEntity, actor: Actor): Promise<void> {
    const sessions = await this.courses.findSessions([course.id], manager);
    const next = sessions
      .filter((s) => s.status === 'scheduled' && s.startsAt > missed.startsAt && s.id !== missed.id)
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0];
    if (!next) return;
    let refusal: string | undefined;
    const lengthened = await withSavepoint(manager, 'course_threshold_visit', async () => {
      try {
        return await this.booking.reschedule(manager, next.id, { durationMinutes: TMS_FIRST_SESSION_MINUTES, firstOfCourse: true }, actor);
      } catch (error) {
        if (!(error instanceof RuleViolation)) throw error;
        refusal = error.message;
        return false;
      }
    });
    if (lengthened === false) {
      const detail = `The missed session ${missed.sequence ?? ''} was the motor-threshold visit; session ${next.sequence ?? ''} could not be lengthened to ${TMS_FIRST_SESSION_MINUTES} minutes to take its place: ${refusal}`;
      return this.flag(manager, course, missed, actor, 'make-up-not-booked', detail);
    }
    await this.audit.record(manager, actor, 'course.threshold-visit', 'course', course.id, {
      patientId: course.patientId,
      missedAppointmentId: missed.id,
      appointmentId: next.id,
      minutes: TMS_FIRST_SESSION_MINUTES,
    });
  }

  private async flag(
    manager: EntityManager,
    course: CourseEntity,
    appointment: AppointmentEntity,
    actor: Actor,
    kind: CourseFlagKind,
    detail: string,
  ): Promise<void> {
    await this.courses.insertFlag(manager, { courseId: course.id, appointmentId: appointment.id, kind, detail });
    await this.audit.record(manager, actor, 'course.flag', 'course', course.id, { patientId: course.patientId, appointmentId: appointment.id, kind });
  }
}
