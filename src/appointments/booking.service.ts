import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { clinicDatesBetween, CLINIC_ZONE, localParts } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { FieldError, InvalidInput, RuleViolation } from '../common/problems';
import { inTransaction, withRetries } from '../common/transaction';
import { PROTOCOLS, storedCourseOptions } from '../courses/domain/protocols';
import { AppointmentChangeEvent, AppointmentEvents } from './appointment-events';
import { AppointmentLookup } from './appointment-lookup.service';
import { AppointmentSegmentEntity } from './appointment-segment.entity';
import { AppointmentEntity } from './appointment.entity';
import { AppointmentsRepository } from './appointments.repository';
import { INSERTED_APPOINTMENT, BookingWriter, NewAppointment } from './booking-writer.repository';
import { BookingParties, CalendarQuery, CalendarRepository } from './calendar.repository';
import { APPOINTMENT_TYPE_DEFINITIONS, AppointmentPlan, calendarNeedsOf, planAppointment, PlanError } from './domain/appointment-types';
import type { CourseSlot } from './domain/course-spacing';
import { BookingContext, BookingRule, evaluateSlot, SlotDecision } from './domain/slot-rules';
import { dailyLimitGroup } from './domain/treatment-frequency';
import { AppointmentStatus, AppointmentType, Treatment, TREATMENTS, VisitMode } from './domain/vocabulary';
import { OccupancyExtension, OccupancyOverrun } from './occupancy-overrun.service';

export type { OccupancyExtension } from './occupancy-overrun.service';

/** A provider's or admin's documented reason to book past a rule a provider may override. */
export interface BookingOverride {
  reason: string;
  /** The caller audits the override itself (a course's override covers its sessions). */
  auditedBy?: 'course';
}
import { HoldsRepository } from './holds.repository';

export interface BookingRequest {
  /** The new appointment's id when the caller already named it (a FHIR hold booked keeps its id); otherwise a fresh one. */
  id?: string;
  patientId: string;
  type: AppointmentType;
  locationId: string;
  startsAt: Date;
  resourceId?: string;
  providerId?: string;
  mode?: VisitMode;
  durationMinutes?: number;
  courseId?: string;
  sequence?: number;
  /** TMS: the first session of a course (motor threshold, longer). */
  firstOfCourse?: boolean;
  override?: BookingOverride;
  /** Rules the caller has decided for the whole of a larger booking (a course: the authorization and the horizon). */
  waive?: readonly BookingRule[];
}

export interface Booked {
  appointment: AppointmentEntity;
  segments: AppointmentSegmentEntity[];
  warnings: string[];
}

/** What a booking names, checked: the patient and the clinic exist. */
type CheckedParties = BookingParties & { patient: NonNullable<BookingParties['patient']>; location: NonNullable<BookingParties['location']> };

/** A checked request: its occupancy plan and the calendar it will be judged against. */
export interface PreparedBooking {
  plan: AppointmentPlan;
  parties: CheckedParties;
  context: BookingContext;
  /** The course the appointment belongs to, as the rules see it. */
  course?: CourseSlot;
  warnings: string[];
}

/** One appointment of a course replanned: where and when it goes. */
export interface PlannedMove {
  appointmentId: string;
  startsAt: Date;
  locationId: string;
  resourceId?: string;
  durationMinutes?: number;
}

const CANCELLABLE: readonly AppointmentStatus[] = ['scheduled', 'checked_in'];

const isTreatment = (type: AppointmentType): type is Treatment => (TREATMENTS as readonly string[]).includes(type);

/** The columns an accepted decision fills: where and when the appointment holds what, and which daily limit it counts against. */
function placementOf(plan: AppointmentPlan, decision: Extract<SlotDecision, { ok: true }>, prepared: PreparedBooking) {
  const group = dailyLimitGroup(plan.type, prepared.course?.protocol.code === 'tms-accelerated');
  return {
    resourceId: decision.segmentResourceIds[0] ?? null,
    providerId: decision.providerId,
    startsAt: plan.startsAt,
    endsAt: plan.endsAt,
    occupancyStartsAt: plan.occupancy.start,
    occupancyEndsAt: plan.occupancy.end,
    observationStartsAt: plan.observation?.start ?? null,
    observationEndsAt: plan.observation?.end ?? null,
    treatmentDay: group ? localParts(plan.startsAt, prepared.context.zone).date : null,
    dayGroup: group,
  };
}

const addMinutes = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

