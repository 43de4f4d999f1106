import { Injectable } from '@nestjs/common';
import type { Bundle, HealthcareService, Location, Patient, Practitioner, Schedule } from '@medplum/fhirtypes';
import { APPOINTMENT_TYPE_DEFINITIONS } from '../appointments/domain/appointment-types';
import { APPOINTMENT_TYPES, type AppointmentType } from '../appointments/domain/vocabulary';
import { Actor } from '../common/actor';
import { InvalidInput, NotFound } from '../common/problems';
import { isCalendarDate } from '../common/validation';
import { AppConfig } from '../config/app-config';
import { RESOURCE_KINDS } from '../locations/domain/resources';
import { LocationsService } from '../locations/locations.service';
import { PatientsService } from '../patients/patients.service';
import { StaffService } from '../staff/staff.service';
import { searchBundle } from './domain/bundle';
import { APPOINTMENT_TYPE_SYSTEM, RESOURCE_KIND_SYSTEM, typeFromId } from './domain/codes';
import {
  ClinicFacts,
  PROVIDER_TYPES,
  ResourceFacts,
  StaffFacts,
  toFhirClinic,
  toFhirHealthcareService,
  toFhirPatient,
  toFhirPractitioner,
  toFhirResourceLocation,
  toFhirSchedule,
  typesServedBy,
} from './domain/resources';
import { RawQuery, SearchParams } from './domain/search-params';

/** The clinics and their resources, as the directory answers them. */
export interface Places {
  clinics: ClinicFacts[];
  resources: ResourceFacts[];
}

/** Whose schedule an id names: a resource's or a provider's. */
export type ScheduleOwner = { resource: ResourceFacts; clinic: ClinicFacts } | { provider: StaffFacts };

const DEFAULT_COUNT = 50;
const CLINICAL_ROLES = ['provider', 'nurse'];

const contains = (text: string, part: string) => text.toLowerCase().includes(part.toLowerCase());

/**
 * FHIR reads and searches of the directory: Patient (through the patients service, audited as every
 * patient read is), Location (the clinics and, inside them, their chairs, devices, suites and bays),
 * Practitioner (providers and nurses), HealthcareService (one per appointment type) and Schedule (one per
 * resource, and one per provider for visits).
 */
@Injectable()
export class FhirDirectoryService {
  readonly base: string;
  private readonly origin: string;

  constructor(
    private readonly locations: LocationsService,
    private readonly patients: PatientsService,
    private readonly staff: StaffService,
    config: AppConfig,
  ) {
    this.origin = config.publicBaseUrl;
    this.base = `${config.publicBaseUrl}/fhir/R4`;
  }

  /** The absolute URL of a request path (a Bundle's self link). */
  urlOf(path: string): string {
    return `${this.origin}${path}`;
  }

  // ---- Patient ---------------------------------------------------------------------------------

  async patientExists(id: string): Promise<boolean> {
    return (await this.patients.find(id)) !== null;
  }

  async readPatient(id: string, actor: Actor): Promise<Patient> {
    return toFhirPatient(await this.patients.read(id, actor));
  }

