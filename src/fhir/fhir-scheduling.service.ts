import { Injectable } from '@nestjs/common';
import type { Appointment, Bundle, Slot } from '@medplum/fhirtypes';
import { AppointmentLookup } from '../appointments/appointment-lookup.service';
import { AvailabilityService } from '../appointments/availability.service';
import { BookingRequest, BookingService } from '../appointments/booking.service';
import { APPOINTMENT_TYPES, type AppointmentType } from '../appointments/domain/vocabulary';
import type { AppointmentResponse } from '../appointments/dto/appointment.dto';
import { AuditTrail } from '../audit/audit-trail.service';
import { ClinicAccess } from '../access/clinic-access.service';
import { Actor, clinicScope } from '../common/actor';
import { toClinicIso } from '../common/clinic-time';
import { DomainError, FieldError, InvalidInput, NotFound } from '../common/problems';
import { searchBundle } from './domain/bundle';
import { APPOINTMENT_TYPE_SYSTEM, FHIR_APPOINTMENT_STATUS } from './domain/codes';
import { appointmentRequestOf, OperationInput } from './domain/parameters';
import { PROVIDER_TYPES, toFhirAppointment, toFhirSlot, toProposedAppointment, typesServedBy } from './domain/resources';
import { RawQuery, SearchParams, Span } from './domain/search-params';
import { parseSlotId, slotIdOf } from './domain/slot-id';
import { FhirDirectoryService, ScheduleOwner } from './fhir-directory.service';

/** The longest window a slot search or `$find` looks at: the same as GET /api/availability. */
const MAX_WINDOW_DAYS = 31;
const FHIR_STATUSES = [...new Set(Object.values(FHIR_APPOINTMENT_STATUS))];

/** The fields a booking names, as the `appointment` parameter names them. */
const BOOKING_FIELDS: Record<string, string> = {
  patientId: 'participant',
  locationId: 'participant',
  resourceId: 'participant',
  providerId: 'participant',
  startsAt: 'start',
  mode: 'participant',
};

function boundedWindow(span: Span, startField: string, endField: string): { from: Date; to: Date } {
  if (!span.start) throw InvalidInput.field(startField, `${startField} needs a lower bound (ge or gt)`);
  if (!span.end) throw InvalidInput.field(endField, `${endField} needs an upper bound (lt or le)`);
  if (span.end <= span.start) throw InvalidInput.field(endField, 'the window is empty');
  if (span.end.getTime() - span.start.getTime() > MAX_WINDOW_DAYS * 86_400_000)
    throw InvalidInput.field(endField, `a window of at most ${MAX_WINDOW_DAYS} days`);
  return { from: span.start, to: span.end };
}

const toFacts = (a: AppointmentResponse) => ({ ...a, segments: a.segments });

/**
 * FHIR scheduling: Appointment read and search, Slot read and search (computed by the booking rules,
 * never stored), and the IHE ITI Scheduling operations `$find` (the availability the rules allow) and
 * `$book` (the booking POST /api/appointments makes, with its rules, constraints and audit).
 */
@Injectable()
export class FhirSchedulingService {
  constructor(
    private readonly directory: FhirDirectoryService,
    private readonly availability: AvailabilityService,
    private readonly booking: BookingService,
    private readonly lookup: AppointmentLookup,
    private readonly audit: AuditTrail,
    private readonly access: ClinicAccess,
  ) {}

  private get base(): string {
    return this.directory.base;
  }

  // ---- Appointment -----------------------------------------------------------------------------

  async readAppointment(id: string, actor: Actor): Promise<Appointment> {
    const appointment = await this.lookup.findOrFail(id);
    await this.audit.record(undefined, actor, 'appointment.read', 'appointment', id, { patientId: appointment.patientId, via: 'fhir' });
    return toFhirAppointment(toFacts(await this.lookup.respond(appointment)));
  }