/**
 * Books, moves and releases appointments inside the caller's transaction, under every rule. Single
 * bookings, reschedules and whole treatment courses all come through here, so that a course session is a
 * normal appointment. A booking costs three round trips: the locks (a treatment decided in a transaction
 * only), the calendar with everything the request names, and one statement writing the appointment, its
 * segments, its audit entries and what other modules write with it.
 */
@Injectable()
export class BookingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appointments: AppointmentsRepository,
    private readonly lookup: AppointmentLookup,
    private readonly calendars: CalendarRepository,
    private readonly writer: BookingWriter,
    private readonly holds: HoldsRepository,
    private readonly events: AppointmentEvents,
    private readonly audit: AuditTrail,
    private readonly overrun: OccupancyOverrun,
    private readonly clock: Clock,
  ) {}

  /** The calendar the rules judge against (course planning judges many starts against one read). */
  calendar(manager: EntityManager | undefined, query: Omit<CalendarQuery, 'now'>): Promise<BookingContext> {
    return this.calendars.loadCalendar(manager, { ...query, now: this.clock.now() });
  }

  /**
   * Takes the locks the decision needs (in a transaction: the patient's for a treatment, the clinic-day's
   * for a type with observation time), then loads the calendar and what the request names in one query,
   * checks them (400 naming the field) and plans the occupancy.
   */
  async prepare(manager: EntityManager, request: BookingRequest, existing = false): Promise<PreparedBooking> {
    const definition = APPOINTMENT_TYPE_DEFINITIONS[request.type];
    // The longest visit the type allows bounds the span of calendar the rules can look at.
    const span = { start: request.startsAt, end: addMinutes(request.startsAt, Math.max(definition.maximumMinutes, request.durationMinutes ?? 0)) };
    if (manager.queryRunner?.isTransactionActive) {
      // Every clinic of the group is in the clinics' zone; the capacity lock is per (clinic, local day).
      await this.calendars.lockForBooking(manager, {
        patientId: isTreatment(request.type) ? request.patientId : undefined,
        locationId: request.locationId,
        localDates: definition.observationFrom !== undefined ? clinicDatesBetween(span.start, span.end, CLINIC_ZONE) : [],
      });
    }
    const { context, parties } = await this.calendars.loadCalendarAndParties(
      manager,
      {
        locationId: request.locationId,
        span,
        patientId: request.patientId,
        treatment: isTreatment(request.type) ? request.type : undefined,
        providersAnywhere: request.mode === 'telehealth',
        needs: calendarNeedsOf(request.type),
        now: this.clock.now(),
      },
      { patientId: request.patientId, resourceId: request.resourceId, providerId: request.providerId, courseId: request.courseId },
    );
    const checked = this.check(request, parties, existing);

    let plan: AppointmentPlan;
    try {
      plan = planAppointment(request.type, request.startsAt, {
        durationMinutes: request.durationMinutes,
        firstOfCourse: request.firstOfCourse,
        overrides: checked.location.occupancyOverrides,
        telehealth: request.mode === 'telehealth',
      });
    } catch (error) {
      if (error instanceof PlanError) throw InvalidInput.field(error.field, error.message);
      throw error;
    }
    const warnings: string[] = [];
    if (request.type === 'spravato' && !checked.patient.remsEnrolledAt) {
      warnings.push('The patient is not yet enrolled in the Spravato REMS: the dose will be refused until they are.');
    }
    const course = checked.course ? courseSlotOf(checked.course, request.sequence ?? null) : undefined;
    return { plan, parties: checked, context, course, warnings };
  }

  private check(request: BookingRequest, parties: BookingParties, existing: boolean): CheckedParties {
    const errors: FieldError[] = [];
    const { patient, location } = parties;
    if (!patient) errors.push({ field: 'patientId', message: 'no patient has this id' });
    if (!location) errors.push({ field: 'locationId', message: 'no clinic has this id' });
    const definition = APPOINTMENT_TYPE_DEFINITIONS[request.type];
    const telehealth = request.mode === 'telehealth';
    if (telehealth && !definition.needsProvider) errors.push({ field: 'mode', message: `a ${request.type} appointment cannot be telehealth` });
    if (request.resourceId) {
      const expectedKind = definition.segments[0]?.resourceKind;
      if (!parties.resource) errors.push({ field: 'resourceId', message: 'no resource has this id' });
      else if (parties.resource.locationId !== request.locationId) errors.push({ field: 'resourceId', message: 'the resource is at another clinic' });
      else if (!expectedKind || telehealth) errors.push({ field: 'resourceId', message: `a ${request.type} appointment holds no resource` });
      else if (parties.resource.kind !== expectedKind) errors.push({ field: 'resourceId', message: `a ${request.type} appointment needs a ${expectedKind}` });
      else if (!parties.resource.active) errors.push({ field: 'resourceId', message: 'the resource is out of service' });
    }
    if (request.providerId) {
      if (!definition.needsProvider) errors.push({ field: 'providerId', message: `a ${request.type} appointment is not booked with a provider` });
      else if (!parties.provider || parties.provider.role !== 'provider' || !parties.provider.active) {
        errors.push({ field: 'providerId', message: 'no active provider has this id' });
      }
    }
    if (request.courseId) {
      // Another patient's course would count this patient's session, and cancel it with its own.
      const { course } = parties;
      if (!course) errors.push({ field: 'courseId', message: 'no course has this id' });
      else if (course.patientId !== request.patientId) errors.push({ field: 'courseId', message: "the course is another patient's" });
      else if (course.treatment !== request.type)
        errors.push({ field: 'courseId', message: `the course is a ${course.treatment} course, not ${request.type}` });
      else if (!existing && course.status !== 'active') errors.push({ field: 'courseId', message: `the course is ${course.status}` });
    }
    if (errors.length || !patient || !location) throw new InvalidInput(errors);
    return { ...parties, patient, location };
  }

  /** Judges the prepared request under the rules (no writing). */
  decide(request: BookingRequest, prepared: PreparedBooking, excludeAppointmentId?: string): SlotDecision {
    return evaluateSlot(
      prepared.plan,
      prepared.context,
      {
        resourceId: request.resourceId,
        patientId: request.patientId,
        providerId: request.providerId,
        telehealth: request.mode === 'telehealth',
        course: prepared.course,
        accelerated: prepared.course?.protocol.code === 'tms-accelerated',
        override: request.override !== undefined,
        waive: request.waive,
      },
      excludeAppointmentId,
    );
  }

  /**
   * A treatment booked outside a transaction (TMS; visits need none at all) when nothing needs the patient's
   * lock: the exclusion constraints and the daily-limit index settle any race. A patient under an
   * authorization is booked in a transaction holding their lock instead, so that two bookings at once
   * cannot both spend the last approved session.
   */
  async bookWithoutTransaction(request: BookingRequest, actor: Actor): Promise<Booked> {
    const manager = this.dataSource.manager;
    const prepared = await this.prepare(manager, request);
    if (prepared.context.authorizations?.length) return inTransaction(this.dataSource, (tx) => this.book(tx, request, actor));
    return this.write(manager, request, prepared, actor);
  }

  /**
   * Books inside `manager`'s transaction; a refusal is a RuleViolation (409) naming the rule. When a
   * concurrent booking takes the resource in between, the statement fails with CL001 and the caller's
   * transaction is retried (see inTransaction), which reads the calendar afresh.
   */
  async book(manager: EntityManager, request: BookingRequest, actor: Actor): Promise<Booked> {
    return this.write(manager, request, await this.prepare(manager, request), actor);
  }

  private async write(manager: EntityManager, request: BookingRequest, prepared: PreparedBooking, actor: Actor): Promise<Booked> {
    const decision = this.decide(request, prepared);
    if (!decision.ok) throw refusal(decision);
    const { plan } = prepared;
    await this.clearExpiredHolds(manager, prepared, decision);
    const placement = placementOf(plan, decision, prepared);
    const row: NewAppointment = {
      id: request.id ?? randomUUID(),
      patientId: request.patientId,
      type: request.type,
      mode: request.mode ?? 'inPerson',
      locationId: request.locationId,
      ...placement,
      courseId: request.courseId ?? null,
      sequence: request.sequence ?? null,
      createdBy: actor.id,
    };
    const appointmentRef = { cte: INSERTED_APPOINTMENT, idColumn: 'id' };
    const audited = [
      this.audit.entryFor(actor, 'appointment.create', 'appointment', appointmentRef, {
        patientId: request.patientId,
        type: request.type,
        locationId: request.locationId,
        ...(request.courseId ? { courseId: request.courseId } : {}),
      }),
    ];
    const overridden = decision.overridden ?? [];
    if (overridden.length && request.override && !request.override.auditedBy) {
      audited.push(
        this.audit.entryFor(actor, 'appointment.override', 'appointment', appointmentRef, {
          patientId: request.patientId,
          reason: request.override.reason,
          rules: overridden.map((o) => o.rule),
        }),
      );
    }
    // What other modules write with the appointment (reminder texts), in the same statement.
    const draft = Object.assign(new AppointmentEntity(), row, { status: 'scheduled' as const, earliestDischargeAt: null });
    const companions = await this.events.companionsForBooking(manager, draft);
    const inserted = await this.writer.insert(manager, row, plan.segments, decision.segmentResourceIds, [...audited, ...companions]);
    if (!inserted) {
      // The patient (or the provider) was booked by a concurrent request that committed in between.
      const conflicts = await this.appointments.findConflicting(manager, request.patientId, plan.occupancy, [], decision.providerId, placement);
      const taken = conflicts.find((c) => c.reason !== 'the resource is held then');
      const [rule, detail]: [string, string] = taken?.reason.includes('treatment')
        ? ['treatment-frequency', 'The patient already has a treatment that day that counts against the daily limit.']
        : taken?.reason.includes('provider')
          ? ['provider-overlap', 'The provider already sees a patient then.']
          : ['patient-overlap', 'The patient already has an appointment at that time.'];
      throw new RuleViolation(
        rule,
        detail,
        conflicts.map((c) => ({ appointmentId: c.appointmentId, reason: c.reason })),
      );
    }
    return { ...inserted, warnings: [...prepared.warnings, ...overrideWarnings(request, overridden)] };
  }

  /**
   * One booking on its own, as `POST /api/appointments` makes it (and FHIR's `$book`). A type with
   * observation time is decided under the nurse-capacity and patient locks, which need a transaction; so is
   * any booking a provider overrides (it reads what it overrides under the lock). Otherwise the calendar
   * read and the one INSERT statement (appointment, segments, audit entries, what other modules write with
   * it: atomic on its own) need none; the constraints settle any race.
   */
  bookAlone(request: BookingRequest, actor: Actor): Promise<Booked> {
    return APPOINTMENT_TYPE_DEFINITIONS[request.type].observationFrom !== undefined || request.override
      ? inTransaction(this.dataSource, (manager) => this.book(manager, request, actor))
      : withRetries(() => this.bookWithoutTransaction(request, actor));
  }

  /**
   * Moves a scheduled appointment to a new start (and/or resource, clinic or length) under the same rules,
   * in the caller's transaction. Without a resource it keeps the current one when that is free then, else
   * picks another.
   */
  async reschedule(
    manager: EntityManager,
    id: string,
    change: { startsAt?: Date; resourceId?: string; locationId?: string; durationMinutes?: number; firstOfCourse?: boolean },
    actor: Actor,
    options: { override?: BookingOverride; waive?: readonly BookingRule[]; publish?: boolean; previous?: AppointmentEntity } = {},
  ): Promise<{ appointment: AppointmentEntity; warnings: string[] }> {
    const current = await this.lookup.lockOrFail(manager, id);
    const before = options.previous ?? current;
    if (current.status !== 'scheduled') {
      throw new RuleViolation('status', `Only a scheduled appointment can be moved; this one is ${current.status}.`);
    }
    const locationId = change.locationId ?? current.locationId;
    const request: BookingRequest = {
      patientId: current.patientId,
      type: current.type,
      locationId,
      startsAt: change.startsAt ?? current.startsAt,
      resourceId: change.resourceId,
      providerId: current.providerId ?? undefined,
      mode: current.mode,
      durationMinutes: change.durationMinutes ?? Math.round((current.occupancyEndsAt.getTime() - current.occupancyStartsAt.getTime()) / 60_000),
      firstOfCourse: change.firstOfCourse,
      courseId: current.courseId ?? undefined,
      sequence: current.sequence ?? undefined,
      override: options.override,
      waive: options.waive,
    };
    const prepared = await this.prepare(manager, request, true);
    const keep = locationId === current.locationId ? (current.resourceId ?? undefined) : undefined;
    let decision = this.decide({ ...request, resourceId: change.resourceId ?? keep }, prepared, id);
    if (!decision.ok && !change.resourceId && decision.rule === 'resource-overlap') decision = this.decide(request, prepared, id);
    if (!decision.ok) throw refusal(decision);

    const { plan } = prepared;
    await this.clearExpiredHolds(manager, prepared, decision);
    await this.appointments.deleteSegments(manager, id);
    await this.appointments.updateTimes(manager, id, { locationId, ...placementOf(plan, decision, prepared) });
    const placed = await this.appointments.insertSegments(manager, id, plan.segments, decision.segmentResourceIds);
    if (!placed) throw new RuleViolation('resource-overlap', 'The resource was just booked by someone else for part of that time.');
    const updated = await this.lookup.findOrFail(id, manager);
    if (options.publish !== false) {
      await this.events.publish(manager, {
        change: 'rescheduled',
        appointment: updated,
        actor,
        previous: { startsAt: before.startsAt, resourceId: before.resourceId, locationId: before.locationId },
      });
    }
    await this.audit.record(manager, actor, 'appointment.reschedule', 'appointment', id, {
      patientId: updated.patientId,
      from: { startsAt: before.startsAt.toISOString(), resourceId: before.resourceId, locationId: before.locationId },
      to: { startsAt: updated.startsAt.toISOString(), resourceId: updated.resourceId, locationId: updated.locationId },
    });
    const overridden = decision.overridden ?? [];
    if (overridden.length && options.override && !options.override.auditedBy) {
      await this.audit.record(manager, actor, 'appointment.override', 'appointment', id, {
        patientId: updated.patientId,
        reason: options.override.reason,
        rules: overridden.map((o) => o.rule),
      });
    }
    return { appointment: updated, warnings: [...prepared.warnings, ...overrideWarnings(request, overridden)] };
  }

  /**
   * Moves several scheduled appointments of one patient at once (a course replanned from a session on),
   * in the caller's transaction: each is judged under the rules as if the others stood where they go,
   * and none ever collides with where another still stands. The appointments first step out of the
   * calendar (shifted a thousand years back, which keeps them apart from one another and from everything
   * real; nothing outside this transaction sees it), then each is placed in turn. The listeners hear of
   * all the moves together once they are done, so that texts are re-planned from the final places.
   */
  async rescheduleMany(
    manager: EntityManager,
    moves: PlannedMove[],
    actor: Actor,
    options: { override?: BookingOverride; waive?: readonly BookingRule[] } = {},
  ): Promise<AppointmentEntity[]> {
    const ids = moves.map((m) => m.appointmentId);
    const previous = new Map<string, AppointmentEntity>();
    for (const id of [...ids].sort()) {
      const current = await this.lookup.lockOrFail(manager, id);
      if (current.status !== 'scheduled') throw new RuleViolation('status', `Only scheduled appointments can be moved; ${id} is ${current.status}.`);
      previous.set(id, current);
    }
    await this.appointments.stepOutOfCalendar(manager, ids);
    const moved: AppointmentEntity[] = [];
    for (const move of moves) {
      const { appointment } = await this.reschedule(
        manager,
        move.appointmentId,
        { startsAt: move.startsAt, locationId: move.locationId, resourceId: move.resourceId, durationMinutes: move.durationMinutes },
        actor,
        { ...options, publish: false, previous: previous.get(move.appointmentId) },
      );
      moved.push(appointment);
    }
    await this.events.publishAll(
      manager,
      moved.map((appointment) => {
        const before = previous.get(appointment.id)!;
        // With where it was, so that a slot a replan frees can be offered to the waitlist.
        return {
          change: 'rescheduled' as const,
          appointment,
          actor,
          previous: { startsAt: before.startsAt, resourceId: before.resourceId, locationId: before.locationId },
        };
      }),
    );
    return moved;
  }

  /**
   * The patient holds the resource longer than booked (a dose given late): the appointment's occupancy is
   * extended to `until`, and a booking of the same resource it now runs into is moved to another free
   * resource of the same kind at the same time (its patient's time does not change), or put on the front
   * desk's worklist as a chair conflict.
   */
  extendOccupancy(manager: EntityManager, appointment: AppointmentEntity, until: Date, actor: Actor): Promise<OccupancyExtension> {
    return this.overrun.extend(manager, appointment, until, actor);
  }

  /**
   * A hold past its expiry holds nothing (the rules passed over it) but its row is still in the exclusion
   * constraint until swept: the booking that takes its time deletes it first. Nothing to do, and no round
   * trip, when the calendar read saw no expired hold.
   */
  private async clearExpiredHolds(manager: EntityManager, prepared: PreparedBooking, decision: Extract<SlotDecision, { ok: true }>): Promise<void> {
    const expired = prepared.context.expiredHolds;
    if (!expired?.length) return;
    const inTheWay = expired.filter((hold) =>
      prepared.plan.segments.some((segment, i) => decision.segmentResourceIds[i] === hold.resourceId && hold.start < segment.end && segment.start < hold.end),
    );
    if (inTheWay.length) await this.holds.deleteExpired(manager, [...new Set(inTheWay.map((h) => h.holdId))], this.clock.now());
  }

  /** The patient confirmed by text (audited); false when it was confirmed before. Only a scheduled appointment that has not started. */
  async confirm(manager: EntityManager, id: string, actor: Actor): Promise<{ appointment: AppointmentEntity; changed: boolean }> {
    const current = await this.upcomingOrFail(manager, id);
    const changed = await this.appointments.markConfirmed(manager, id, this.clock.now());
    if (changed) await this.audit.record(manager, actor, 'appointment.confirm', 'appointment', id, { patientId: current.patientId });
    return { appointment: await this.lookup.findOrFail(id, manager), changed };
  }

  /** The patient asked by text to move it (audited); false when they had asked before. */
  async requestReschedule(manager: EntityManager, id: string, actor: Actor): Promise<{ appointment: AppointmentEntity; changed: boolean }> {
    const current = await this.upcomingOrFail(manager, id);
    const changed = await this.appointments.markRescheduleRequested(manager, id, this.clock.now());
    if (changed) await this.audit.record(manager, actor, 'appointment.reschedule-request', 'appointment', id, { patientId: current.patientId });
    return { appointment: await this.lookup.findOrFail(id, manager), changed };
  }

  private async upcomingOrFail(manager: EntityManager, id: string): Promise<AppointmentEntity> {
    const current = await this.lookup.lockOrFail(manager, id);
    if (current.status !== 'scheduled') throw new RuleViolation('status', `The appointment is ${current.status}.`);
    if (current.startsAt <= this.clock.now()) throw new RuleViolation('status', 'The appointment has started.');
    return current;
  }

  /** Cancels one appointment in the caller's transaction (also each session of a course cancelled as a whole). */
  async cancel(manager: EntityManager, id: string, reason: string, actor: Actor, partOf?: AppointmentChangeEvent['partOf']): Promise<AppointmentEntity> {
    const current = await this.lookup.lockOrFail(manager, id);
    if (!CANCELLABLE.includes(current.status)) throw new RuleViolation('status', `An appointment that is ${current.status} cannot be cancelled.`);
    await this.appointments.release(manager, id, 'cancelled', reason, this.clock.now());
    const cancelled = await this.lookup.findOrFail(id, manager);
    await this.events.publish(manager, { change: 'cancelled', appointment: cancelled, actor, partOf });
    await this.audit.record(manager, actor, 'appointment.cancel', 'appointment', id, { patientId: cancelled.patientId, reason });
    return cancelled;
  }

  /** The patient did not come: the appointment releases what it held (only once it has started). */
  async markNoShow(manager: EntityManager, id: string, actor: Actor, reason: string | null = null): Promise<AppointmentEntity> {
    const current = await this.lookup.lockOrFail(manager, id);
    if (current.status !== 'scheduled') throw new RuleViolation('status', `Only a scheduled appointment can be a no-show; this one is ${current.status}.`);
    if (this.clock.now() < current.startsAt) {
      throw new RuleViolation('no-show-too-early', 'A patient can be marked as a no-show only once the appointment has started.');
    }
    await this.appointments.release(manager, id, 'no_show', reason, this.clock.now());
    const updated = await this.lookup.findOrFail(id, manager);
    await this.events.publish(manager, { change: 'no_show', appointment: updated, actor });
    await this.audit.record(manager, actor, 'appointment.no-show', 'appointment', id, { patientId: updated.patientId });
    return updated;
  }
}

/** The course as the rules see it: its protocol, the session's place in it and the options it was booked with. */
function courseSlotOf(course: NonNullable<BookingParties['course']>, sequence: number | null): CourseSlot | undefined {
  const protocol = PROTOCOLS[course.protocol as keyof typeof PROTOCOLS];
  if (!protocol) return undefined;
  return { id: course.id, protocol, sequence, options: storedCourseOptions(protocol, course.totalSessions, course.settings ?? {}) };
}

/** A refusal as the 409 says it; `overridable` tells a provider an override and a reason would book it. */
function refusal(decision: Extract<SlotDecision, { ok: false }>): RuleViolation {
  return new RuleViolation(decision.rule, decision.detail, decision.conflicts, decision.overridable ? { overridable: true } : {});
}

function overrideWarnings(request: BookingRequest, overridden: Array<{ detail: string }>): string[] {
  if (!request.override || request.override.auditedBy) return [];
  if (!overridden.length) return ['The override was not needed: the booking is within every limit a provider may override.'];
  return overridden.map((o) => `Override: ${o.detail} (${request.override!.reason}).`);
}
