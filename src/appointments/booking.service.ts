import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Actor } from '../common/actor';
import { clinicDatesBetween, CLINIC_ZONE } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { FieldError, InvalidInput, RuleViolation } from '../common/problems';
import { AppointmentSegmentEntity } from './appointment-segment.entity';
import { AppointmentEvents } from './appointment-events';
import { AppointmentType, VisitMode } from './domain/vocabulary';
import { AppointmentEntity } from './appointment.entity';
import { AppointmentsRepository, BookingParties } from './appointments.repository';
import { APPOINTMENT_TYPE_DEFINITIONS, AppointmentPlan, calendarNeedsOf, planAppointment, PlanError } from './domain/appointment-types';
import { BookingContext, evaluateSlot, SlotDecision } from './domain/slot-rules';

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

/** A checked request: its occupancy plan and the calendar it will be judged against. */
export interface PreparedBooking {
  plan: AppointmentPlan;
  parties: BookingParties;
  context: BookingContext;
  warnings: string[];
}

/** The columns an accepted decision fills: where and when the appointment holds what. */
export function placementOf(plan: AppointmentPlan, decision: Extract<SlotDecision, { ok: true }>) {
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
 * Books one appointment inside the caller's transaction, under every rule. Used by single bookings,
 * reschedules and whole treatment courses alike, so that a course session is a normal appointment.
 * A booking costs three round trips: the capacity lock (types with observation only), the calendar with
 * everything the request names, and one statement writing the appointment, its segments and its audit entry.
 */
@Injectable()
export class BookingService {
  constructor(
    private readonly appointments: AppointmentsRepository,
    private readonly events: AppointmentEvents,
    private readonly clock: Clock,
  ) {}

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
      await this.appointments.lockCapacity(manager, request.locationId, clinicDatesBetween(span.start, span.end, CLINIC_ZONE));
    }
    const { context, parties } = await this.appointments.loadCalendar(
      manager,
      {
        locationId: request.locationId,
        span,
        patientId: request.patientId,
        providersAnywhere: request.mode === 'telehealth',
        needs: calendarNeedsOf(request.type),
      },
      undefined,
      this.clock.now(),
      { patientId: request.patientId, resourceId: request.resourceId, providerId: request.providerId },
    );
    this.check(request, parties!);

    let plan: AppointmentPlan;
    try {
      plan = planAppointment(request.type, request.startsAt, {
        durationMinutes: request.durationMinutes,
        firstOfCourse: request.firstOfCourse,
        overrides: parties!.location!.occupancyOverrides,
        telehealth: request.mode === 'telehealth',
      });
    } catch (error) {
      if (error instanceof PlanError) throw InvalidInput.field(error.field, error.message);
      throw error;
    }
    const warnings: string[] = [];
    if (request.type === 'spravato' && !parties!.patient!.remsEnrolledAt) {
      warnings.push('The patient is not yet enrolled in the Spravato REMS: the dose will be refused until they are.');
    }
    return { plan, parties: parties!, context, warnings };
  }

  private check(request: BookingRequest, parties: BookingParties): void {
    const errors: FieldError[] = [];
    if (!parties.patient) errors.push({ field: 'patientId', message: 'no patient has this id' });
    if (!parties.location) errors.push({ field: 'locationId', message: 'no clinic has this id' });
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
    if (errors.length) throw new InvalidInput(errors);
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
    const row = {
      id: randomUUID(),
      patientId: request.patientId,
      type: request.type,
      mode: request.mode ?? ('inPerson' as const),
      locationId: request.locationId,
      ...placementOf(plan, decision),
      courseId: request.courseId ?? null,
      sequence: request.sequence ?? null,
      createdBy: actor.id,
    };
    // What other modules write with the appointment (reminder texts), in the same statement.
    const companions = await this.events.companionsForBooking(
      manager,
      Object.assign(new AppointmentEntity(), row, { status: 'scheduled' as const, earliestDischargeAt: null }),
    );
    const inserted = await this.appointments.insertBooking(
      manager,
      row,
      plan.segments,
      decision.segmentResourceIds,
      {
        actor,
        details: {
          patientId: request.patientId,
          type: request.type,
          locationId: request.locationId,
          ...(request.courseId ? { courseId: request.courseId } : {}),
        },
      },
      companions,
    );
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
}
