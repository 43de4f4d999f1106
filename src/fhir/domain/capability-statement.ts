import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';

type SearchParam = [name: string, type: 'token' | 'string' | 'reference' | 'date' | 'number', documentation: string];

const readSearch = (type: CapabilityStatementRestResource['type'], params: SearchParam[], extra: Partial<CapabilityStatementRestResource> = {}) => ({
  type,
  interaction: [{ code: 'read' as const }, { code: 'search-type' as const }],
  searchParam: params.map(([name, paramType, documentation]) => ({ name, type: paramType, documentation })),
  ...extra,
});

/**
 * Exactly what this server supports, and nothing more: read and search of seven resource types, and the
 * IHE ITI Scheduling operations `$find`, `$hold` and `$book`.
 */
export function capabilityStatement(base: string, version: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-30',
    publisher: 'Clinic scheduler',
    kind: 'instance',
    software: { name: 'clinic-scheduler', version },
    implementation: { description: 'Clinic scheduler: FHIR R4 scheduling interface (IHE ITI Scheduling $find, $hold and $book)', url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'All times carry an offset; clinic-local dates (YYYY-MM-DD) are days in America/Denver. Unknown search parameters are refused (400).',
        security: {
          cors: false,
          description:
            'Every request but metadata needs the bearer token of POST /api/auth/login (Authorization: Bearer …), with the same roles and audit as /api.',
        },
        resource: [
          readSearch('Patient', [
            ['_id', 'token', 'The patient id'],
            ['name', 'string', 'Any part of the name'],
            ['family', 'string', 'Part of the family name'],
            ['given', 'string', 'Part of the given name'],
            ['phone', 'token', 'The phone number'],
            ['telecom', 'token', 'The phone number'],
            ['birthdate', 'date', 'The date of birth (YYYY-MM-DD)'],
          ]),
          readSearch('Location', [
            ['_id', 'token', 'The id of a clinic or of a resource'],
            ['name', 'string', 'Part of the name'],
            ['partof', 'reference', 'A clinic: its chairs, devices, suites and bays'],
            ['type', 'token', 'A resource kind of urn:clinic-scheduler:resource-kind'],
          ]),
          readSearch('Practitioner', [
            ['_id', 'token', 'The staff member id'],
            ['name', 'string', 'Part of the name'],
            ['active', 'token', 'true or false'],
          ]),
          readSearch('HealthcareService', [
            ['_id', 'token', 'An appointment type (follow-up for follow_up)'],
            ['service-type', 'token', 'A code of urn:clinic-scheduler:appointment-type'],
            ['location', 'reference', 'A clinic offering it'],
          ]),
          readSearch('Schedule', [
            ['_id', 'token', 'The id of the resource (or provider) it belongs to'],
            ['actor', 'reference', 'Location/<resource> or Practitioner/<provider>'],
            ['service-type', 'token', 'A code of urn:clinic-scheduler:appointment-type'],
            ['active', 'token', 'true or false'],
          ]),
          readSearch('Slot', [
            ['schedule', 'reference', 'Required: Schedule/<id>'],
            ['start', 'date', 'Required: a window of at most 31 days (start=ge…&start=lt…)'],
            ['status', 'token', 'free or busy'],
            ['service-type', 'token', 'Required for free slots: a slot lasts as long as its appointment type'],
          ]),
          readSearch(
            'Appointment',
            [
              ['patient', 'reference', 'Patient/<id>'],
              ['location', 'reference', 'A clinic; without patient, with a date window of at most 31 days'],
              ['date', 'date', 'The start, with prefixes eq, ge, gt, le, lt'],
              ['status', 'token', 'booked, checked-in, fulfilled, noshow, cancelled'],
              ['service-type', 'token', 'A code of urn:clinic-scheduler:appointment-type'],
            ],
            {
              operation: [
                { name: 'find', definition: 'https://profiles.ihe.net/ITI/Scheduling/OperationDefinition/appointment-find' },
                {
                  name: 'hold',
                  definition: 'https://profiles.ihe.net/ITI/Scheduling/OperationDefinition/appointment-hold',
                  documentation:
                    'Takes the Appointment $find proposed (parameter appointment, with the Patient) and, when it could be booked now, holds it for FHIR_HOLD_MINUTES: the Appointment pending, its id the hold, its expiry in the extension urn:clinic-scheduler:fhir:hold-expires',
                },
                {
                  name: 'book',
                  definition: 'https://profiles.ihe.net/ITI/Scheduling/OperationDefinition/appointment-book',
                  documentation:
                    'Takes the Appointment $find proposed (with the Patient) or $hold answered (pending: books the held slot; cancelled: lets the hold go)',
                },
              ],
            },
          ),
        ],
      },
    ],
  };
}
