import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLINIC_ZONE } from '../common/clinic-time';
import { preparedQuery } from '../database/prepared-query';
import { SqlParams } from '../database/statement';
import type { ResourceKind } from '../locations/domain/resources';
import { RELEASED_STATUS_SQL } from './appointment-sql';
import { LONGEST_HOLD_MINUTES, type CalendarNeeds, type Interval } from './domain/appointment-types';
import type { BookingContext, Busy, ExpiredHold, StaffShift } from './domain/slot-rules';

/** Namespace of the per-(clinic, day) advisory locks that serialise nurse-capacity decisions. */
const CAPACITY_LOCK_CLASS = 724_310;

/** The clinic settings the rules use. */
export interface ClinicSettings {
  observationPatientsPerNurse: number;
  timezone: string;
}

/** Which calendar to load: one clinic, a span of time, and what the rules will look at. */
export interface CalendarQuery {
  locationId: string;
  span: Interval;
  /** The patient whose other appointments count (patient overlap); none for a clinic-wide read. */
  patientId?: string;
  /** Also load provider shifts at every clinic (telehealth visits). */
  providersAnywhere?: boolean;
  /** What to skip because the rules will not look at it (default: load everything). */
  needs?: Partial<CalendarNeeds>;
  /** The clinic's settings when the caller has them; otherwise the same query reads them. */
  clinic?: ClinicSettings;
  now: Date;
}

/** What a booking names, loaded with its calendar in the same round trip. */
export interface PartyIds {
  patientId: string;
  resourceId?: string | null;
  providerId?: string | null;
}

/** The rows a booking names; null where no row has the id. */
export interface BookingParties {
  patient: { id: string; remsEnrolledAt: Date | null } | null;
  location: { id: string; timezone: string; observationPatientsPerNurse: number; occupancyOverrides: Record<string, { occupancyMinutes?: number }> } | null;
  resource: { id: string; locationId: string; kind: ResourceKind; active: boolean } | null;
  provider: { id: string; role: string; active: boolean } | null;
}

interface RawInterval {
  id: string;
  s: string;
  e: string;
}

const toBusy = (rows: RawInterval[]): Busy[] => rows.map((r) => ({ appointmentId: r.id, start: new Date(r.s), end: new Date(r.e) }));
const toShifts = (rows: RawInterval[]): StaffShift[] => rows.map((r) => ({ staffId: r.id, start: new Date(r.s), end: new Date(r.e) }));
const byStart = (a: Interval, b: Interval) => a.start.getTime() - b.start.getTime();

/** Intervals per key, each list sorted by start (the rules search them by bisection). */
function groupBy(rows: Array<RawInterval & { k: string; h?: string | null }>): Map<string, Busy[]> {
  const map = new Map<string, Busy[]>();
  for (const row of rows) {
    const list = map.get(row.k) ?? [];
    list.push(
      row.h
        ? { appointmentId: row.id, holdId: row.h, start: new Date(row.s), end: new Date(row.e) }
        : { appointmentId: row.id, start: new Date(row.s), end: new Date(row.e) },
    );
    map.set(row.k, list);
  }
  for (const list of map.values()) list.sort(byStart);
  return map;
}

type SegmentRow = RawInterval & { k: string; h: string | null; x: string | null };

/** Busy time per resource: appointments' segments and unexpired holds; holds past their expiry apart (free time). */
function segmentsOf(rows: SegmentRow[], now: Date): Pick<BookingContext, 'resourceBusy' | 'expiredHolds'> {
  const busy: Array<RawInterval & { k: string; h: string | null }> = [];
  const expiredHolds: ExpiredHold[] = [];
  for (const row of rows) {
    if (row.h && row.x && new Date(row.x) <= now) expiredHolds.push({ holdId: row.h, resourceId: row.k, start: new Date(row.s), end: new Date(row.e) });
    else busy.push(row.h ? { ...row, id: row.h } : row);
  }
  const resourceBusy = groupBy(busy);
  return { resourceBusy, ...(expiredHolds.length ? { expiredHolds } : {}) };
}

