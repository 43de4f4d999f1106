import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../common/actor';
import { clinicDatesBetween } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { InvalidInput, RuleViolation } from '../common/problems';
import { withSavepoint } from '../common/transaction';
import { AppointmentEntity, AppointmentType, VisitMode } from './appointment.entity';
import { AppointmentsRepository, BookingParties, findBookingParties } from './appointments.repository';
import { APPOINTMENT_TYPE_DEFINITIONS, AppointmentPlan, planAppointment, PlanError } from './domain/appointment-types';
import { evaluateSlot, SlotDecision } from './domain/slot-rules';

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

/** How often a booking re-reads the calendar after a concurrent booking took the resource it picked. */
const PICK_ATTEMPTS = 3;

/**
 * Books one appointment inside the caller's transaction, under every rule. Used by single bookings,
 * reschedules and whole treatment courses alike, so that a course session is a normal appointment.
 */
@Injectable()
export class BookingService {
  constructor(
    private readonly appointments: AppointmentsRepository,
    private readonly clock: Clock,
  ) {}

  /** Checks what the request names and plans the occupancy; bad input is a 400 naming the field. */
  async prepare(manager: EntityManager, request: BookingRequest): Promise<{ plan: AppointmentPlan; parties: BookingParties; warnings: string[] }> {
    const parties = await findBookingParties(manager, request);
    const errors = [];
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

    let plan: AppointmentPlan;
    try {
      plan = planAppointment(request.type, request.startsAt, {
        durationMinutes: request.durationMinutes,
        firstOfCourse: request.firstOfCourse,
        overrides: parties.location!.occupancyOverrides,
        telehealth,
      });
    } catch (error) {
      if (error instanceof PlanError) throw InvalidInput.field(error.field, error.message);
      throw error;
    }
    const warnings: string[] = [];
    if (request.type === 'spravato' && !parties.patient!.remsEnrolledAt) {
      warnings.push('The patient is not yet enrolled in the Spravato REMS: the dose will be refused until they are.');
    }
    return { plan, parties, warnings };
  }

  /** Decides under the rules (without writing), e.g. for a course's dry run. */
  async decide(manager: EntityManager, request: BookingRequest, plan: AppointmentPlan, parties: BookingParties, excludeAppointmentId?: string): Promise<SlotDecision> {
    const context = await this.appointments.loadBookingContext(
      manager,
      { locationId: request.locationId, span: plan.occupancy, patientId: request.patientId, providersAnywhere: request.mode === 'telehealth' },
      parties.location!,
      this.clock.now(),
    );
    return evaluateSlot(plan, context, { resourceId: request.resourceId, providerId: request.providerId, telehealth: request.mode === 'telehealth' }, excludeAppointmentId);
  }

  async lockCapacityFor(manager: EntityManager, plan: AppointmentPlan, locationId: string, timezone: string): Promise<void> {
    if (plan.observation) {
      await this.appointments.lockCapacity(manager, locationId, clinicDatesBetween(plan.observation.start, plan.observation.end, timezone));
    }
  }

  /** Books inside `manager`'s transaction; a refusal is a RuleViolation (409) naming the rule. */
  async book(manager: EntityManager, request: BookingRequest, actor: Actor): Promise<Booked> {
    const { plan, parties, warnings } = await this.prepare(manager, request);
    await this.lockCapacityFor(manager, plan, request.locationId, parties.location!.timezone);

    for (let attempt = 1; attempt <= PICK_ATTEMPTS; attempt++) {
      const decision = await this.decide(manager, request, plan, parties);
      if (!decision.ok) throw new RuleViolation(decision.rule, decision.detail, decision.conflicts);

      const id = await withSavepoint(manager, 'booking', async () => {
        const appointmentId = await this.appointments.insertAppointment(manager, {
          patientId: request.patientId,
          type: request.type,
          mode: request.mode ?? 'inPerson',
          locationId: request.locationId,
          ...placementOf(plan, decision),
          courseId: request.courseId ?? null,
          sequence: request.sequence ?? null,
          createdBy: actor.id,
        });
        if (!appointmentId) return false;
        const placed = await this.appointments.insertSegments(manager, appointmentId, plan.segments, decision.segmentResourceIds);
        return placed ? appointmentId : false;
      });
      if (id) {
        const appointment = (await this.appointments.findById(id, manager))!;
        return { appointment, warnings };
      }
      // A concurrent booking committed in between: a named resource or the patient is taken for good;
      // an automatically picked resource may still have a free sibling, so read the calendar again.
      if (request.resourceId || attempt === PICK_ATTEMPTS) {
        const conflicts = await this.appointments.findConflicting(manager, request.patientId, plan.occupancy, decision.segmentResourceIds, decision.providerId);
        const patientTaken = conflicts.some((c) => c.resourceId === null && c.reason.includes('patient'));
        throw new RuleViolation(
          patientTaken ? 'patient-overlap' : 'resource-overlap',
          patientTaken ? 'The patient already has an appointment at that time.' : 'The resource was just booked by someone else for part of that time.',
          conflicts.map((c) => ({ appointmentId: c.appointmentId, ...(c.resourceId ? { resourceId: c.resourceId } : {}), reason: c.reason })),
        );
      }
    }
    throw new Error('unreachable');
  }
}