  /** By patient (any span of dates), or by clinic over at most 31 days; then by status and service type. */
  async searchAppointments(query: RawQuery, actor: Actor, self: string): Promise<Bundle<Appointment>> {
    const params = new SearchParams(query, ['patient', 'location', 'date', 'status', 'service-type']);
    const patientId = params.reference('patient', 'Patient');
    const locationId = params.reference('location', 'Location');
    const span = params.dateSpan('date');
    const statuses = params.all('status').flatMap((s) => s.split(','));
    const unknownStatus = statuses.find((s) => !(FHIR_STATUSES as string[]).includes(s));
    if (unknownStatus) throw InvalidInput.field('status', `status must be one of ${FHIR_STATUSES.join(', ')}`);
    const types = params.token('service-type', APPOINTMENT_TYPE_SYSTEM, APPOINTMENT_TYPES);

    let rows: AppointmentResponse[];
    if (patientId) {
      if (!(await this.directory.patientExists(patientId))) throw new NotFound('Patient', patientId);
      rows = await this.lookup.listForPatient(patientId, span);
      if (locationId) rows = rows.filter((row) => row.locationId === locationId);
      await this.audit.record(undefined, actor, 'patient.appointments.read', 'patient', patientId, { count: rows.length, via: 'fhir' });
    } else if (locationId) {
      const window = boundedWindow(span, 'date', 'date');
      rows = await this.lookup.listAtLocation(locationId, { start: window.from, end: window.to });
    } else {
      throw InvalidInput.field('patient', 'give patient, or location with a date window (ge…, lt…)');
    }
    // A patient's appointments at the actor's clinics only (the guard has checked the patient and the clinic).
    const scope = clinicScope(actor);
    if (scope) rows = rows.filter((row) => scope.includes(row.locationId));
    const appointments = rows
      .map((row) => toFhirAppointment(toFacts(row)))
      .filter(
        (a) =>
          (statuses.length === 0 || statuses.includes(a.status)) &&
          (types.length === 0 || types.includes(a.serviceType![0].coding![0].code as AppointmentType)),
      );
    return searchBundle(this.base, self, appointments);
  }

  // ---- Slot ------------------------------------------------------------------------------------

  /** A slot this server named, as it is now: a free start taken since is answered by its busy slot (or 404 when another start holds it). */
  async readSlot(id: string): Promise<Slot> {
    const key = parseSlotId(id);
    if (!key) throw new NotFound('Slot', id);
    const owner = await this.directory.scheduleOwner(key.scheduleId).catch(() => undefined);
    if (!owner) throw new NotFound('Slot', id);
    const window = { from: key.start, to: new Date(key.start.getTime() + 60_000) };
    if (key.status === 'free') {
      const [free] = await this.freeSlots(owner, key.scheduleId, key.type, window);
      if (free) return free;
    }
    const busy = (await this.busySlots(owner, key.scheduleId, window)).find((slot) => new Date(slot.start!).getTime() === key.start.getTime());
    if (busy) return busy;
    throw new DomainError(404, 'Not Found', `Slot ${id} is no longer ${key.status}`);
  }

  /**
   * A schedule's slots starting in a window of at most 31 days: `free` ones are the starts at which a booking
   * of `service-type` would succeed now (the availability the rules compute), `busy` ones what the resource
   * (or provider) already holds. Without `status`, both (free ones only with a service type).
   */
  async searchSlots(query: RawQuery, self: string): Promise<Bundle<Slot>> {
    const params = new SearchParams(query, ['schedule', 'start', 'status', 'service-type']);
    const scheduleId = params.reference('schedule', 'Schedule');
    if (!scheduleId) throw InvalidInput.field('schedule', 'schedule is required: Schedule/<id>');
    const window = boundedWindow(params.dateSpan('start'), 'start', 'start');
    const statuses = params.all('status').flatMap((s) => s.split(','));
    if (statuses.some((s) => s !== 'free' && s !== 'busy')) throw InvalidInput.field('status', 'status must be free or busy');
    const types = params.token('service-type', APPOINTMENT_TYPE_SYSTEM, APPOINTMENT_TYPES);
    if (types.length > 1) throw InvalidInput.field('service-type', 'give one service-type');
    const [type] = types;
    const wantsFree = statuses.length === 0 ? type !== undefined : statuses.includes('free');
    const wantsBusy = statuses.length === 0 || statuses.includes('busy');
    if (wantsFree && !type) throw InvalidInput.field('service-type', 'free slots need a service-type: how long a slot is depends on the appointment type');

    const owner = await this.directory.scheduleOwner(scheduleId);
    const slots = [
      ...(wantsFree ? await this.freeSlots(owner, scheduleId, type!, window) : []),
      ...(wantsBusy ? await this.busySlots(owner, scheduleId, window) : []),
    ].sort((a, b) => a.start!.localeCompare(b.start!));
    return searchBundle(this.base, self, slots);
  }

