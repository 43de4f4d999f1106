import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OUTCOME_SCALES, RESPONSE_REDUCTION, SCALES } from '../courses/domain/outcomes';
import { READ_CONNECTION } from '../database/data-source-options';
import type { ReportGrouping } from './domain/report-names';
import type { AttendanceRow, CoursesRow, HeatmapCell, RemsRow, TextsRow, UtilizationRow, WaitlistFillRow } from './domain/report-rows';

/** What every report is asked: which clinics, which clinic-local dates (inclusive), how to group them. */
export interface ReportScope {
  locationIds: string[];
  from: string;
  to: string;
  groupBy?: ReportGrouping;
  now: Date;
}

/** The parameters every report statement takes, in this order ($1 … $4; the REMS report adds now as $5). */
const params = (scope: ReportScope) => [scope.locationIds, scope.from, scope.to, scope.groupBy ?? 'range'];

/**
 * The clinics of the report with the instants their first and last local day begin and end: each clinic in
 * its own zone, so a range that holds a 23- or 25-hour day is exactly as long as those days were.
 */
const LOCATIONS = `loc AS MATERIALIZED (
  SELECT id, timezone,
         ($2::date)::timestamp AT TIME ZONE timezone AS range_start,
         ($3::date + 1)::timestamp AT TIME ZONE timezone AS range_end
    FROM locations WHERE id = ANY($1::uuid[]))`;

/**
 * The instant of a clinic-local timestamp expression. PostgreSQL reads a wall time that happens twice (the
 * 01:00 hour of a fall-back day) as its second occurrence; the service reads it as its first
 * (clinic-time.ts), so opening hours starting then are taken an hour earlier when that hour also maps back.
 */
function localInstant(local: string, zone: string): string {
  const later = `(${local}) AT TIME ZONE ${zone}`;
  return `CASE WHEN (${later} - interval '1 hour') AT TIME ZONE ${zone} = (${local}) THEN ${later} - interval '1 hour' ELSE ${later} END`;
}

/** The row's period for a clinic-local date expression: its day, its ISO week cut to the range, or the range. */
function period(localDate: string): string {
  return `to_char(CASE $4 WHEN 'day' THEN ${localDate}
                          WHEN 'week' THEN greatest(date_trunc('week', ${localDate}::timestamp)::date, $2::date)
                          ELSE $2::date END, 'YYYY-MM-DD') AS "periodStart",
          to_char(CASE $4 WHEN 'day' THEN ${localDate}
                          WHEN 'week' THEN least(date_trunc('week', ${localDate}::timestamp)::date + 6, $3::date)
                          ELSE $3::date END, 'YYYY-MM-DD') AS "periodEnd"`;
}

/** Statuses of an appointment the patient came to. */
const ATTENDED = `('checked_in', 'in_treatment', 'observing', 'discharged')`;
/** Statuses of an appointment whose outcome is not known yet. */
const PENDING = `('scheduled', 'checked_in', 'in_treatment', 'observing')`;

/**
 * (MATERIALIZED: each part is computed once, the appointments by their (location, start) index, before the
 * parts are joined by day. Inlined, the planner misjudged the few days and hour slices and read the
 * clinic's appointments once per day or slice: 2.7 s for a clinic-month's heatmap at 20x, see BENCHMARKS.md.)
 *
 * Each open local day of each clinic, as the instants it opens and closes (generate_series over the
 * range, the weekday's hours, closures left out), and every minute a resource was held inside those
 * hours: the segments of appointments not cancelled (a no-show held the chair), cut to the day's hours.
 */
