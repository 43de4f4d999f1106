import type {
  Appointment,
  AppointmentParticipant,
  CodeableConcept,
  HealthcareService,
  Location,
  Patient,
  Practitioner,
  Reference,
  Schedule,
  Slot,
} from '@medplum/fhirtypes';
import { APPOINTMENT_TYPE_DEFINITIONS } from '../../appointments/domain/appointment-types';
import { APPOINTMENT_TYPES, type AppointmentStatus, type AppointmentType } from '../../appointments/domain/vocabulary';
import type { ResourceKind } from '../../locations/domain/resources';
import {
  APPOINTMENT_STATUS_EXTENSION,
  APPOINTMENT_TYPE_NAMES,
  APPOINTMENT_TYPE_SYSTEM,
  FHIR_APPOINTMENT_STATUS,
  HOLD_EXPIRES_EXTENSION,
  LOCATION_CODE_SYSTEM,
  PHYSICAL_TYPE_SYSTEM,
  RESOURCE_KIND_NAMES,
  RESOURCE_KIND_SYSTEM,
  RESOURCE_PHYSICAL_TYPE,
  TIMEZONE_EXTENSION,
  typeToId,
} from './codes';

/*
 * Our records as FHIR R4 resources. Pure: each builder takes what the API already answers with (instants
 * with the clinic's offset) and returns the resource. The tests validate every one against R4.
 */

export interface ClinicFacts {
  id: string;
  code: string;
  name: string;
  timezone: string;
  address: string;
  phone: string;
}

export interface ResourceFacts {
  id: string;
  name: string;
  kind: ResourceKind;
  active: boolean;
  locationId: string;
}

export interface PatientFacts {
  id: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  phone: string;
}

export interface StaffFacts {
  id: string;
  name: string;
  role: string;
  active: boolean;
  locationIds: string[];
}

export interface AppointmentFacts {
  id: string;
  patientId: string;
  type: AppointmentType;
  status: AppointmentStatus;
  locationId: string;
  providerId: string | null;
  startsAt: string;
  endsAt: string;
  segments: Array<{ resourceId: string }>;
}

export const reference = (type: string, id: string, display?: string): Reference<any> => ({ reference: `${type}/${id}`, ...(display ? { display } : {}) });

export function serviceTypeOf(type: AppointmentType): CodeableConcept {
  return { coding: [{ system: APPOINTMENT_TYPE_SYSTEM, code: type, display: APPOINTMENT_TYPE_NAMES[type] }], text: APPOINTMENT_TYPE_NAMES[type] };
}

/** The types whose booking holds this kind of resource first (the one availability and `$book` pick): a recovery bay serves none on its own. */
export function typesServedBy(kind: ResourceKind): AppointmentType[] {
  return APPOINTMENT_TYPES.filter((type) => APPOINTMENT_TYPE_DEFINITIONS[type].segments[0]?.resourceKind === kind);
}

/** The types a provider's own schedule serves: visits. */
export const PROVIDER_TYPES: AppointmentType[] = APPOINTMENT_TYPES.filter((type) => APPOINTMENT_TYPE_DEFINITIONS[type].needsProvider);

const minutesBetween = (start: string, end: string) => Math.round((new Date(end).getTime() - new Date(start).getTime()) / 60_000);

export function toFhirPatient(patient: PatientFacts): Patient {
  return {
    resourceType: 'Patient',
    id: patient.id,
    active: true,
    name: [{ use: 'official', family: patient.lastName, given: [patient.firstName] }],
    birthDate: patient.dateOfBirth,
    telecom: [{ system: 'phone', value: patient.phone, use: 'mobile' }],
  };
}

export function toFhirClinic(clinic: ClinicFacts): Location {
  return {
    resourceType: 'Location',
    id: clinic.id,
    extension: [{ url: TIMEZONE_EXTENSION, valueCode: clinic.timezone }],
    identifier: [{ system: LOCATION_CODE_SYSTEM, value: clinic.code }],
    status: 'active',
    name: clinic.name,
    mode: 'instance',
    telecom: [{ system: 'phone', value: clinic.phone, use: 'work' }],
    address: { use: 'work', type: 'physical', text: clinic.address },
    physicalType: { coding: [{ system: PHYSICAL_TYPE_SYSTEM, code: 'bu', display: 'Building' }] },
  };
}

/** A chair, TMS device, ECT suite or recovery bay: a place inside its clinic, named as the clinic configured it. */
export function toFhirResourceLocation(resource: ResourceFacts, clinic: ClinicFacts): Location {
  const physical = RESOURCE_PHYSICAL_TYPE[resource.kind];
  return {
    resourceType: 'Location',
    id: resource.id,
    status: resource.active ? 'active' : 'inactive',
    name: resource.name,
    mode: 'instance',
    type: [{ coding: [{ system: RESOURCE_KIND_SYSTEM, code: resource.kind, display: RESOURCE_KIND_NAMES[resource.kind] }] }],
    physicalType: { coding: [{ system: PHYSICAL_TYPE_SYSTEM, code: physical.code, display: physical.display }] },
    partOf: reference('Location', clinic.id, clinic.name),
  };
}

export function toFhirPractitioner(staff: StaffFacts): Practitioner {
  return { resourceType: 'Practitioner', id: staff.id, active: staff.active, name: [{ text: staff.name }] };
}