  private served(owner: ScheduleOwner): AppointmentType[] {
    return 'provider' in owner ? PROVIDER_TYPES : typesServedBy(owner.resource.kind);
  }

  private async freeSlots(owner: ScheduleOwner, scheduleId: string, type: AppointmentType, window: { from: Date; to: Date }): Promise<Slot[]> {
    if (!this.served(owner).includes(type)) throw InvalidInput.field('service-type', `this schedule offers no ${type} appointments`);
    const found =
      'provider' in owner
        ? (
            await Promise.all(
              owner.provider.locationIds.map((locationId) => this.availability.find({ type, locationId, ...window, providerId: owner.provider.id })),
            )
          ).flat()
        : await this.availability.find({ type, locationId: owner.resource.locationId, ...window, resourceId: owner.resource.id });
    return found.map((slot) =>
      toFhirSlot({
        id: slotIdOf({ scheduleId, status: 'free', type, start: slot.startsAt }),
        scheduleId,
        status: 'free',
        start: toClinicIso(slot.startsAt),
        end: toClinicIso(slot.endsAt),
        type,
      }),
    );
  }

  private async busySlots(owner: ScheduleOwner, scheduleId: string, window: { from: Date; to: Date }): Promise<Slot[]> {
    const locationIds = 'provider' in owner ? owner.provider.locationIds : [owner.resource.locationId];
    const held = new Map<number, Date>();
    for (const locationId of locationIds) {
      const calendar = await this.booking.calendar(undefined, {
        locationId,
        span: { start: window.from, end: window.to },
        needs: { shifts: false, observations: false, providerVisits: 'provider' in owner },
      });
      const busy = 'provider' in owner ? calendar.providerBusy.get(owner.provider.id) : calendar.resourceBusy.get(owner.resource.id);
      for (const interval of busy ?? []) if (interval.start >= window.from && interval.start < window.to) held.set(interval.start.getTime(), interval.end);
    }
    return [...held.entries()].map(([start, end]) =>
      toFhirSlot({
        id: slotIdOf({ scheduleId, status: 'busy', start: new Date(start) }),
        scheduleId,
        status: 'busy',
        start: toClinicIso(new Date(start)),
        end: toClinicIso(end),
      }),
    );
  }

  // ---- $find -----------------------------------------------------------------------------------

  /** The appointments the rules would accept now, as `proposed` Appointments: exactly what GET /api/availability lists. */
  async find(input: OperationInput, actor: Actor, self: string): Promise<Bundle<Appointment>> {
    const start = input.dateTime('start');
    const end = input.dateTime('end');
    const type = input.appointmentType('service-type');
    const errors: FieldError[] = [];
    if (!start) errors.push({ field: 'start', message: 'start is required' });
    if (!end) errors.push({ field: 'end', message: 'end is required' });
    if (!type) errors.push({ field: 'service-type', message: `service-type is required: a code of ${APPOINTMENT_TYPE_SYSTEM}` });
    if (errors.length) throw new InvalidInput(errors);
    const window = boundedWindow({ start, end }, 'start', 'end');
    const locationId = input.reference('location', 'Location');
    const patientId = input.reference('patient', 'Patient');
    const providerId = input.reference('practitioner', 'Practitioner');

    await this.access.require(actor, [
      { kind: 'patient', source: { in: 'body', name: 'patient' }, ids: patientId ? [patientId] : [] },
      { kind: 'location', source: { in: 'body', name: 'location' }, ids: locationId ? [locationId] : [] },
    ]);
    const scope = clinicScope(actor);
    const clinics = (await this.directory.places()).clinics.filter((clinic) => !scope || scope.includes(clinic.id));
    if (locationId && !clinics.some((clinic) => clinic.id === locationId))
      throw InvalidInput.field('location', 'location must be a clinic (a Location without partOf)');
    if (patientId) {
      if (!(await this.directory.patientExists(patientId))) throw InvalidInput.field('patient', 'no patient has this id');
      await this.audit.record(undefined, actor, 'patient.availability.read', 'patient', patientId, { via: 'fhir' });
    }
    const proposals: Appointment[] = [];
    for (const clinic of clinics.filter((c) => !locationId || c.id === locationId)) {
      const slots = await this.availability.find({ type: type!, locationId: clinic.id, ...window, patientId, providerId });
      for (const slot of slots) {
        proposals.push(
          toProposedAppointment({
            type: type!,
            start: toClinicIso(slot.startsAt),
            end: toClinicIso(slot.endsAt),
            locationId: clinic.id,
            resourceId: slot.resourceId,
            providerId: slot.providerId,
            patientId,
          }),
        );
      }
    }
    proposals.sort((a, b) => new Date(a.start!).getTime() - new Date(b.start!).getTime());
    return searchBundle(this.base, self, proposals);
  }

