import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Appointment, Bundle } from '@medplum/fhirtypes';
import { DataSource, EntityManager } from 'typeorm';
import { AppointmentLookup } from '../appointments/appointment-lookup.service';
import { AvailabilityService } from '../appointments/availability.service';
import { Booked, BookingRequest, BookingService } from '../appointments/booking.service';
import { APPOINTMENT_TYPE_DEFINITIONS } from '../appointments/domain/appointment-types';
import { APPOINTMENT_TYPES, type AppointmentType } from '../appointments/domain/vocabulary';
import type { AppointmentResponse } from '../appointments/dto/appointment.dto';
import { Hold, HoldService } from '../appointments/hold.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { ClinicAccess } from '../access/clinic-access.service';
import { Actor, clinicScope } from '../common/actor';
import { toClinicIso } from '../common/clinic-time';
import { FieldError, InvalidInput, NotFound, RuleViolation } from '../common/problems';
import { inTransaction } from '../common/transaction';
import { AppConfig } from '../config/app-config';
import { searchBundle } from './domain/bundle';
import { APPOINTMENT_TYPE_SYSTEM, FHIR_APPOINTMENT_STATUS } from './domain/codes';
import { AppointmentRequest, appointmentRequestOf, OperationInput, RequestedStatus } from './domain/parameters';
import { toFhirAppointment, toHeldAppointment, toProposedAppointment, typesServedBy } from './domain/resources';
import { boundedWindow, RawQuery, SearchParams } from './domain/search-params';
import { FhirDirectoryService } from './fhir-directory.service';

const FHIR_STATUSES = [...new Set(Object.values(FHIR_APPOINTMENT_STATUS))];
/** The reason a `$hold` hold carries (a waitlist offer's is `waitlist-offer`): only these can be booked or let go through FHIR. */
const FHIR_HOLD_REASON = 'fhir-hold';

/** The fields a booking names, as the `appointment` parameter names them. */
const BOOKING_FIELDS: Record<string, string> = {
  patientId: 'participant',
  locationId: 'participant',
  resourceId: 'participant',
  providerId: 'participant',
  startsAt: 'start',
  mode: 'participant',
};

const toFacts = (a: AppointmentResponse) => ({ ...a, segments: a.segments });

/**
 * FHIR scheduling: Appointment read and search (slots: FhirSlotsService), and the IHE ITI Scheduling operations `$find` (the availability the rules allow), `$hold`
 * (the appointments' own hold, judged by the booking rules) and `$book` (the booking POST /api/appointments
 * makes, with its rules, constraints and audit; a held slot by converting its hold).
 */