  /** By name (family, given), phone or birth date, a page at a time; a search without any is refused (no bulk reads). */
  async searchPatients(query: RawQuery, actor: Actor, self: string): Promise<Bundle<Patient>> {
    const params = new SearchParams(query, ['_id', 'name', 'family', 'given', 'phone', 'telecom', 'birthdate', '_count', '_cursor']);
    const id = params.reference('_id', 'Patient');
    if (id) {
      const found = await this.patients.find(id);
      return searchBundle(this.base, self, found ? [await this.readPatient(id, actor)] : []);
    }
    const criteria = ['name', 'family', 'given', 'phone', 'telecom', 'birthdate'].filter((name) => params.has(name));
    if (criteria.length !== 1) throw InvalidInput.field(criteria[1] ?? 'name', 'give one of name, family, given, phone, telecom, birthdate or _id');
    const [criterion] = criteria;
    const raw = params.one(criterion)!;
    // A birth date may carry FHIR's `eq` prefix (only equality is supported); a phone token its system.
    const value =
      criterion === 'birthdate' ? raw.replace(/^eq(?=\d)/, '') : criterion === 'phone' || criterion === 'telecom' ? raw.replace(/^phone\|/, '') : raw;
    if (criterion === 'birthdate' && !isCalendarDate(value)) throw InvalidInput.field('birthdate', 'birthdate must be a date YYYY-MM-DD (equality only)');
    const count = params.integer('_count', 1, 500) ?? DEFAULT_COUNT;
    const cursor = params.reference('_cursor', 'Patient');
    const page = await this.patients.search({ search: value, limit: count, cursor }, actor);
    const matches = page.items.filter(
      (p) => (criterion !== 'family' || contains(p.lastName, value)) && (criterion !== 'given' || contains(p.firstName, value)),
    );
    const next = page.nextCursor
      ? `${this.base}/Patient?${new URLSearchParams({ [criterion]: value, _count: String(count), _cursor: page.nextCursor })}`
      : undefined;
    return searchBundle(this.base, self, matches.map(toFhirPatient), next);
  }

  // ---- Location --------------------------------------------------------------------------------

