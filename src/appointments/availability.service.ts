import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { clinicDatesBetween, clinicInstant, formatWallTime, toClinicIso, wallMinutes } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { InvalidInput } from '../common/problems';
import { parseOffsetDateTime } from '../common/validation';
import { LocationsService } from '../locations/locations.service';
import { AppointmentType, VisitMode } from './domain/vocabulary';
import { CalendarRepository } from './calendar.repository';
import { APPOINTMENT_TYPE_DEFINITIONS, defaultMinutesFor, planAppointment, planningNeedsOf, PlanError } from './domain/appointment-types';
import { BookingContext, closureOn, evaluateSlot } from './domain/slot-rules';
import { TREATMENTS, Treatment } from './domain/vocabulary';
import { AvailabilityQuery, AvailableSlotResponse } from './dto/appointment.dto';

const MAX_DAYS = 31;

export interface AvailabilityRequest {
  type: AppointmentType;
  locationId: string;
  from: Date;
  to: Date;
  patientId?: string;
  resourceId?: string;
  providerId?: string;
  mode?: VisitMode;
  durationMinutes?: number;
  firstOfCourse?: boolean;
  /** An appointment whose own time counts as free (offering another time for it). */
  excludeAppointmentId?: string;
}

export interface AvailableSlot {
  startsAt: Date;
  endsAt: Date;
  resourceId: string | null;
  providerId: string | null;
}

/** Every grid start at which a booking would succeed now: the booking rules, run over one loaded calendar. */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly calendars: CalendarRepository,
    private readonly locations: LocationsService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async list(query: AvailabilityQuery, actor: Actor): Promise<AvailableSlotResponse[]> {
    const from = parseOffsetDateTime(query.from)!;
    const to = parseOffsetDateTime(query.to)!;
    if (to <= from) throw InvalidInput.field('to', 'to must be after from');
    if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) throw InvalidInput.field('to', `a range of at most ${MAX_DAYS} days`);
    if (query.patientId) {
      await this.audit.record(undefined, actor, 'patient.availability.read', 'patient', query.patientId);
    }
    const slots = await this.find({ ...query, from, to });
    return slots.map((slot) => ({
      startsAt: toClinicIso(slot.startsAt),
      endsAt: toClinicIso(slot.endsAt),
      locationId: query.locationId,
      resourceId: slot.resourceId,
      ...(slot.providerId ? { providerId: slot.providerId } : {}),
    }));
  }

  /** `manager`: read on the caller's transaction (never a second pool connection inside one). */
  async find(request: AvailabilityRequest, preloaded?: BookingContext, manager?: EntityManager): Promise<AvailableSlot[]> {
    const location = await this.locations.findOrFail(request.locationId, manager);
    const definition = APPOINTMENT_TYPE_DEFINITIONS[request.type];
    const telehealth = request.mode === 'telehealth';
    if (telehealth && !definition.needsProvider) throw InvalidInput.field('mode', `a ${request.type} appointment cannot be telehealth`);
    const minutes =
      request.durationMinutes ?? defaultMinutesFor(request.type, { firstOfCourse: request.firstOfCourse, overrides: location.occupancyOverrides });
    try {
      planAppointment(request.type, request.from, { durationMinutes: minutes, telehealth });
    } catch (error) {
      if (error instanceof PlanError) throw InvalidInput.field(error.field, error.message);
      throw error;
    }

    const context =
      preloaded ??
      (await this.calendars.loadCalendar(manager, {
        locationId: request.locationId,
        span: { start: request.from, end: new Date(request.to.getTime() + minutes * 60_000) },
        patientId: request.patientId,
        treatment: (TREATMENTS as readonly string[]).includes(request.type) ? (request.type as Treatment) : undefined,
        providersAnywhere: telehealth,
        needs: planningNeedsOf(request.type),
        clinic: location,
        now: this.clock.now(),
      }));

    const slots: AvailableSlot[] = [];
    for (const date of clinicDatesBetween(request.from, request.to, context.zone)) {
      if (closureOn(date, context)) continue;
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
      const hours = context.hours.get(weekday);
      if (!hours) continue;
      const closes = wallMinutes(hours.closes);
      for (let minute = wallMinutes(hours.opens); minute + minutes <= closes; minute += location.slotMinutes) {
        const time = formatWallTime(minute);
        const start = clinicInstant(date, time, context.zone);
        if (!start || start < request.from || start >= request.to) continue;
        const plan = planAppointment(request.type, start, { durationMinutes: minutes, telehealth });
        const decision = evaluateSlot(
          plan,
          context,
          {
            resourceId: request.resourceId,
            patientId: request.patientId,
            providerId: request.providerId,
            telehealth,
            decisionOnly: true,
          },
          request.excludeAppointmentId,
        );
        if (decision.ok) {
          slots.push({ startsAt: plan.startsAt, endsAt: plan.endsAt, resourceId: decision.segmentResourceIds[0] ?? null, providerId: decision.providerId });
        }
      }
    }
    return slots;
  }
}
