import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { clinicDatesBetween, CLINIC_ZONE } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { InvalidInput, RuleViolation } from '../common/problems';
import { inTransaction, withRetries } from '../common/transaction';
import { AppointmentEvents } from './appointment-events';
import { AppointmentLookup } from './appointment-lookup.service';
import { AppointmentEntity } from './appointment.entity';
import { AppointmentsRepository } from './appointments.repository';
import { INSERTED_APPOINTMENT, BookingWriter, NewAppointment } from './booking-writer.repository';
import { CalendarQuery, CalendarRepository } from './calendar.repository';
import { APPOINTMENT_TYPE_DEFINITIONS, AppointmentPlan, planAppointment, planningNeedsOf, PlanError } from './domain/appointment-types';
import { BookingContext, BookingRule, evaluateSlot, SlotDecision } from './domain/slot-rules';
import { OccupancyExtension, OccupancyOverrun } from './occupancy-overrun.service';
import { HoldsRepository } from './holds.repository';
import {
  Booked,
  BookingOverride,
  BookingRequest,
  checkParties,
  courseSlotOf,
  isTreatment,
  overrideWarnings,
  placementOf,
  PlannedMove,
  PreparedBooking,
  refusal,
} from './booking-request';

export type { OccupancyExtension } from './occupancy-overrun.service';
export type { Booked, BookingOverride, BookingRequest, PlannedMove, PreparedBooking } from './booking-request';

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
        // Only the segments of the kinds the type holds: a named resource of another kind is a 400 (checkParties).
        needs: planningNeedsOf(request.type),
        now: this.clock.now(),
      },
      { patientId: request.patientId, resourceId: request.resourceId, providerId: request.providerId, courseId: request.courseId },
    );
    const checked = checkParties(request, parties, existing);

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
}
