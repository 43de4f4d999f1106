import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { clinicDatesBetween, CLINIC_ZONE } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { FieldError, InvalidInput, RuleViolation } from '../common/problems';
import { inTransaction, withRetries } from '../common/transaction';
import { AppointmentChangeEvent, AppointmentEvents } from './appointment-events';
import { AppointmentLookup } from './appointment-lookup.service';
import { AppointmentSegmentEntity } from './appointment-segment.entity';
import { AppointmentEntity } from './appointment.entity';
import { AppointmentsRepository } from './appointments.repository';
import { INSERTED_APPOINTMENT, BookingWriter, NewAppointment } from './booking-writer.repository';
import { BookingParties, CalendarQuery, CalendarRepository } from './calendar.repository';
import { APPOINTMENT_TYPE_DEFINITIONS, AppointmentPlan, calendarNeedsOf, planAppointment, PlanError } from './domain/appointment-types';
import { BookingContext, evaluateSlot, SlotDecision } from './domain/slot-rules';
import { AppointmentStatus, AppointmentType, VisitMode } from './domain/vocabulary';

export interface BookingRequest {
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
  warnings: string[];
}

const CANCELLABLE: readonly AppointmentStatus[] = ['scheduled', 'checked_in'];

/** The columns an accepted decision fills: where and when the appointment holds what. */
function placementOf(plan: AppointmentPlan, decision: Extract<SlotDecision, { ok: true }>) {
  return {
    resourceId: decision.segmentResourceIds[0] ?? null,
    providerId: decision.providerId,
    startsAt: plan.startsAt,
    endsAt: plan.endsAt,
    occupancyStartsAt: plan.occupancy.start,
    occupancyEndsAt: plan.occupancy.end,
    observationStartsAt: plan.observation?.start ?? null,
    observationEndsAt: plan.observation?.end ?? null,
  };
}

const addMinutes = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

/**
 * Books, moves and releases appointments inside the caller's transaction, under every rule. Single
 * bookings, reschedules and whole treatment courses all come through here, so that a course session is a
 * normal appointment. A booking costs three round trips: the capacity lock (types with observation only),
 * the calendar with everything the request names, and one statement writing the appointment, its
 * segments, its audit entry and what other modules write with it.
 */
