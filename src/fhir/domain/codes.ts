import type { AppointmentStatus, AppointmentType } from '../../appointments/domain/vocabulary';
import type { ResourceKind } from '../../locations/domain/resources';

/** The code systems and extensions of this server's FHIR interface (documented in the README and the CapabilityStatement). */
export const APPOINTMENT_TYPE_SYSTEM = 'urn:clinic-scheduler:appointment-type';
export const RESOURCE_KIND_SYSTEM = 'urn:clinic-scheduler:resource-kind';
export const RULE_SYSTEM = 'urn:clinic-scheduler:rule';
export const LOCATION_CODE_SYSTEM = 'urn:clinic-scheduler:location-code';
/** Our own status of an appointment, finer than FHIR's (in_treatment and observing are both checked-in there). */
export const APPOINTMENT_STATUS_EXTENSION = 'urn:clinic-scheduler:fhir:appointment-status';
/** When a `$hold` lapses. */
export const HOLD_EXPIRES_EXTENSION = 'urn:clinic-scheduler:fhir:hold-expires';
export const TIMEZONE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/timezone';
export const PHYSICAL_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/location-physical-type';

export const APPOINTMENT_TYPE_NAMES: Record<AppointmentType, string> = {
  spravato: 'Spravato (esketamine) treatment',
  ketamine: 'IV ketamine infusion',
  tms: 'TMS session',
  ect: 'ECT treatment',
  intake: 'Intake consultation',
  follow_up: 'Follow-up visit',
};

export const RESOURCE_KIND_NAMES: Record<ResourceKind, string> = {
  treatment_chair: 'Treatment chair',
  tms_device: 'TMS device',
  ect_suite: 'ECT suite',
  recovery_bay: 'Recovery bay',
};

/** A resource is a place inside its clinic: a room (the ECT suite) or a bed-like station (a chair, a bay, a TMS chair). */
export const RESOURCE_PHYSICAL_TYPE: Record<ResourceKind, { code: string; display: string }> = {
  treatment_chair: { code: 'bd', display: 'Bed' },
  tms_device: { code: 'bd', display: 'Bed' },
  ect_suite: { code: 'ro', display: 'Room' },
  recovery_bay: { code: 'bd', display: 'Bed' },
};

type FhirAppointmentStatus = 'proposed' | 'pending' | 'booked' | 'arrived' | 'fulfilled' | 'cancelled' | 'noshow' | 'checked-in';

/** Our statuses as FHIR's: a patient under treatment or in observation is still checked in; discharged is fulfilled. */
export const FHIR_APPOINTMENT_STATUS: Record<AppointmentStatus, FhirAppointmentStatus> = {
  scheduled: 'booked',
  checked_in: 'checked-in',
  in_treatment: 'checked-in',
  observing: 'checked-in',
  discharged: 'fulfilled',
  no_show: 'noshow',
  cancelled: 'cancelled',
};

/** A FHIR id may not hold `_`: the type follow_up is `follow-up` in ids (HealthcareService, Slot). */
export const typeToId = (type: AppointmentType): string => type.replace('_', '-');
export const typeFromId = (id: string): string => id.replace('-', '_');