/**
 * The calendar the booking rules judge against (evaluateSlot's BookingContext), read in one round trip,
 * and the nurse-capacity lock that makes decisions about one clinic-day one after another.
 */
@Injectable()
export class CalendarRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Serialises bookings that add observation or recovery time at one clinic on one local day, so that
   * two concurrent bookings cannot both take the last place a nurse can watch.
   */
  async lockCapacity(manager: EntityManager, locationId: string, localDates: string[]): Promise<void> {
    for (const date of [...new Set(localDates)].sort()) {
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CAPACITY_LOCK_CLASS, `${locationId}:${date}`]);
    }
  }

  /** The calendar of one clinic and span. */
  async loadCalendar(manager: EntityManager | undefined, query: CalendarQuery): Promise<BookingContext> {
    const row = await this.read(manager, query);
    return toContext(row, query);
  }

  /** The calendar and the patient, clinic, resource and provider a booking names, in one round trip. */
  async loadCalendarAndParties(
    manager: EntityManager | undefined,
    query: CalendarQuery,
    parties: PartyIds,
  ): Promise<{ context: BookingContext; parties: BookingParties }> {
    const row = await this.read(manager, query, parties);
    return {
      context: toContext(row, query),
      parties: {
        patient: row.party_patient
          ? { id: row.party_patient.id, remsEnrolledAt: row.party_patient.remsEnrolledAt ? new Date(row.party_patient.remsEnrolledAt) : null }
          : null,
        location: row.party_location,
        resource: row.party_resource,
        provider: row.party_provider,
      },
    };
  }

  private async read(manager: EntityManager | undefined, query: CalendarQuery, parties?: PartyIds): Promise<Record<string, any>> {
    const p = new SqlParams();
    const location = p.add(query.locationId);
    const from = p.add(query.span.start, 'timestamptz');
    const to = p.add(query.span.end, 'timestamptz');
    const patient = p.add(query.patientId ?? null, 'uuid');
    const providersAnywhere = p.add(query.providersAnywhere ?? false, 'boolean');
    const zone = p.add(query.clinic?.timezone ?? CLINIC_ZONE, 'text');
    const withParties = p.add(parties !== undefined, 'boolean');
    const resource = p.add(parties?.resourceId ?? null, 'uuid');
    const provider = p.add(parties?.providerId ?? null, 'uuid');
    const needsShifts = p.add(query.needs?.shifts ?? true, 'boolean');
    const needsObservations = p.add(query.needs?.observations ?? true, 'boolean');
    const needsProviderVisits = p.add(query.needs?.providerVisits ?? true, 'boolean');
    // Prepared: planning this many sub-selects cost four times their execution (pg_stat_statements).
    const [row] = await preparedQuery<Record<string, any>>(
      manager ?? this.dataSource.manager,
      `WITH span AS (SELECT tstzrange(${from}, ${to}, '[)') AS r)
       SELECT
         (SELECT json_build_object('id', id, 'remsEnrolledAt', rems_enrolled_at) FROM patients WHERE ${withParties} AND id = ${patient}) AS party_patient,
         (SELECT json_build_object('id', id, 'timezone', timezone, 'observationPatientsPerNurse', observation_patients_per_nurse,
                                   'occupancyOverrides', occupancy_overrides) FROM locations WHERE id = ${location}) AS party_location,
         (SELECT json_build_object('id', id, 'locationId', location_id, 'kind', kind, 'active', active) FROM resources WHERE ${withParties} AND id = ${resource}) AS party_resource,
         (SELECT json_build_object('id', id, 'role', role, 'active', active) FROM staff WHERE ${withParties} AND id = ${provider}) AS party_provider,
         (SELECT coalesce(json_agg(json_build_object('w', weekday, 'o', to_char(opens, 'HH24:MI'), 'c', to_char(closes, 'HH24:MI'))), '[]')
            FROM location_hours WHERE location_id = ${location}) AS hours,
         (SELECT coalesce(json_agg(to_char(date, 'YYYY-MM-DD')), '[]')
            FROM closures WHERE location_id = ${location}
             AND date BETWEEN (${from} AT TIME ZONE ${zone})::date AND (${to} AT TIME ZONE ${zone})::date) AS closures,
         (SELECT coalesce(json_agg(json_build_object('id', id, 'kind', kind) ORDER BY kind, name, id), '[]')
            FROM resources WHERE location_id = ${location} AND active) AS resources,
         (SELECT coalesce(json_agg(json_build_object('k', s.resource_id, 'id', s.appointment_id, 'h', s.hold_id, 'x', s.expires_at, 's', s.starts_at, 'e', s.ends_at)), '[]')
            FROM appointment_segments s JOIN resources r ON r.id = s.resource_id, span
           WHERE r.location_id = ${location} AND s.active AND tstzrange(s.starts_at, s.ends_at, '[)') && span.r) AS segments,
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 's', a.occupancy_starts_at, 'e', a.occupancy_ends_at)), '[]')
            FROM appointments a, span
           WHERE ${patient} IS NOT NULL AND a.patient_id = ${patient} AND a.status NOT IN ${RELEASED_STATUS_SQL}
             AND tstzrange(a.occupancy_starts_at, a.occupancy_ends_at, '[)') && span.r) AS patient,
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 's', a.observation_starts_at, 'e', a.observation_ends_at)), '[]')
            FROM appointments a
           WHERE ${needsObservations} AND a.location_id = ${location} AND a.observation_starts_at IS NOT NULL AND a.status NOT IN ${RELEASED_STATUS_SQL}
             -- No observation window is longer than the longest hold: the lower bound keeps the index scan short.
             AND a.observation_starts_at > ${from} - interval '${LONGEST_HOLD_MINUTES} minutes'
             AND a.observation_starts_at < ${to} AND a.observation_ends_at > ${from}) AS observations,
         (SELECT coalesce(json_agg(json_build_object('id', sh.staff_id, 's', sh.starts_at, 'e', sh.ends_at, 'role', st.role, 'loc', sh.location_id)), '[]')
            FROM staff_shifts sh JOIN staff st ON st.id = sh.staff_id
           WHERE ${needsShifts} AND st.active AND st.role IN ('nurse', 'provider')
             AND (sh.location_id = ${location} OR (${providersAnywhere} AND st.role = 'provider'))
             AND sh.starts_at < ${to} AND sh.ends_at > ${from}) AS shifts,
         (SELECT coalesce(json_agg(json_build_object('k', a.provider_id, 'id', a.id, 's', a.starts_at, 'e', a.ends_at)), '[]')
            FROM appointments a, span
           WHERE ${needsProviderVisits} AND a.provider_id IS NOT NULL AND a.status NOT IN ${RELEASED_STATUS_SQL}
             AND tstzrange(a.starts_at, a.ends_at, '[)') && span.r) AS providers`,
      p.list,
    );
    return row;
  }
}

