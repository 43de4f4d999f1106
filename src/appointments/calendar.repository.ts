import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLINIC_ZONE, localParts } from '../common/clinic-time';
import { AppConfig } from '../config/app-config';
import { preparedQuery } from '../database/prepared-query';
import { SqlParams } from '../database/statement';
import type { ResourceKind } from '../locations/domain/resources';
import { RELEASED_STATUS_SQL } from './appointment-sql';
import { LONGEST_HOLD_MINUTES, type CalendarNeeds, type Interval } from './domain/appointment-types';
import type { AuthorizationWindow } from './domain/authorization-limit';
import { latestBookableStart } from './domain/booking-horizon';
import type { BookingContext, Busy, ExpiredHold, StaffShift } from './domain/slot-rules';
import type { TreatmentVisit } from './domain/treatment-frequency';
import type { AppointmentType, Treatment } from './domain/vocabulary';

/** Namespace of the per-(clinic, day) advisory locks that serialise nurse-capacity decisions. */
const CAPACITY_LOCK_CLASS = 724_310;
/** Namespace of the per-patient advisory locks that serialise a patient's treatment bookings (frequency, authorization). */
const PATIENT_LOCK_CLASS = 724_311;

/** How far around the span the patient's treatments are read: the frequency rule looks 7 days either way. */
const TREATMENT_WINDOW_DAYS = 8;

/** The clinic settings the rules use. */
export interface ClinicSettings {
  observationPatientsPerNurse: number;
  timezone: string;
  /** Public holidays the clinic opens on deliberately. */
  holidayOpenings?: string[];
}

/** Which calendar to load: one clinic, a span of time, and what the rules will look at. */
export interface CalendarQuery {
  locationId: string;
  span: Interval;
  /** The patient whose other appointments count (patient overlap, frequency); none for a clinic-wide read. */
  patientId?: string;
  /** The treatment booked: the patient's authorizations for it are read too. */
  treatment?: Treatment;
  /** Also load provider shifts at every clinic (telehealth visits). */
  providersAnywhere?: boolean;
  /** What to skip because the rules will not look at it (default: load everything). */
  needs?: Partial<CalendarNeeds>;
  /** The clinic's settings when the caller has them; otherwise the same query reads them. */
  clinic?: ClinicSettings;
  /**
   * Only the resource segments and observation windows that touch these local times of day ("HH:mm", `to`
   * up to "24:00"), on any day of the span: a caller that judges starts in a band of each day only (course
   * planning) reads no more. The caller must then judge nothing outside the band (CalendarOracle checks).
   */
  timesOfDay?: { from: string; to: string };
  /**
   * Each resource's busy time as merged intervals (back-to-back and overlapping segments as one, holds past
   * their expiry left out) rather than one per segment, and none naming the appointment (MERGED_BUSY): for a
   * caller that asks only whether a resource is free (course planning), which a dense TMS calendar answers
   * from a quarter of the intervals.
   */
  mergeBusy?: boolean;
  now: Date;
}

/** The appointment id of a merged busy interval (CalendarQuery.mergeBusy): it stands for several, or a hold. */
export const MERGED_BUSY = 'merged';

/** What a booking names, loaded with its calendar in the same round trip. */
export interface PartyIds {
  patientId: string;
  resourceId?: string | null;
  providerId?: string | null;
  courseId?: string | null;
}

/** The course a booking names. */
export interface CourseParty {
  id: string;
  patientId: string;
  treatment: Treatment;
  protocol: string;
  status: string;
  totalSessions: number;
  settings: { maintenanceWeeks?: number; maintenanceEveryWeeks?: number };
}

/** The rows a booking names; null where no row has the id. */
export interface BookingParties {
  patient: { id: string; remsEnrolledAt: Date | null } | null;
  location: {
    id: string;
    timezone: string;
    observationPatientsPerNurse: number;
    occupancyOverrides: Record<string, { occupancyMinutes?: number }>;
    holidayOpenings: string[];
  } | null;
  resource: { id: string; locationId: string; kind: ResourceKind; active: boolean } | null;
  provider: { id: string; role: string; active: boolean } | null;
  course: CourseParty | null;
}

