import type { Appointment, Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { APPOINTMENT_TYPES, type AppointmentType } from '../../appointments/domain/vocabulary';
import { InvalidInput } from '../../common/problems';
import { parseOffsetDateTime } from '../../common/validation';
import { APPOINTMENT_TYPE_SYSTEM } from './codes';
import { parseReference, parseToken, UUID } from './search-params';

/**
 * An operation's input: a Parameters resource whose parameters are among `allowed`, each at most once,
 * read strictly (a 400 names the parameter). Anything but a Parameters resource is a 400 naming the body.
 */
export class OperationInput {
  private readonly byName = new Map<string, ParametersParameter>();

  constructor(body: unknown, allowed: readonly string[]) {
    const parameters = body as Parameters | undefined;
    if (!parameters || typeof parameters !== 'object' || parameters.resourceType !== 'Parameters') {
      throw InvalidInput.field('body', 'the body must be a FHIR Parameters resource');
    }
    if (parameters.parameter !== undefined && !Array.isArray(parameters.parameter)) throw InvalidInput.field('parameter', 'parameter must be an array');
    for (const [index, parameter] of (parameters.parameter ?? []).entries()) {
      const name = parameter && typeof parameter === 'object' ? parameter.name : undefined;
      if (typeof name !== 'string') throw InvalidInput.field(`parameter[${index}].name`, 'every parameter needs a name');
      if (!allowed.includes(name)) throw InvalidInput.field(name, `${name} is not a parameter of this operation (${allowed.join(', ')})`);
      if (this.byName.has(name)) throw InvalidInput.field(name, `${name} may be given once`);
      this.byName.set(name, parameter);
    }
  }

  /** From a GET: the query parameters as strings. */
  static fromQuery(query: Record<string, string | string[] | undefined>, allowed: readonly string[]): OperationInput {
    const parameter = Object.entries(query)
      .filter(([name]) => name !== '_format')
      .map(([name, value]) => {
        if (Array.isArray(value)) throw InvalidInput.field(name, `${name} may be given once`);
        return { name, valueString: value };
      });
    return new OperationInput({ resourceType: 'Parameters', parameter }, allowed);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** A dateTime (or instant) with an offset. */
  dateTime(name: string): Date | undefined {
    const parameter = this.byName.get(name);
    if (!parameter) return undefined;
    const value = parameter.valueDateTime ?? parameter.valueInstant ?? parameter.valueString;
    const parsed = parseOffsetDateTime(value);
    if (!parsed) throw InvalidInput.field(name, `${name} must be a dateTime with an offset, e.g. 2026-11-02T09:00:00-07:00`);
    return parsed;
  }

  /** A reference to `type`, as valueReference or a string `Type/<id>`. */
  reference(name: string, type: string): string | undefined {
    const parameter = this.byName.get(name);
    if (!parameter) return undefined;
    const value = parameter.valueReference?.reference ?? parameter.valueString;
    if (typeof value !== 'string') throw InvalidInput.field(name, `${name} must be a reference ${type}/<id>`);
    return parseReference(value, type, name);
  }

  /** An appointment type, as valueCoding, valueCodeableConcept, valueCode or a token string. */
  appointmentType(name: string): AppointmentType | undefined {
    const parameter = this.byName.get(name);
    if (!parameter) return undefined;
    const coding = parameter.valueCoding ?? parameter.valueCodeableConcept?.coding?.[0];
    const token = coding ? `${coding.system ?? ''}|${coding.code ?? ''}` : (parameter.valueCode ?? parameter.valueString);
    if (typeof token !== 'string') throw InvalidInput.field(name, `${name} must be a code of ${APPOINTMENT_TYPE_SYSTEM}`);
    return parseToken(token, APPOINTMENT_TYPE_SYSTEM, APPOINTMENT_TYPES, name);
  }

  resource(name: string): unknown {
    return this.byName.get(name)?.resource;
  }
}

/** The statuses an Appointment handed to `$book` or `$hold` may have: a proposal, a held one, or a held one let go (`$book` only). */
export type RequestedStatus = 'proposed' | 'pending' | 'cancelled';

/** What an Appointment handed to `$book` or `$hold` asks for, read strictly. */
export interface AppointmentRequest {
  status: RequestedStatus;
  /** The Appointment's id: for one `$hold` answered (status pending or cancelled), the hold's. */
  id?: string;
  type: AppointmentType;
  start: Date;
  patientId: string;
  /** Every Location the appointment names: its clinic and, when chosen, its resource. */
  locationIds: string[];
  practitionerId?: string;
}

export function appointmentRequestOf(value: unknown, field: string, statuses: readonly RequestedStatus[] = ['proposed', 'pending']): AppointmentRequest {
  const appointment = value as Appointment | undefined;
  if (!appointment || typeof appointment !== 'object' || appointment.resourceType !== 'Appointment') {
    throw InvalidInput.field(field, `${field} must be an Appointment resource (one that $find proposed)`);
  }
  const status = appointment.status as RequestedStatus;
  if (!statuses.includes(status)) {
    throw InvalidInput.field(
      `${field}.status`,
      statuses.includes('cancelled')
        ? `${field}.status must be proposed or pending (a new appointment), or cancelled (a hold let go)`
        : `${field}.status must be proposed or pending (a new appointment)`,
    );
  }
  // Only an Appointment $hold answered has an id, and it is the hold's; a proposal's id (none is given) is not read.
  const id = status === 'proposed' ? undefined : appointment.id;
  if (id !== undefined && (typeof id !== 'string' || !UUID.test(id))) {
    throw InvalidInput.field(`${field}.id`, `${field}.id must be the id $hold answered with`);
  }
  if (status === 'cancelled' && id === undefined) throw InvalidInput.field(`${field}.id`, `a cancelled ${field} must carry the id $hold answered with`);
  const codings = (appointment.serviceType ?? []).flatMap((concept) => concept?.coding ?? []).filter((c) => c?.system === APPOINTMENT_TYPE_SYSTEM);
  if (codings.length !== 1) throw InvalidInput.field(`${field}.serviceType`, `${field}.serviceType must hold one code of ${APPOINTMENT_TYPE_SYSTEM}`);
  const type = parseToken(String(codings[0].code), APPOINTMENT_TYPE_SYSTEM, APPOINTMENT_TYPES, `${field}.serviceType`);
  const start = parseOffsetDateTime(appointment.start);
  if (!start) throw InvalidInput.field(`${field}.start`, `${field}.start must be a dateTime with an offset`);

  const references = (Array.isArray(appointment.participant) ? appointment.participant : [])
    .map((p) => p?.actor?.reference)
    .filter((r): r is string => typeof r === 'string');
  const of = (resourceType: string) =>
    references.filter((r) => r.startsWith(`${resourceType}/`)).map((r) => parseReference(r, resourceType, `${field}.participant`));
  const patients = of('Patient');
  if (patients.length !== 1) throw InvalidInput.field(`${field}.participant`, `${field}.participant must name one Patient`);
  const locationIds = of('Location');
  if (locationIds.length === 0) throw InvalidInput.field(`${field}.participant`, `${field}.participant must name the clinic (a Location)`);
  const practitioners = of('Practitioner');
  if (practitioners.length > 1) throw InvalidInput.field(`${field}.participant`, `${field}.participant may name one Practitioner`);
  const unknown = references.filter((r) => !/^(Patient|Location|Practitioner)\//.test(r));
  if (unknown.length) throw InvalidInput.field(`${field}.participant`, `${field}.participant may name a Patient, Locations and a Practitioner only`);
  return {
    status,
    ...(id !== undefined ? { id: id.toLowerCase() } : {}),
    type,
    start,
    patientId: patients[0],
    locationIds,
    ...(practitioners[0] ? { practitionerId: practitioners[0] } : {}),
  };
}