/** One per appointment type, with the clinics that offer it. */
export function toFhirHealthcareService(type: AppointmentType, clinics: ClinicFacts[]): HealthcareService {
  return {
    resourceType: 'HealthcareService',
    id: typeToId(type),
    active: true,
    type: [serviceTypeOf(type)],
    name: APPOINTMENT_TYPE_NAMES[type],
    location: clinics.map((clinic) => reference('Location', clinic.id, clinic.name)),
    appointmentRequired: true,
  };
}

/** A resource's schedule (the same id as the resource), or a provider's (the same id as the Practitioner). */
export function toFhirSchedule(owner: { resource: ResourceFacts; clinic: ClinicFacts } | { provider: StaffFacts }): Schedule {
  if ('provider' in owner) {
    return {
      resourceType: 'Schedule',
      id: owner.provider.id,
      active: owner.provider.active,
      serviceType: PROVIDER_TYPES.map(serviceTypeOf),
      actor: [reference('Practitioner', owner.provider.id, owner.provider.name)],
    };
  }
  const served = typesServedBy(owner.resource.kind);
  return {
    resourceType: 'Schedule',
    id: owner.resource.id,
    active: owner.resource.active,
    ...(served.length ? { serviceType: served.map(serviceTypeOf) } : {}),
    actor: [reference('Location', owner.resource.id, owner.resource.name)],
    comment: `${RESOURCE_KIND_NAMES[owner.resource.kind]} at ${owner.clinic.name}`,
  };
}

export function toFhirSlot(slot: { id: string; scheduleId: string; status: 'free' | 'busy'; start: string; end: string; type?: AppointmentType }): Slot {
  return {
    resourceType: 'Slot',
    id: slot.id,
    schedule: reference('Schedule', slot.scheduleId),
    status: slot.status,
    start: slot.start,
    end: slot.end,
    ...(slot.type ? { serviceType: [serviceTypeOf(slot.type)] } : {}),
  };
}

const participant = (actor: NonNullable<AppointmentParticipant['actor']>, status: AppointmentParticipant['status'] = 'accepted'): AppointmentParticipant => ({
  actor,
  required: 'required',
  status,
});

/** A stored appointment. Our finer status (in_treatment, observing) rides in an extension. */
export function toFhirAppointment(appointment: AppointmentFacts): Appointment {
  const resources = [...new Set(appointment.segments.map((s) => s.resourceId))];
  return {
    resourceType: 'Appointment',
    id: appointment.id,
    extension: [{ url: APPOINTMENT_STATUS_EXTENSION, valueCode: appointment.status }],
    status: FHIR_APPOINTMENT_STATUS[appointment.status],
    serviceType: [serviceTypeOf(appointment.type)],
    start: appointment.startsAt,
    end: appointment.endsAt,
    minutesDuration: minutesBetween(appointment.startsAt, appointment.endsAt),
    participant: [
      participant(reference('Patient', appointment.patientId)),
      participant(reference('Location', appointment.locationId)),
      ...resources.map((id) => participant(reference('Location', id))),
      ...(appointment.providerId ? [participant(reference('Practitioner', appointment.providerId))] : []),
    ],
  };
}

/** What `$find` offers: an appointment not yet made, naming its clinic and its schedule's resource (or provider). */
export function toProposedAppointment(proposal: {
  type: AppointmentType;
  start: string;
  end: string;
  locationId: string;
  resourceId: string | null;
  providerId: string | null;
  patientId?: string;
}): Appointment {
  return {
    resourceType: 'Appointment',
    status: 'proposed',
    serviceType: [serviceTypeOf(proposal.type)],
    start: proposal.start,
    end: proposal.end,
    minutesDuration: minutesBetween(proposal.start, proposal.end),
    participant: [
      ...(proposal.patientId ? [participant(reference('Patient', proposal.patientId), 'needs-action')] : []),
      participant(reference('Location', proposal.locationId)),
      ...(proposal.resourceId ? [participant(reference('Location', proposal.resourceId))] : []),
      ...(proposal.providerId ? [participant(reference('Practitioner', proposal.providerId))] : []),
    ],
  };
}

/**
 * What `$hold` answers: the appointment kept for a while, `pending`, with the hold's id and its expiry in an
 * extension; `cancelled` once `$book` let it go. Its participants are what the hold keeps: the clinic and
 * the resources (an ECT booking's recovery bay too), and the patient it is kept for.
 */
export function toHeldAppointment(held: {
  id: string;
  status: 'pending' | 'cancelled';
  type: AppointmentType;
  start: string;
  end: string;
  expiresAt: string;
  patientId: string;
  locationId: string;
  resourceIds: string[];
  providerId: string | null;
}): Appointment {
  return {
    resourceType: 'Appointment',
    id: held.id,
    extension: [{ url: HOLD_EXPIRES_EXTENSION, valueInstant: held.expiresAt }],
    status: held.status,
    serviceType: [serviceTypeOf(held.type)],
    start: held.start,
    end: held.end,
    minutesDuration: minutesBetween(held.start, held.end),
    participant: [
      participant(reference('Patient', held.patientId), 'tentative'),
      participant(reference('Location', held.locationId)),
      ...[...new Set(held.resourceIds)].map((id) => participant(reference('Location', id))),
      ...(held.providerId ? [participant(reference('Practitioner', held.providerId))] : []),
    ],
  };
}