/** Instants come as epoch milliseconds: a number is cheaper to send, parse and turn into a Date than an ISO string. */
interface RawInterval {
  id: string;
  s: number;
  e: number;
}

/** A timestamptz column as epoch milliseconds in JSON (a course's calendar holds thousands of them). */
const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::bigint`;

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

/**
 * One resource's busy times as the calendar read sends them: the resource once, then an array per segment
 * (`[appointmentId, start, end]`, or a hold's `[holdId, start, end, expiresAt | null]`), epoch milliseconds.
 * Arrays rather than objects: a course's calendar holds ~12,000 segments at 20x, and the keys repeated in
 * each object doubled the JSON to parse (BENCHMARKS.md, course dry run).
 */
type SegmentGroup = [string, Array<[string, number, number] | [string, number, number, number | null]>];

/** Busy time per resource: appointments' segments and unexpired holds; holds past their expiry apart (free time). */
function segmentsOf(groups: SegmentGroup[], now: Date): Pick<BookingContext, 'resourceBusy' | 'expiredHolds'> {
  const resourceBusy = new Map<string, Busy[]>();
  const expiredHolds: ExpiredHold[] = [];
  const nowMs = now.getTime();
  for (const [resourceId, segments] of groups) {
    const busy: Busy[] = [];
    for (const segment of segments) {
      const [id, start, end] = segment;
      if (segment.length === 3) busy.push({ appointmentId: id, start: new Date(start), end: new Date(end) });
      else if (segment[3] !== null && segment[3] <= nowMs) expiredHolds.push({ holdId: id, resourceId, start: new Date(start), end: new Date(end) });
      else busy.push({ appointmentId: id, holdId: id, start: new Date(start), end: new Date(end) });
    }
    if (busy.length) resourceBusy.set(resourceId, busy.sort(byStart));
  }
  return { resourceBusy, ...(expiredHolds.length ? { expiredHolds } : {}) };
}

/**
 * The calendar the booking rules judge against (evaluateSlot's BookingContext), read in one round trip,
 * and the nurse-capacity lock that makes decisions about one clinic-day one after another.
 */
@Injectable()
export class CalendarRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * The transaction advisory locks a booking decides under, in one round trip: the patient's (two of their
   * treatments booked at once could both pass the frequency rule or spend the last approved session)
   * before the clinic-days' (two concurrent bookings could both take the last place a nurse can watch).
   * Always in that order, so that two bookings never wait on each other in a circle.
   */
  async lockForBooking(manager: EntityManager, locks: { patientId?: string; locationId?: string; localDates?: string[] }): Promise<void> {
    const keys: Array<[number, string]> = [];
    if (locks.patientId) keys.push([PATIENT_LOCK_CLASS, locks.patientId]);
    for (const date of [...new Set(locks.localDates ?? [])].sort()) keys.push([CAPACITY_LOCK_CLASS, `${locks.locationId}:${date}`]);
    if (!keys.length) return;
    const p = new SqlParams();
    const calls = keys.map(([lockClass, key]) => `pg_advisory_xact_lock(${p.add(lockClass, 'int')}, hashtext(${p.add(key, 'text')}))`);
    await manager.query(`SELECT ${calls.join(', ')}`, p.list);
  }

  /** Serialises bookings that add observation or recovery time at one clinic on one local day (a closure takes it too). */
  async lockCapacity(manager: EntityManager, locationId: string, localDates: string[]): Promise<void> {
    await this.lockForBooking(manager, { locationId, localDates });
  }

  /** The calendar of one clinic and span. */
  async loadCalendar(manager: EntityManager | undefined, query: CalendarQuery): Promise<BookingContext> {
    const row = await this.read(manager, query);
    return toContext(row, query, this.config.bookingHorizonDays);
  }

  /** The calendar and the patient, clinic, resource and provider a booking names, in one round trip. */
  async loadCalendarAndParties(
    manager: EntityManager | undefined,
    query: CalendarQuery,
    parties: PartyIds,
  ): Promise<{ context: BookingContext; parties: BookingParties }> {
    const row = await this.read(manager, query, parties);
    return {
      context: toContext(row, query, this.config.bookingHorizonDays),
      parties: {
        patient: row.party_patient
          ? { id: row.party_patient.id, remsEnrolledAt: row.party_patient.remsEnrolledAt ? new Date(row.party_patient.remsEnrolledAt) : null }
          : null,
        location: row.party_location,
        resource: row.party_resource,
        provider: row.party_provider,
        course: row.party_course,
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
    const kinds = p.add(query.needs?.resourceKinds ?? null, 'varchar[]');
    const needsTreatments = p.add(query.needs?.patientTreatments ?? true, 'boolean');
    const treatment = p.add(query.treatment ?? null, 'text');
    const course = p.add(parties?.courseId ?? null, 'uuid');
    const bandFrom = p.add(query.timesOfDay?.from ?? null, 'time');
    const bandTo = p.add(query.timesOfDay?.to ?? null, 'time');
    // Touches the band of local times of day on some day: the band of every day of the span as one
    // multirange (an interval over midnight touches the next day's), tested by bisection. Converting each
    // row's times to local time instead cost three times the scan (BENCHMARKS.md, course dry run).
    const inBand = (start: string, end: string) => `(${bandFrom} IS NULL OR tstzrange(${start}, ${end}, '[)') && (SELECT m FROM band))`;
    const segmentsOfClinic = `FROM appointment_segments s JOIN resources r ON r.id = s.resource_id, span
                   WHERE r.location_id = ${location} AND (${kinds} IS NULL OR r.kind = ANY(${kinds}))
                     AND s.active AND tstzrange(s.starts_at, s.ends_at, '[)') && span.r
                     AND ${inBand('s.starts_at', 's.ends_at')}`;
    const perSegment = `(SELECT coalesce(json_agg(json_build_array(g.k, g.b)), '[]')
            FROM (SELECT s.resource_id AS k,
                         json_agg(CASE WHEN s.hold_id IS NULL THEN json_build_array(s.appointment_id, ${ms('s.starts_at')}, ${ms('s.ends_at')})
                                       ELSE json_build_array(s.hold_id, ${ms('s.starts_at')}, ${ms('s.ends_at')}, ${ms('s.expires_at')}) END) AS b
                    ${segmentsOfClinic}
                   GROUP BY s.resource_id) g)`;
    // The time each resource is held (a hold past its expiry holds nothing), merged per resource.
    const mergedSegments = query.mergeBusy
      ? `(SELECT coalesce(json_agg(json_build_array(g.k, g.b)), '[]')
            FROM (SELECT m.k, json_agg(json_build_array('${MERGED_BUSY}', ${ms('lower(m.r)')}, ${ms('upper(m.r)')}) ORDER BY lower(m.r)) AS b
                    FROM (SELECT s.resource_id AS k, unnest(range_agg(tstzrange(s.starts_at, s.ends_at, '[)'))) AS r
                            ${segmentsOfClinic}
                             AND (s.expires_at IS NULL OR s.expires_at > ${p.add(query.now, 'timestamptz')})
                           GROUP BY s.resource_id) m
                   GROUP BY m.k) g)`
      : '';
    // Prepared: planning this many sub-selects cost four times their execution (pg_stat_statements).
    const [row] = await preparedQuery<Record<string, any>>(
      manager ?? this.dataSource.manager,
      `WITH span AS (SELECT tstzrange(${from}, ${to}, '[)') AS r),
            band AS (SELECT range_agg(tstzrange((d::date + ${bandFrom}) AT TIME ZONE ${zone}, (d::date + ${bandTo}) AT TIME ZONE ${zone}, '[)')) AS m
                       FROM generate_series((${from} AT TIME ZONE ${zone})::date - 1, (${to} AT TIME ZONE ${zone})::date, interval '1 day') d
                      WHERE ${bandFrom} IS NOT NULL)
       SELECT
         (SELECT json_build_object('id', id, 'remsEnrolledAt', rems_enrolled_at) FROM patients WHERE ${withParties} AND id = ${patient}) AS party_patient,
         (SELECT json_build_object('id', id, 'timezone', timezone, 'observationPatientsPerNurse', observation_patients_per_nurse,
                                   'occupancyOverrides', occupancy_overrides, 'holidayOpenings', holiday_openings) FROM locations WHERE id = ${location}) AS party_location,
         (SELECT json_build_object('id', id, 'locationId', location_id, 'kind', kind, 'active', active) FROM resources WHERE ${withParties} AND id = ${resource}) AS party_resource,
         (SELECT json_build_object('id', id, 'role', role, 'active', active) FROM staff WHERE ${withParties} AND id = ${provider}) AS party_provider,
         (SELECT json_build_object('id', id, 'patientId', patient_id, 'treatment', treatment, 'protocol', protocol, 'status', status,
                                   'totalSessions', total_sessions, 'settings', settings)
            FROM courses WHERE ${withParties} AND id = ${course}) AS party_course,
         (SELECT coalesce(json_agg(json_build_object('w', weekday, 'o', to_char(opens, 'HH24:MI'), 'c', to_char(closes, 'HH24:MI'))), '[]')
            FROM location_hours WHERE location_id = ${location}) AS hours,
         (SELECT coalesce(json_agg(to_char(date, 'YYYY-MM-DD')), '[]')
            FROM closures WHERE location_id = ${location}
             AND date BETWEEN (${from} AT TIME ZONE ${zone})::date AND (${to} AT TIME ZONE ${zone})::date) AS closures,
         (SELECT coalesce(json_agg(json_build_object('id', id, 'kind', kind) ORDER BY kind, name, id), '[]')
            FROM resources WHERE location_id = ${location} AND active) AS resources,
         -- Per resource, each segment an array (SegmentGroup).
         ${query.mergeBusy ? mergedSegments : perSegment} AS segments,
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 's', ${ms('a.occupancy_starts_at')}, 'e', ${ms('a.occupancy_ends_at')})), '[]')
            FROM appointments a, span
           WHERE ${patient} IS NOT NULL AND a.patient_id = ${patient} AND a.status NOT IN ${RELEASED_STATUS_SQL}
             AND tstzrange(a.occupancy_starts_at, a.occupancy_ends_at, '[)') && span.r) AS patient,
         -- An accelerated TMS session is the one TMS appointment without a daily limit (day_group).
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 't', a.type, 's', a.starts_at, 'c', a.course_id, 'q', a.sequence,
                                                     'x', a.type = 'tms' AND a.day_group IS NULL)), '[]')
            FROM appointments a
           WHERE ${patient} IS NOT NULL AND ${needsTreatments} AND a.patient_id = ${patient}
             AND a.type IN ('spravato', 'ketamine', 'ect', 'tms') AND a.status NOT IN ${RELEASED_STATUS_SQL}
             AND a.starts_at >= ${from} - interval '${TREATMENT_WINDOW_DAYS} days' AND a.starts_at < ${to} + interval '${TREATMENT_WINDOW_DAYS} days') AS treatments,
         -- The patient's authorizations for the treatment, each with the appointments its window already counts.
         (SELECT coalesce(json_agg(json_build_object(
                   'id', au.id, 'treatment', au.treatment, 'approvedSessions', au.approved_sessions,
                   'validFrom', to_char(au.valid_from, 'YYYY-MM-DD'), 'validTo', to_char(au.valid_to, 'YYYY-MM-DD'),
                   'requiredFailedTrials', au.required_failed_trials,
                   'countedAppointmentIds', (SELECT coalesce(json_agg(a.id), '[]') FROM appointments a
                                              WHERE a.patient_id = au.patient_id AND a.type = au.treatment AND a.status NOT IN ${RELEASED_STATUS_SQL}
                                                AND a.starts_at >= au.valid_from::timestamp AT TIME ZONE ${zone}
                                                AND a.starts_at < (au.valid_to + 1)::timestamp AT TIME ZONE ${zone}))), '[]')
            FROM authorizations au
           WHERE ${patient} IS NOT NULL AND ${treatment}::text IS NOT NULL AND au.patient_id = ${patient} AND au.treatment = ${treatment}) AS authorizations,
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 's', ${ms('a.observation_starts_at')}, 'e', ${ms('a.observation_ends_at')})), '[]')
            FROM appointments a
           WHERE ${needsObservations} AND a.location_id = ${location} AND a.observation_starts_at IS NOT NULL AND a.status NOT IN ${RELEASED_STATUS_SQL}
             -- No observation window is longer than the longest hold: the lower bound keeps the index scan short.
             AND a.observation_starts_at > ${from} - interval '${LONGEST_HOLD_MINUTES} minutes'
             AND a.observation_starts_at < ${to} AND a.observation_ends_at > ${from}
             AND ${inBand('a.observation_starts_at', 'a.observation_ends_at')}) AS observations,
         (SELECT coalesce(json_agg(json_build_object('id', sh.staff_id, 's', ${ms('sh.starts_at')}, 'e', ${ms('sh.ends_at')}, 'role', st.role, 'loc', sh.location_id)), '[]')
            -- Two arms rather than an OR, so that the clinic's own shifts come from its index: with sixty
            -- clinics the OR read every clinic's shifts (EXPLAIN at 20x in BENCHMARKS.md).
            FROM (SELECT staff_id, starts_at, ends_at, location_id FROM staff_shifts
                   WHERE location_id = ${location} AND starts_at < ${to} AND ends_at > ${from}
                  UNION ALL
                  SELECT staff_id, starts_at, ends_at, location_id FROM staff_shifts
                   WHERE ${providersAnywhere} AND location_id <> ${location} AND starts_at < ${to} AND ends_at > ${from}) sh
            JOIN staff st ON st.id = sh.staff_id
           WHERE ${needsShifts} AND st.active AND st.role IN ('nurse', 'provider')
             AND (sh.location_id = ${location} OR st.role = 'provider')) AS shifts,
         (SELECT coalesce(json_agg(json_build_object('k', a.provider_id, 'id', a.id, 's', ${ms('a.starts_at')}, 'e', ${ms('a.ends_at')})), '[]')
            FROM appointments a, span
           WHERE ${needsProviderVisits} AND a.provider_id IS NOT NULL AND a.status NOT IN ${RELEASED_STATUS_SQL}
             AND tstzrange(a.starts_at, a.ends_at, '[)') && span.r) AS providers`,
      p.list,
    );
    return row;
  }
}

function toContext(row: Record<string, any>, query: CalendarQuery, horizonDays: number): BookingContext {
  const settings: ClinicSettings = query.clinic ?? row.party_location ?? { observationPatientsPerNurse: 0, timezone: CLINIC_ZONE };
  const shifts = row.shifts as Array<RawInterval & { role: string; loc: string }>;
  const zone = settings.timezone || CLINIC_ZONE;
  return {
    zone,
    now: query.now,
    hours: new Map((row.hours as Array<{ w: number; o: string; c: string }>).map((h) => [h.w, { opens: h.o, closes: h.c }])),
    closedDates: new Set(row.closures as string[]),
    resources: row.resources as Array<{ id: string; kind: ResourceKind }>,
    ...segmentsOf(row.segments as SegmentGroup[], query.now),
    patientBusy: toBusy(row.patient),
    observations: toBusy(row.observations).sort(byStart),
    nurseShifts: toShifts(shifts.filter((s) => s.role === 'nurse' && s.loc === query.locationId)),
    providerShifts: toShifts(shifts.filter((s) => s.role === 'provider' && s.loc === query.locationId)),
    providerShiftsAnywhere: toShifts(shifts.filter((s) => s.role === 'provider')),
    providerBusy: groupBy(row.providers),
    observationPatientsPerNurse: settings.observationPatientsPerNurse,
    holidayOpenings: new Set(settings.holidayOpenings ?? []),
    latestStart: latestBookableStart(query.now, horizonDays),
    patientTreatments: (row.treatments as Array<{ id: string; t: AppointmentType; s: string; c: string | null; q: number | null; x: boolean }>).map(
      (v): TreatmentVisit => {
        const startsAt = new Date(v.s);
        return { appointmentId: v.id, type: v.t, date: localParts(startsAt, zone).date, startsAt, courseId: v.c, sequence: v.q, accelerated: v.x };
      },
    ),
    authorizations: row.authorizations as AuthorizationWindow[],
  };
}
