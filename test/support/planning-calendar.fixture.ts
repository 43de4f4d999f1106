import type { Busy, StaffShift } from '../../src/appointments/domain/slot-rules';
import { addDays, clinicInstant, CLINIC_ZONE } from '../../src/common/clinic-time';
import { clinicHolidays } from '../../src/locations/domain/holidays';
import type { ResourceKind } from '../../src/locations/domain/resources';
import { PlanningCalendar } from '../../src/courses/domain/calendar-oracle';

/**
 * In-memory clinic calendars for the planner's unit tests (no database): Mon–Fri 07:00–19:00, staffed
 * throughout, with the resources, closures and busy times a test asks for. The clinics open on public
 * holidays unless a test closes them (`holidays: true` or `closed`): the cadence tests are about cadence,
 * and the holiday rule has tests of its own.
 */
export interface FixtureClinic {
  id: string;
  name?: string;
  from: string;
  to: string;
  /** Closed dates and their reasons. */
  closed?: Record<string, string>;
  hours?: { opens: string; closes: string };
  resources?: Partial<Record<ResourceKind, number>>;
  /** Busy time per resource id (e.g. `${id}-tms_device-1`). */
  busy?: Record<string, Array<{ start: Date; end: Date }>>;
  staffed?: boolean;
  /** Close on the public holidays as a real clinic does. */
  holidays?: boolean;
}

export const DEFAULT_RESOURCES: Partial<Record<ResourceKind, number>> = { tms_device: 2, treatment_chair: 3, ect_suite: 1, recovery_bay: 2 };

export const resourceId = (clinic: string, kind: ResourceKind, n: number) => `${clinic}-${kind}-${n}`;

export function fixtureCalendar(clinic: FixtureClinic): PlanningCalendar {
  const resources: Array<{ id: string; kind: ResourceKind }> = [];
  for (const [kind, count] of Object.entries(clinic.resources ?? DEFAULT_RESOURCES) as Array<[ResourceKind, number]>) {
    for (let n = 1; n <= count; n++) resources.push({ id: resourceId(clinic.id, kind, n), kind });
  }
  // One nurse-and-prescriber shift over the whole span: staffing is not what these tests are about.
  const shifts: StaffShift[] =
    clinic.staffed === false
      ? []
      : [{ staffId: `${clinic.id}-staff`, start: clinicInstant(clinic.from, '00:00')!, end: clinicInstant(addDays(clinic.to, 1), '00:00')! }];
  const resourceBusy = new Map<string, Busy[]>();
  for (const [id, spans] of Object.entries(clinic.busy ?? {})) {
    resourceBusy.set(
      id,
      spans.map((span, i) => ({ appointmentId: `existing-${id}-${i}`, ...span })).sort((a, b) => a.start.getTime() - b.start.getTime()),
    );
  }
  const hours = clinic.hours ?? { opens: '07:00', closes: '19:00' };
  return {
    location: { id: clinic.id, name: clinic.name ?? clinic.id, slotMinutes: 15, occupancyOverrides: {} },
    context: {
      zone: CLINIC_ZONE,
      now: new Date('2025-01-01T00:00:00Z'),
      hours: new Map([1, 2, 3, 4, 5].map((weekday) => [weekday, hours])),
      closedDates: new Set(Object.keys(clinic.closed ?? {})),
      resources,
      resourceBusy,
      patientBusy: [],
      observations: [],
      nurseShifts: shifts,
      providerShifts: shifts,
      providerBusy: new Map(),
      observationPatientsPerNurse: 4,
      holidayOpenings: clinic.holidays ? new Set() : holidaysBetween(clinic.from, clinic.to),
      patientTreatments: [],
    },
    closureReasons: new Map(Object.entries(clinic.closed ?? {})),
    from: clinic.from,
    to: clinic.to,
  };
}

function holidaysBetween(from: string, to: string): Set<string> {
  const dates = new Set<string>();
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)) + 1; year++) for (const h of clinicHolidays(year)) dates.add(h.date);
  return dates;
}