  async places(): Promise<Places> {
    const clinics = (await this.locations.list()).map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      timezone: c.timezone,
      address: c.address,
      phone: c.phone,
    }));
    const resources = (
      await Promise.all(clinics.map(async (clinic) => (await this.locations.listResources(clinic.id)).map((r) => ({ ...r, locationId: clinic.id }))))
    ).flat();
    return { clinics, resources };
  }

  async readLocation(id: string): Promise<Location> {
    const found = this.locationsOf(await this.places()).find((location) => location.id === id);
    if (!found) throw new NotFound('Location', id);
    return found;
  }

  async searchLocations(query: RawQuery, self: string): Promise<Bundle<Location>> {
    const params = new SearchParams(query, ['_id', 'name', 'partof', 'type']);
    const id = params.reference('_id', 'Location');
    const name = params.one('name');
    const partOf = params.reference('partof', 'Location');
    const kinds = params.token('type', RESOURCE_KIND_SYSTEM, RESOURCE_KINDS);
    const matches = this.locationsOf(await this.places()).filter(
      (location) =>
        (!id || location.id === id) &&
        (!name || contains(location.name ?? '', name)) &&
        (!partOf || location.partOf?.reference === `Location/${partOf}`) &&
        (kinds.length === 0 || kinds.includes(location.type?.[0]?.coding?.[0]?.code as (typeof kinds)[number])),
    );
    return searchBundle(this.base, self, matches);
  }

  private locationsOf({ clinics, resources }: Places): Location[] {
    return [
      ...clinics.map(toFhirClinic),
      ...resources.map((resource) =>
        toFhirResourceLocation(
          resource,
          clinics.find((clinic) => clinic.id === resource.locationId)!,
        ),
      ),
    ];
  }

  // ---- Practitioner ----------------------------------------------------------------------------

  async practitioners(): Promise<StaffFacts[]> {
    return (await this.staff.list({})).filter((s) => CLINICAL_ROLES.includes(s.role));
  }

  async readPractitioner(id: string): Promise<Practitioner> {
    const found = (await this.practitioners()).find((p) => p.id === id);
    if (!found) throw new NotFound('Practitioner', id);
    return toFhirPractitioner(found);
  }

  async searchPractitioners(query: RawQuery, self: string): Promise<Bundle<Practitioner>> {
    const params = new SearchParams(query, ['_id', 'name', 'active']);
    const id = params.reference('_id', 'Practitioner');
    const name = params.one('name');
    const active = params.one('active');
    if (active !== undefined && active !== 'true' && active !== 'false') throw InvalidInput.field('active', 'active must be true or false');
    const matches = (await this.practitioners()).filter(
      (p) => (!id || p.id === id) && (!name || contains(p.name, name)) && (active === undefined || String(p.active) === active),
    );
    return searchBundle(this.base, self, matches.map(toFhirPractitioner));
  }

  // ---- HealthcareService -----------------------------------------------------------------------

  /** The clinics offering a type: those with an active resource it holds first (visits: every clinic). */
  private offering(type: AppointmentType, places: Places): ClinicFacts[] {
    const kind = APPOINTMENT_TYPE_DEFINITIONS[type].segments[0]?.resourceKind;
    return places.clinics.filter((clinic) => !kind || places.resources.some((r) => r.locationId === clinic.id && r.kind === kind && r.active));
  }

  async readHealthcareService(id: string): Promise<HealthcareService> {
    const type = typeFromId(id);
    if (!(APPOINTMENT_TYPES as readonly string[]).includes(type)) throw new NotFound('HealthcareService', id);
    return toFhirHealthcareService(type as AppointmentType, this.offering(type as AppointmentType, await this.places()));
  }

  async searchHealthcareServices(query: RawQuery, self: string): Promise<Bundle<HealthcareService>> {
    const params = new SearchParams(query, ['_id', 'service-type', 'location']);
    const id = params.one('_id');
    const types = params.token('service-type', APPOINTMENT_TYPE_SYSTEM, APPOINTMENT_TYPES);
    const location = params.reference('location', 'Location');
    const places = await this.places();
    const services = APPOINTMENT_TYPES.filter((type) => (!id || typeFromId(id) === type) && (types.length === 0 || types.includes(type)))
      .map((type) => toFhirHealthcareService(type, this.offering(type, places)))
      .filter((service) => !location || (service.location ?? []).some((l) => l.reference === `Location/${location}`));
    return searchBundle(this.base, self, services);
  }

  // ---- Schedule --------------------------------------------------------------------------------

  async scheduleOwner(id: string): Promise<ScheduleOwner> {
    const places = await this.places();
    const resource = places.resources.find((r) => r.id === id);
    if (resource) return { resource, clinic: places.clinics.find((c) => c.id === resource.locationId)! };
    const provider = (await this.practitioners()).find((p) => p.id === id && p.role === 'provider');
    if (provider) return { provider };
    throw new NotFound('Schedule', id);
  }

  async readSchedule(id: string): Promise<Schedule> {
    return toFhirSchedule(await this.scheduleOwner(id));
  }

  async searchSchedules(query: RawQuery, self: string): Promise<Bundle<Schedule>> {
    const params = new SearchParams(query, ['_id', 'actor', 'service-type', 'active']);
    const id = params.one('_id');
    const actor = params.one('actor');
    const types = params.token('service-type', APPOINTMENT_TYPE_SYSTEM, APPOINTMENT_TYPES);
    const active = params.one('active');
    if (active !== undefined && active !== 'true' && active !== 'false') throw InvalidInput.field('active', 'active must be true or false');
    const places = await this.places();
    const owners: ScheduleOwner[] = [
      ...places.resources.map((resource) => ({ resource, clinic: places.clinics.find((c) => c.id === resource.locationId)! })),
      ...(await this.practitioners()).filter((p) => p.role === 'provider').map((provider) => ({ provider })),
    ];
    const served = (owner: ScheduleOwner) => ('provider' in owner ? PROVIDER_TYPES : typesServedBy(owner.resource.kind));
    const schedules = owners
      .filter((owner) => types.length === 0 || served(owner).some((type) => types.includes(type)))
      .map(toFhirSchedule)
      .filter(
        (schedule) =>
          (!id || schedule.id === id) &&
          (!actor || (schedule.actor ?? []).some((a) => a.reference === actor || a.reference?.endsWith(`/${actor}`))) &&
          (active === undefined || String(schedule.active) === active),
      );
    return searchBundle(this.base, self, schedules);
  }
}