function toContext(row: Record<string, any>, query: CalendarQuery): BookingContext {
  const settings: ClinicSettings = query.clinic ?? row.party_location ?? { observationPatientsPerNurse: 0, timezone: CLINIC_ZONE };
  const shifts = row.shifts as Array<RawInterval & { role: string; loc: string }>;
  return {
    zone: settings.timezone || CLINIC_ZONE,
    now: query.now,
    hours: new Map((row.hours as Array<{ w: number; o: string; c: string }>).map((h) => [h.w, { opens: h.o, closes: h.c }])),
    closedDates: new Set(row.closures as string[]),
    resources: row.resources as Array<{ id: string; kind: ResourceKind }>,
    ...segmentsOf(row.segments as SegmentRow[], query.now),
    patientBusy: toBusy(row.patient),
    observations: toBusy(row.observations).sort(byStart),
    nurseShifts: toShifts(shifts.filter((s) => s.role === 'nurse' && s.loc === query.locationId)),
    providerShifts: toShifts(shifts.filter((s) => s.role === 'provider' && s.loc === query.locationId)),
    providerShiftsAnywhere: toShifts(shifts.filter((s) => s.role === 'provider')),
    providerBusy: groupBy(row.providers),
    observationPatientsPerNurse: settings.observationPatientsPerNurse,
  };
}