@Injectable()
export class FhirSchedulingService {
  constructor(
    private readonly directory: FhirDirectoryService,
    private readonly availability: AvailabilityService,
    private readonly booking: BookingService,
    private readonly lookup: AppointmentLookup,
    private readonly holds: HoldService,
    private readonly audit: AuditTrail,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
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

  // ---- $hold ----------------------------------------------------------------------------------

  /**
   * Holds an appointment `$find` proposed for `FHIR_HOLD_MINUTES`: judged by the very rules a booking is
   * (a slot that could not be booked now cannot be held), then kept by the appointments' own hold, which
   * occupies its resources in the bookings' exclusion constraint and lapses by itself. The answer is the
   * Appointment `pending`, with the hold's id and its expiry in an extension; `$book` it to book it.
   */
  async hold(input: OperationInput | { appointment: unknown }, actor: Actor): Promise<Appointment> {
    const { field, request, booking } = await this.requested(input, ['proposed', 'pending'], actor);
    if (APPOINTMENT_TYPE_DEFINITIONS[request.type].segments.length === 0) {
      throw InvalidInput.field(`${field}.serviceType`, `a ${request.type} visit keeps no chair, device or suite that a hold could keep: $book it`);
    }
    try {
      const { hold, decision } = await inTransaction(this.dataSource, async (manager) => {
        const held = await this.holds.holdForBooking(manager, booking, { ttlMinutes: this.config.fhirHoldMinutes, reason: FHIR_HOLD_REASON }, actor);
        if (!held.hold) throw new RuleViolation(held.decision.rule, held.decision.detail, held.decision.conflicts);
        return held;
      });
      return this.heldAppointment(hold, 'pending', request.type, decision.providerId);
    } catch (error) {
      throw this.inTermsOf(error, field);
    }
  }

  // ---- $book -----------------------------------------------------------------------------------

  /**
   * Books an appointment `$find` proposed, through the same booking as POST /api/appointments (201). The
   * Appointment `$hold` answered (`pending`, with the hold's id) books the held slot by converting the hold:
   * the booking keeps the hold's id. The same Appointment `cancelled` lets the hold go (200).
   */
  async book(input: OperationInput | { appointment: unknown }, actor: Actor): Promise<{ appointment: Appointment; created: boolean }> {
    const { field, request, booking } = await this.requested(input, ['proposed', 'pending', 'cancelled'], actor);
    try {
      if (request.status === 'cancelled') return { appointment: await this.release(request.id!, request.type, booking, actor), created: false };
      const booked = request.id ? await this.bookHeld(request.id, booking, actor) : await this.booking.bookAlone(booking, actor);
      return { appointment: toFhirAppointment(toFacts(await this.lookup.respond(booked.appointment, booked.warnings))), created: true };
    } catch (error) {
      throw this.inTermsOf(error, field);
    }
  }

  /** The hold converted into the booking in one transaction: the holder gets the slot while it is held, under every rule again. */
  private bookHeld(holdId: string, booking: BookingRequest, actor: Actor): Promise<Booked> {
    return inTransaction(this.dataSource, async (manager) => {
      await this.heldFor(manager, holdId, booking);
      let booked: Booked;
      try {
        booked = await this.holds.convert(manager, holdId, { ...booking, id: holdId }, actor);
      } catch (error) {
        // Another $book of the same hold got there first (it waited on the hold's row lock).
        if (error instanceof RuleViolation && error.rule === 'hold-expired') throw await this.gone(manager, holdId);
        throw error;
      }
      await this.audit.record(manager, actor, 'hold.convert', 'resource_hold', holdId, {
        patientId: booking.patientId,
        appointmentId: booked.appointment.id,
        via: 'fhir',
      });
      return booked;
    });
  }

  /** Lets a hold go before it lapses: the slot is free at once. */
  private release(holdId: string, type: AppointmentType, booking: BookingRequest, actor: Actor): Promise<Appointment> {
    return inTransaction(this.dataSource, async (manager) => {
      const hold = await this.heldFor(manager, holdId, booking);
      if (!(await this.holds.release(manager, holdId))) throw await this.gone(manager, holdId);
      await this.audit.record(manager, actor, 'hold.release', 'resource_hold', holdId, { patientId: booking.patientId, via: 'fhir' });
      return this.heldAppointment(hold, 'cancelled', type, null);
    });
  }

  /**
   * The `$hold` hold an Appointment names, when it keeps what the Appointment asks for (the patient, the
   * clinic, the start and the resource): anything else is a 400 naming the field. A waitlist offer's hold is
   * not one `$hold` issued: it is answered as unknown.
   */
  private async heldFor(manager: EntityManager, holdId: string, booking: BookingRequest): Promise<Hold> {
    const hold = await this.holds.find(holdId, manager);
    if (!hold || hold.reason !== FHIR_HOLD_REASON) throw await this.gone(manager, holdId);
    const [first] = hold.segments;
    const errors: FieldError[] = [];
    if (hold.patientId !== booking.patientId) errors.push({ field: 'patientId', message: 'the hold keeps the slot for another patient' });
    if (hold.locationId !== booking.locationId) errors.push({ field: 'locationId', message: 'the hold is at another clinic' });
    else if (booking.resourceId && booking.resourceId !== first?.resourceId) errors.push({ field: 'resourceId', message: 'the hold keeps another resource' });
    if (first && first.start.getTime() !== booking.startsAt.getTime())
      errors.push({ field: 'startsAt', message: `the hold keeps the slot at ${toClinicIso(first.start)}` });
    if (errors.length) throw new InvalidInput(errors);
    return hold;
  }

  /** Why a hold is not there: booked already (the booking has its id), or lapsed or let go. */
  private async gone(manager: EntityManager, holdId: string): Promise<RuleViolation> {
    if (await this.lookup.find(holdId, manager)) return new RuleViolation('hold-booked', `The hold was booked already: Appointment/${holdId}.`);
    return new RuleViolation('hold-expired', 'No hold has this id any more: it lapsed or was let go, and the slot is no longer kept.');
  }

  private heldAppointment(hold: Hold, status: 'pending' | 'cancelled', type: AppointmentType, providerId: string | null): Appointment {
    const end = new Date(Math.max(...hold.segments.map((s) => s.end.getTime())));
    return toHeldAppointment({
      id: hold.id,
      status,
      type,
      start: toClinicIso(hold.segments[0].start),
      end: toClinicIso(end),
      expiresAt: toClinicIso(hold.expiresAt),
      patientId: hold.patientId!,
      locationId: hold.locationId,
      resourceIds: hold.segments.map((s) => s.resourceId),
      providerId,
    });
  }

  /**
   * What `$book` and `$hold` read from their Appointment, read by the same code: its request (400 naming what
   * is wrong), with its Locations resolved to the clinic and the resource it holds first, as a booking request.
   */
  private async requested(
    input: OperationInput | { appointment: unknown },
    statuses: readonly RequestedStatus[],
    actor: Actor,
  ): Promise<{ field: string; request: AppointmentRequest; booking: BookingRequest }> {
    const [field, resource] = this.appointmentParameter(input);
    const request = appointmentRequestOf(resource, field, statuses);
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
    const booking: BookingRequest = {
      patientId: request.patientId,
      type: request.type,
      locationId,
      startsAt: request.start,
      ...(primary ? { resourceId: primary.id } : {}),
      ...(request.practitionerId ? { providerId: request.practitionerId } : {}),
    };
    return { field, request, booking };
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
}