@Injectable()
export class BookingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appointments: AppointmentsRepository,
    private readonly lookup: AppointmentLookup,
    private readonly calendars: CalendarRepository,
    private readonly writer: BookingWriter,
    private readonly events: AppointmentEvents,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** The calendar the rules judge against (course planning judges many starts against one read). */
  calendar(manager: EntityManager | undefined, query: Omit<CalendarQuery, 'now'>): Promise<BookingContext> {
    return this.calendars.loadCalendar(manager, { ...query, now: this.clock.now() });
  }

  /**
   * Takes the nurse-capacity lock when the type has observation time, then loads the calendar and what the
   * request names in one query, checks them (400 naming the field) and plans the occupancy.
   */
  async prepare(manager: EntityManager, request: BookingRequest): Promise<PreparedBooking> {
    const definition = APPOINTMENT_TYPE_DEFINITIONS[request.type];
    // The longest visit the type allows bounds the span of calendar the rules can look at.
    const span = { start: request.startsAt, end: addMinutes(request.startsAt, Math.max(definition.maximumMinutes, request.durationMinutes ?? 0)) };
    if (definition.observationFrom !== undefined) {
      // Every clinic of the group is in the clinics' zone; the lock is per (clinic, local day).
      await this.calendars.lockCapacity(manager, request.locationId, clinicDatesBetween(span.start, span.end, CLINIC_ZONE));
    }
    const { context, parties } = await this.calendars.loadCalendarAndParties(
      manager,
      {
        locationId: request.locationId,
        span,
        patientId: request.patientId,
        providersAnywhere: request.mode === 'telehealth',
        needs: calendarNeedsOf(request.type),
        now: this.clock.now(),
      },
      { patientId: request.patientId, resourceId: request.resourceId, providerId: request.providerId },
    );
    const checked = this.check(request, parties);

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
    return { plan, parties: checked, context, warnings };
  }

  private check(request: BookingRequest, parties: BookingParties): CheckedParties {
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
    if (errors.length || !patient || !location) throw new InvalidInput(errors);
    return { ...parties, patient, location };
  }

  /** Judges the prepared request under the rules (no writing). */
  decide(request: BookingRequest, prepared: PreparedBooking, excludeAppointmentId?: string): SlotDecision {
    return evaluateSlot(
      prepared.plan,
      prepared.context,
      { resourceId: request.resourceId, patientId: request.patientId, providerId: request.providerId, telehealth: request.mode === 'telehealth' },
      excludeAppointmentId,
    );
  }

  /**
   * Books inside `manager`'s transaction; a refusal is a RuleViolation (409) naming the rule. When a
   * concurrent booking takes the resource in between, the statement fails with CL001 and the caller's
   * transaction is retried (see inTransaction), which reads the calendar afresh.
   */
  async book(manager: EntityManager, request: BookingRequest, actor: Actor): Promise<Booked> {
    const prepared = await this.prepare(manager, request);
    const decision = this.decide(request, prepared);
    if (!decision.ok) throw new RuleViolation(decision.rule, decision.detail, decision.conflicts);
    const { plan } = prepared;
    const row: NewAppointment = {
      id: randomUUID(),
      patientId: request.patientId,
      type: request.type,
      mode: request.mode ?? 'inPerson',
      locationId: request.locationId,
      ...placementOf(plan, decision),
      courseId: request.courseId ?? null,
      sequence: request.sequence ?? null,
      createdBy: actor.id,
    };
    const audited = this.audit.entryFor(
      actor,
      'appointment.create',
      'appointment',
      { cte: INSERTED_APPOINTMENT, idColumn: 'id' },
      {
        patientId: request.patientId,
        type: request.type,
        locationId: request.locationId,
        ...(request.courseId ? { courseId: request.courseId } : {}),
      },
    );
    // What other modules write with the appointment (reminder texts), in the same statement.
    const draft = Object.assign(new AppointmentEntity(), row, { status: 'scheduled' as const, earliestDischargeAt: null });
    const companions = await this.events.companionsForBooking(manager, draft);
    const inserted = await this.writer.insert(manager, row, plan.segments, decision.segmentResourceIds, [audited, ...companions]);
    if (!inserted) {
      // The patient (or the provider) was booked by a concurrent request that committed in between.
      const conflicts = await this.appointments.findConflicting(manager, request.patientId, plan.occupancy, [], decision.providerId);
      const patientTaken = conflicts.some((c) => c.reason.includes('patient'));
      throw new RuleViolation(
        patientTaken ? 'patient-overlap' : 'provider-overlap',
        patientTaken ? 'The patient already has an appointment at that time.' : 'The provider already sees a patient then.',
        conflicts.map((c) => ({ appointmentId: c.appointmentId, reason: c.reason })),
      );
    }
    return { ...inserted, warnings: prepared.warnings };
  }

  /**
   * One booking on its own, as `POST /api/appointments` makes it (and FHIR's `$book`): a type with
   * observation time is decided under the nurse-capacity lock, which needs a transaction; otherwise the
   * calendar read and the one INSERT statement (appointment, segments, audit entry, what other modules
   * write with it: atomic on its own) need none, and the exclusion constraints settle any race.
   */
  bookAlone(request: BookingRequest, actor: Actor): Promise<Booked> {
    return APPOINTMENT_TYPE_DEFINITIONS[request.type].observationFrom !== undefined
      ? inTransaction(this.dataSource, (manager) => this.book(manager, request, actor))
      : withRetries(() => this.book(this.dataSource.manager, request, actor));
  }

  /**
   * Moves a scheduled appointment to a new start and/or resource under the same rules, in the caller's
   * transaction. Without a resource it keeps the current one when that is free then, else picks another.
   */
  async reschedule(
    manager: EntityManager,
    id: string,
    change: { startsAt?: Date; resourceId?: string },
    actor: Actor,
  ): Promise<{ appointment: AppointmentEntity; warnings: string[] }> {
    const current = await this.lookup.lockOrFail(manager, id);
    if (current.status !== 'scheduled') {
      throw new RuleViolation('status', `Only a scheduled appointment can be moved; this one is ${current.status}.`);
    }
    const request: BookingRequest = {
      patientId: current.patientId,
      type: current.type,
      locationId: current.locationId,
      startsAt: change.startsAt ?? current.startsAt,
      resourceId: change.resourceId,
      providerId: current.providerId ?? undefined,
      mode: current.mode,
      durationMinutes: Math.round((current.occupancyEndsAt.getTime() - current.occupancyStartsAt.getTime()) / 60_000),
      courseId: current.courseId ?? undefined,
      sequence: current.sequence ?? undefined,
    };
    const prepared = await this.prepare(manager, request);
    let decision = this.decide({ ...request, resourceId: change.resourceId ?? current.resourceId ?? undefined }, prepared, id);
    if (!decision.ok && !change.resourceId && decision.rule === 'resource-overlap') decision = this.decide(request, prepared, id);
    if (!decision.ok) throw new RuleViolation(decision.rule, decision.detail, decision.conflicts);

    const { plan } = prepared;
    await this.appointments.deleteSegments(manager, id);
    await this.appointments.updateTimes(manager, id, placementOf(plan, decision));
    const placed = await this.appointments.insertSegments(manager, id, plan.segments, decision.segmentResourceIds);
    if (!placed) throw new RuleViolation('resource-overlap', 'The resource was just booked by someone else for part of that time.');
    const updated = await this.lookup.findOrFail(id, manager);
    await this.events.publish(manager, { change: 'rescheduled', appointment: updated, actor });
    await this.audit.record(manager, actor, 'appointment.reschedule', 'appointment', id, {
      patientId: updated.patientId,
      from: { startsAt: current.startsAt.toISOString(), resourceId: current.resourceId },
      to: { startsAt: updated.startsAt.toISOString(), resourceId: updated.resourceId },
    });
    return { appointment: updated, warnings: prepared.warnings };
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
  async markNoShow(manager: EntityManager, id: string, actor: Actor): Promise<AppointmentEntity> {
    const current = await this.lookup.lockOrFail(manager, id);
    if (current.status !== 'scheduled') throw new RuleViolation('status', `Only a scheduled appointment can be a no-show; this one is ${current.status}.`);
    if (this.clock.now() < current.startsAt) {
      throw new RuleViolation('no-show-too-early', 'A patient can be marked as a no-show only once the appointment has started.');
    }
    await this.appointments.release(manager, id, 'no_show', null, this.clock.now());
    const updated = await this.lookup.findOrFail(id, manager);
    await this.events.publish(manager, { change: 'no_show', appointment: updated, actor });
    await this.audit.record(manager, actor, 'appointment.no-show', 'appointment', id, { patientId: updated.patientId });
    return updated;
  }
}