  // ---- $book -----------------------------------------------------------------------------------

  /** Books an appointment `$find` proposed, through the same booking as POST /api/appointments. */
  async book(input: OperationInput | { appointment: unknown }, actor: Actor): Promise<Appointment> {
    const [field, resource] = this.appointmentParameter(input);
    const request = appointmentRequestOf(resource, field);
    const { clinics, resources } = await this.directory.places();
    const named = request.locationIds.map((id) => ({ id, clinic: clinics.find((c) => c.id === id), resource: resources.find((r) => r.id === id) }));
    const clinicsNamed = named.filter((n) => n.clinic);
    if (clinicsNamed.length !== 1) throw InvalidInput.field(`${field}.participant`, `${field}.participant must name one clinic (a Location without partOf)`);
    const locationId = clinicsNamed[0].id;
    await this.access.require(actor, [
      { kind: 'patient', source: { in: 'body', name: `${field}.participant` }, ids: [request.patientId] },
      { kind: 'location', source: { in: 'body', name: `${field}.participant` }, ids: [locationId] },
    ]);
    const resourcesNamed = named.filter((n) => !n.clinic);
    if (resourcesNamed.some((n) => !n.resource || n.resource.locationId !== locationId)) {
      throw InvalidInput.field(`${field}.participant`, `${field}.participant names a Location that is neither the clinic nor one of its resources`);
    }
    // The resource a booking holds first (an ECT booking also names its recovery bay, which is picked again).
    const primary = resourcesNamed.find((n) => typesServedBy(n.resource!.kind).includes(request.type));
    const bookingRequest: BookingRequest = {
      patientId: request.patientId,
      type: request.type,
      locationId,
      startsAt: request.start,
      ...(primary ? { resourceId: primary.id } : {}),
      ...(request.practitionerId ? { providerId: request.practitionerId } : {}),
    };
    try {
      const booked = await this.booking.bookAlone(bookingRequest, actor);
      return toFhirAppointment(toFacts(await this.lookup.respond(booked.appointment, booked.warnings)));
    } catch (error) {
      throw this.inTermsOf(error, field);
    }
  }

  /** The Appointment to book or hold: the `appointment` parameter (IHE 1.0 calls it `appointment-resource`), or the body itself. */
  private appointmentParameter(input: OperationInput | { appointment: unknown }): [string, unknown] {
    if (!(input instanceof OperationInput)) return ['appointment', input.appointment];
    if (input.has('appointment') && input.has('appointment-resource'))
      throw InvalidInput.field('appointment', 'give appointment or appointment-resource, not both');
    if (input.has('appointment-resource')) return ['appointment-resource', input.resource('appointment-resource')];
    if (!input.has('appointment')) throw InvalidInput.field('appointment', 'appointment is required: one of the Appointments $find proposed');
    return ['appointment', input.resource('appointment')];
  }

  /** A booking's field errors named as the FHIR request names them (`appointment.participant`, `appointment.start`). */
  private inTermsOf(error: unknown, field: string): unknown {
    if (!(error instanceof InvalidInput)) return error;
    const errors = (error.extensions.errors as FieldError[]).map((e) => ({ field: `${field}.${BOOKING_FIELDS[e.field] ?? e.field}`, message: e.message }));
    return new InvalidInput(errors);
  }

  /** `$hold` needs the waitlist's hold (a hold that blocks the resource like a booking and lapses by itself); until it lands, not supported. */
  hold(): never {
    throw new DomainError(
      501,
      'Not Implemented',
      "$hold is not supported yet: it will use the waitlist's holds, which occupy the resource like a booking and expire by themselves.",
    );
  }
}