const OPEN_DAYS_AND_HELD = `${LOCATIONS},
days AS MATERIALIZED (
  SELECT l.id AS location_id, d.day,
         ${localInstant('d.day + h.opens', 'l.timezone')} AS opens_at,
         ${localInstant('d.day + h.closes', 'l.timezone')} AS closes_at
    FROM loc l
   CROSS JOIN LATERAL (SELECT g::date AS day FROM generate_series($2::date, $3::date, interval '1 day') AS g) d
    JOIN location_hours h ON h.location_id = l.id AND h.weekday = extract(isodow FROM d.day)
   WHERE NOT EXISTS (SELECT 1 FROM closures c WHERE c.location_id = l.id AND c.date = d.day)),
segments AS MATERIALIZED (
  SELECT s.resource_id, l.id AS location_id, (s.starts_at AT TIME ZONE l.timezone)::date AS day, s.starts_at, s.ends_at,
         a.status IN ${ATTENDED} AS attended
    FROM loc l
    -- A segment lies within its appointment's local day: a day's margin before the range finds every one.
    JOIN appointments a ON a.location_id = l.id AND a.starts_at >= l.range_start - interval '1 day' AND a.starts_at < l.range_end
                       AND a.status <> 'cancelled'
    JOIN appointment_segments s ON s.appointment_id = a.id),
held AS MATERIALIZED (
  SELECT sg.resource_id, dy.location_id, dy.day,
         greatest(sg.starts_at, dy.opens_at) AS starts_at, least(sg.ends_at, dy.closes_at) AS ends_at, sg.attended
    FROM segments sg
    JOIN days dy ON dy.location_id = sg.location_id AND dy.day = sg.day
   WHERE sg.starts_at < dy.closes_at AND sg.ends_at > dy.opens_at)`;

/** A scale's remission ceiling (a score at or below it), as SQL over a scale column. */
const remissionCeiling = (scale: string) =>
  `CASE ${scale} ${OUTCOME_SCALES.map((name) => `WHEN '${name}' THEN ${SCALES[name].remissionAtMost}`).join(' ')} END`;
/** Which scale judges a course: clinician-rated first. */
const SCALE_PREFERENCE = `CASE scale WHEN 'madrs' THEN 1 WHEN 'hamd17' THEN 2 ELSE 3 END`;

const minutes = (from: string, to: string) => `extract(epoch FROM ${to} - ${from}) / 60`;

/**
 * Every report's SQL. Reports read only through the read connection (DATABASE_READ_URL, a replica, or the
 * primary when unset); nothing here writes.
 */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource(READ_CONNECTION) private readonly reader: DataSource) {}

  /** Open, booked and attended minutes per resource and period. */
  utilizationByResource(scope: ReportScope): Promise<UtilizationRow[]> {
    return this.reader.query(
      `WITH ${OPEN_DAYS_AND_HELD},
       held_per_day AS (
         SELECT resource_id, day, sum(${minutes('starts_at', 'ends_at')}) AS booked,
                coalesce(sum(${minutes('starts_at', 'ends_at')}) FILTER (WHERE attended), 0) AS used
           FROM held GROUP BY resource_id, day)
       SELECT r.location_id AS "locationId", ${period('dy.day')}, r.kind, r.id AS "resourceId", r.name AS "resourceName",
              round(sum(${minutes('dy.opens_at', 'dy.closes_at')}))::int AS "openMinutes",
              round(coalesce(sum(h.booked), 0))::int AS "bookedMinutes",
              round(coalesce(sum(h.used), 0))::int AS "usedMinutes"
         FROM resources r
         JOIN days dy ON dy.location_id = r.location_id
         LEFT JOIN held_per_day h ON h.resource_id = r.id AND h.day = dy.day
        WHERE r.location_id = ANY($1::uuid[]) AND (r.active OR r.id IN (SELECT resource_id FROM held))
        GROUP BY r.location_id, 2, 3, r.kind, r.id, r.name
        ORDER BY 2, r.location_id, r.kind, r.name`,
      params(scope),
    );
  }

  /**
   * Open, booked and attended minutes per resource kind, ISO weekday and clinic-local hour over the whole
   * range: each open day cut into clock hours (generate_series in the clinic's zone, so the hour that a
   * 25-hour day repeats is counted twice and the one a 23-hour day skips not at all).
   */
  utilizationHeatmap(scope: ReportScope): Promise<HeatmapCell[]> {
    return this.reader.query(
      `WITH ${OPEN_DAYS_AND_HELD},
       slices AS MATERIALIZED (
         SELECT dy.location_id, dy.day, extract(isodow FROM dy.day)::int AS weekday,
                extract(hour FROM g AT TIME ZONE l.timezone)::int AS hour,
                greatest(g, dy.opens_at) AS starts_at, least(g + interval '1 hour', dy.closes_at) AS ends_at
           FROM days dy JOIN loc l ON l.id = dy.location_id
          CROSS JOIN LATERAL generate_series(date_trunc('hour', dy.opens_at, l.timezone), dy.closes_at - interval '1 microsecond', interval '1 hour') AS g),
       kinds AS (
         SELECT location_id, kind, count(*) AS resources FROM resources WHERE location_id = ANY($1::uuid[]) AND active GROUP BY location_id, kind),
       open AS (
         SELECT sl.location_id, k.kind, sl.weekday, sl.hour, sum(${minutes('sl.starts_at', 'sl.ends_at')} * k.resources) AS minutes
           FROM slices sl JOIN kinds k ON k.location_id = sl.location_id
          GROUP BY sl.location_id, k.kind, sl.weekday, sl.hour),
       taken AS (
         SELECT sl.location_id, r.kind, sl.weekday, sl.hour,
                sum(${minutes('greatest(h.starts_at, sl.starts_at)', 'least(h.ends_at, sl.ends_at)')}) AS booked,
                coalesce(sum(${minutes('greatest(h.starts_at, sl.starts_at)', 'least(h.ends_at, sl.ends_at)')}) FILTER (WHERE h.attended), 0) AS used
           FROM held h
           JOIN resources r ON r.id = h.resource_id AND r.active
           JOIN slices sl ON sl.location_id = h.location_id AND sl.day = h.day AND h.starts_at < sl.ends_at AND h.ends_at > sl.starts_at
          GROUP BY sl.location_id, r.kind, sl.weekday, sl.hour)
       SELECT o.location_id AS "locationId", o.kind, o.weekday, o.hour, round(o.minutes)::int AS "openMinutes",
              round(coalesce(t.booked, 0))::int AS "bookedMinutes", round(coalesce(t.used, 0))::int AS "usedMinutes"
         FROM open o
         LEFT JOIN taken t ON t.location_id = o.location_id AND t.kind = o.kind AND t.weekday = o.weekday AND t.hour = o.hour
        ORDER BY o.location_id, o.kind, o.weekday, o.hour`,
      // No periods: the heatmap spans the whole range.
      params(scope).slice(0, 3),
    );
  }

  /** Appointments starting in the range per type and period, by what became of them. */
  attendanceByType(scope: ReportScope): Promise<AttendanceRow[]> {
    return this.reader.query(
      `WITH ${LOCATIONS}
       SELECT a.location_id AS "locationId", ${period('(a.starts_at AT TIME ZONE l.timezone)::date')}, a.type,
              count(*)::int AS booked,
              count(*) FILTER (WHERE a.status = 'discharged')::int AS completed,
              count(*) FILTER (WHERE a.status = 'cancelled')::int AS cancelled,
              count(*) FILTER (WHERE a.status = 'cancelled' AND a.cancelled_at > a.starts_at - interval '24 hours')::int AS "lateCancelled",
              count(*) FILTER (WHERE a.status = 'no_show')::int AS "noShow",
              count(*) FILTER (WHERE a.status IN ${PENDING})::int AS pending
         FROM loc l
         JOIN appointments a ON a.location_id = l.id AND a.starts_at >= l.range_start AND a.starts_at < l.range_end
        GROUP BY a.location_id, 2, 3, a.type
        ORDER BY 2, a.location_id, a.type`,
      params(scope),
    );
  }

  /**
   * Courses whose first day falls in the range (a cohort) per protocol and period, how they went, and how
   * many responded and remitted. A course is judged on one scale: the clinician-rated one when recorded
   * (MADRS, then HAM-D17), else PHQ-9, preferring a scale with a baseline and a later score; its baseline
   * is the first score and the judgement the latest (window functions over the course's scores), with the
   * thresholds of courses/domain/outcomes.ts.
   */
  coursesByProtocol(scope: ReportScope): Promise<CoursesRow[]> {
    return this.reader.query(
      `WITH ${LOCATIONS},
       cohort AS MATERIALIZED (
         SELECT c.* FROM loc l JOIN courses c ON c.location_id = l.id AND c.start_date BETWEEN $2::date AND $3::date),
       scored AS (
         SELECT o.course_id, o.scale,
                first_value(o.score) OVER w AS baseline,
                last_value(o.score) OVER w AS latest,
                count(*) OVER w AS entries
           FROM cohort c JOIN course_outcomes o ON o.course_id = c.id
         WINDOW w AS (PARTITION BY o.course_id, o.scale ORDER BY o.taken_on, o.recorded_at ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
       judged AS (
         SELECT DISTINCT ON (course_id) course_id, entries >= 2 AS measured,
                baseline > 0 AND latest <= baseline * ${1 - RESPONSE_REDUCTION} AS responded,
                latest <= ${remissionCeiling('scale')} AS remitted
           FROM scored
          ORDER BY course_id, entries >= 2 DESC, ${SCALE_PREFERENCE})
       SELECT c.location_id AS "locationId", ${period('c.start_date')}, c.protocol, c.treatment,
              count(*)::int AS started,
              count(*) FILTER (WHERE c.status = 'completed')::int AS completed,
              count(*) FILTER (WHERE c.status = 'cancelled')::int AS stopped,
              count(*) FILTER (WHERE c.status = 'active')::int AS active,
              coalesce(sum(done.sessions), 0)::int AS "sessionsCompleted",
              count(*) FILTER (WHERE j.measured)::int AS "withOutcomes",
              count(*) FILTER (WHERE j.measured AND j.responded)::int AS responded,
              count(*) FILTER (WHERE j.measured AND j.remitted)::int AS remitted
         FROM cohort c
        CROSS JOIN LATERAL (SELECT count(*) AS sessions FROM appointments a WHERE a.course_id = c.id AND a.status = 'discharged') done
         LEFT JOIN judged j ON j.course_id = c.id
        GROUP BY c.location_id, 2, 3, c.protocol, c.treatment
        ORDER BY 2, c.location_id, c.protocol`,
      params(scope),
    );
  }

  /** REMS monitoring forms falling due in the range per period: on time, late, overdue now, not yet due. */
  remsTimeliness(scope: ReportScope): Promise<RemsRow[]> {
    return this.reader.query(
      `WITH ${LOCATIONS}
       SELECT a.location_id AS "locationId", ${period('(f.due_at AT TIME ZONE l.timezone)::date')},
              count(*)::int AS due,
              count(*) FILTER (WHERE f.submitted_at <= f.due_at)::int AS "submittedOnTime",
              count(*) FILTER (WHERE f.submitted_at > f.due_at)::int AS "submittedLate",
              count(*) FILTER (WHERE f.submitted_at IS NULL AND f.due_at <= $5)::int AS "overdueNow",
              count(*) FILTER (WHERE f.submitted_at IS NULL AND f.due_at > $5)::int AS "notYetDue"
         FROM loc l
         -- A form is due 7 days after the dose, on the session's day: eight days before the range find them all.
         JOIN appointments a ON a.location_id = l.id AND a.starts_at >= l.range_start - interval '8 days' AND a.starts_at < l.range_end
         JOIN rems_forms f ON f.appointment_id = a.id AND f.due_at >= l.range_start AND f.due_at < l.range_end
        GROUP BY a.location_id, 2, 3
        ORDER BY 2, a.location_id`,
      [...params(scope), scope.now],
    );
  }

  /**
   * Texts planned to go out in the range per period by what became of them, and opt-outs (STOP). An
   * opt-out counts for the clinic of the last text sent to the patient in the 7 days before it (what a
   * reply answers), else for the patient's preferred clinic. Only the clinic's own patients are looked at:
   * those it texted in the range (or the week before) and those who prefer it.
   */
  textsActivity(scope: ReportScope): Promise<TextsRow[]> {
    return this.reader.query(
      `WITH ${LOCATIONS},
       texts AS MATERIALIZED (
         SELECT a.location_id, l.timezone, r.patient_id, r.send_at, r.status
           FROM loc l
           -- Nothing is sent after its appointment has started: the appointment starts after the texts.
           JOIN appointments a ON a.location_id = l.id AND a.starts_at >= l.range_start - interval '7 days'
           JOIN reminders r ON r.appointment_id = a.id AND r.send_at >= l.range_start - interval '7 days' AND r.send_at < l.range_end
                           -- The same bounds over all the report's clinics, as values known before the join: the
                           -- (appointment, send_at) index then skips the other texts of each appointment without
                           -- reading them (a bound from loc's row of the join is only applied after the read).
                           AND r.send_at >= (SELECT min(range_start) FROM loc) - interval '7 days' AND r.send_at < (SELECT max(range_end) FROM loc)),
       candidates AS (
         SELECT patient_id FROM texts WHERE status = 'sent'
         UNION
         SELECT p.id FROM patients p JOIN loc l ON l.id = p.preferred_location_id),
       opt_outs AS (
         SELECT l.id AS location_id, (e.created_at AT TIME ZONE l.timezone)::date AS day, 'opt_out'::varchar AS status
           FROM candidates c
           JOIN sms_consent_events e ON e.patient_id = c.patient_id AND e.event = 'opt_out'
           JOIN patients p ON p.id = e.patient_id
           LEFT JOIN LATERAL (
             SELECT a.location_id FROM reminders r JOIN appointments a ON a.id = r.appointment_id
              WHERE r.patient_id = e.patient_id AND r.status = 'sent' AND r.send_at <= e.created_at AND r.send_at > e.created_at - interval '7 days'
              ORDER BY r.send_at DESC LIMIT 1) last ON true
           JOIN loc l ON l.id = coalesce(last.location_id, p.preferred_location_id)
          WHERE e.created_at >= l.range_start AND e.created_at < l.range_end),
       in_range AS (
         SELECT t.location_id, (t.send_at AT TIME ZONE t.timezone)::date AS day, t.status
           FROM texts t JOIN loc l ON l.id = t.location_id
          WHERE t.send_at >= l.range_start),
       -- Replies that confirmed or asked to move an appointment: the audit trail keeps them (the
       -- appointment's own columns are cleared when it moves). A reply comes before the start, answers a
       -- reminder of the last 7 days, sent at most 30 days ahead (REMINDER_OFFSETS_HOURS ≤ 720), and a move
       -- it asked for stays within 7 days: the appointment starts within 45 days after the range.
       replies AS (
         SELECT a.location_id, (al.at AT TIME ZONE l.timezone)::date AS day,
                CASE al.action WHEN 'appointment.confirm' THEN 'confirmed'::varchar ELSE 'reschedule'::varchar END AS status
           FROM loc l
           JOIN appointments a ON a.location_id = l.id AND a.starts_at >= l.range_start AND a.starts_at < l.range_end + interval '45 days'
           JOIN audit_log al ON al.entity_type = 'appointment' AND al.entity_id = a.id::text
                            AND al.action IN ('appointment.confirm', 'appointment.reschedule-request')
                            AND al.at >= l.range_start AND al.at < l.range_end)
       SELECT t.location_id AS "locationId", ${period('t.day')},
              count(*) FILTER (WHERE t.status = 'sent')::int AS sent,
              count(*) FILTER (WHERE t.status = 'failed')::int AS failed,
              count(*) FILTER (WHERE t.status = 'suppressed')::int AS suppressed,
              count(*) FILTER (WHERE t.status = 'cancelled')::int AS cancelled,
              count(*) FILTER (WHERE t.status = 'pending')::int AS pending,
              count(*) FILTER (WHERE t.status = 'opt_out')::int AS "optOuts",
              count(*) FILTER (WHERE t.status = 'confirmed')::int AS "confirmationsByReply",
              count(*) FILTER (WHERE t.status = 'reschedule')::int AS "rescheduleRequestsByReply"
         FROM (SELECT * FROM in_range UNION ALL SELECT * FROM opt_outs UNION ALL SELECT * FROM replies) t
        GROUP BY t.location_id, 2, 3
        ORDER BY 2, t.location_id`,
      params(scope),
    );
  }

  /**
   * Waitlist offers made in the range per period: offers, accepted, and the freed slots offered and filled
   * (a slot offered to several patients in turn counts once), as the waitlist's own summary counts them.
   */
  waitlistFill(scope: ReportScope): Promise<WaitlistFillRow[]> {
    return this.reader.query(
      `WITH ${LOCATIONS}
       SELECT o.location_id AS "locationId", ${period('(o.offered_at AT TIME ZONE l.timezone)::date')},
              count(*)::int AS offers,
              count(*) FILTER (WHERE o.status = 'accepted')::int AS accepted,
              count(DISTINCT (o.resource_id, o.starts_at))::int AS "slotsOffered",
              count(DISTINCT (o.resource_id, o.starts_at)) FILTER (WHERE o.status = 'accepted')::int AS "slotsFilled"
         FROM loc l
         JOIN waitlist_offers o ON o.location_id = l.id AND o.offered_at >= l.range_start AND o.offered_at < l.range_end
        GROUP BY o.location_id, 2, 3
        ORDER BY 2, o.location_id`,
      params(scope),
    );
  }
}
