import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../common/actor';
import type { CompanionInsert } from './appointment-events';
import { CLINIC_ZONE } from '../common/clinic-time';
import { preparedQuery } from '../database/prepared-query';
import type { ResourceKind } from '../locations/domain/resources';
import { AppointmentSegmentEntity } from './appointment-segment.entity';
import { AppointmentStatus, AppointmentType, VisitMode } from './domain/vocabulary';
import { AppointmentEntity } from './appointment.entity';
import type { Interval, PlannedSegment } from './domain/appointment-types';
import type { BookingContext, Busy, StaffShift } from './domain/slot-rules';

/** Namespace of the per-(clinic, day) advisory locks that serialise nurse-capacity decisions. */
const CAPACITY_LOCK_CLASS = 724_310;

export interface ContextQuery {
  locationId: string;
  span: Interval;
  patientId?: string;
  /** Also load provider shifts at every clinic (telehealth visits). */
  providersAnywhere?: boolean;
  /**
   * What the rules will look at, to skip what they won't (default: everything): staff shifts (nurse
   * capacity, prescriber on site, provider visits), observation windows, provider visits.
   */
  needs?: { shifts?: boolean; observations?: boolean; providerVisits?: boolean };
}

/** The audit entry a booking writes with itself (never patient data beyond ids). */
export interface BookingAudit {
  actor: Actor;
  details: Record<string, unknown>;
}

/** What a booking names, loaded with its calendar in the same round trip. */
export interface PartyIds {
  patientId: string;
  resourceId?: string | null;
  providerId?: string | null;
}

export interface NewAppointment {
  /** Chosen by the service, so that companion rows can be planned before the insert. */
  id?: string;
  patientId: string;
  type: AppointmentType;
  mode: VisitMode;
  locationId: string;
  resourceId: string | null;
  providerId: string | null;
  startsAt: Date;
  endsAt: Date;
  occupancyStartsAt: Date;
  occupancyEndsAt: Date;
  observationStartsAt: Date | null;
  observationEndsAt: Date | null;
  courseId: string | null;
  sequence: number | null;
  createdBy: string | null;
}

interface RawInterval {
  id: string;
  s: string;
  e: string;
}

const toBusy = (rows: RawInterval[]): Busy[] => rows.map((r) => ({ appointmentId: r.id, start: new Date(r.s), end: new Date(r.e) }));
const toShifts = (rows: RawInterval[]): StaffShift[] => rows.map((r) => ({ staffId: r.id, start: new Date(r.s), end: new Date(r.e) }));

/** Intervals per key, each list sorted by start (the rules search them by bisection). */
function groupBy(rows: Array<RawInterval & { k: string }>): Map<string, Busy[]> {
  const map = new Map<string, Busy[]>();
  for (const row of rows) {
    const list = map.get(row.k) ?? [];
    list.push({ appointmentId: row.id, start: new Date(row.s), end: new Date(row.e) });
    map.set(row.k, list);
  }
  for (const list of map.values()) list.sort((a, b) => a.start.getTime() - b.start.getTime());
  return map;
}

@Injectable()
export class AppointmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private run(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /**
   * Serialises bookings that add observation or recovery time at one clinic on one local day, so that
   * two concurrent bookings cannot both take the last place a nurse can watch.
   */
  async lockCapacity(manager: EntityManager, locationId: string, localDates: string[]): Promise<void> {
    for (const date of [...new Set(localDates)].sort()) {
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CAPACITY_LOCK_CLASS, `${locationId}:${date}`]);
    }
  }

  /** Everything the booking rules need for one clinic and span, in one round trip. */
  async loadBookingContext(
    manager: EntityManager | undefined,
    query: ContextQuery,
    location: { observationPatientsPerNurse: number; timezone: string },
    now: Date,
  ): Promise<BookingContext> {
    const { context } = await this.loadCalendar(manager, query, location, now);
    return context;
  }

  /**
   * The booking context and, when `parties` is given, the patient, clinic, resource and provider the
   * booking names: one round trip. Without a known clinic (`location` undefined) its settings come from
   * the same query.
   */
  async loadCalendar(
    manager: EntityManager | undefined,
    query: ContextQuery,
    location: { observationPatientsPerNurse: number; timezone: string } | undefined,
    now: Date,
    parties?: PartyIds,
  ): Promise<{ context: BookingContext; parties?: BookingParties }> {
    // Prepared: planning this many sub-selects cost four times their execution (pg_stat_statements).
    const [row] = await preparedQuery<Record<string, any>>(
      this.run(manager),
      `WITH span AS (SELECT tstzrange($2::timestamptz, $3::timestamptz, '[)') AS r)
       SELECT
         (SELECT json_build_object('id', id, 'remsEnrolledAt', rems_enrolled_at) FROM patients WHERE $7::boolean AND id = $4) AS party_patient,
         (SELECT json_build_object('id', id, 'timezone', timezone, 'observationPatientsPerNurse', observation_patients_per_nurse,
                                   'occupancyOverrides', occupancy_overrides) FROM locations WHERE id = $1) AS party_location,
         (SELECT json_build_object('id', id, 'locationId', location_id, 'kind', kind, 'active', active) FROM resources WHERE $7::boolean AND id = $8) AS party_resource,
         (SELECT json_build_object('id', id, 'role', role, 'active', active) FROM staff WHERE $7::boolean AND id = $9) AS party_provider,
         (SELECT coalesce(json_agg(json_build_object('w', weekday, 'o', to_char(opens, 'HH24:MI'), 'c', to_char(closes, 'HH24:MI'))), '[]')
            FROM location_hours WHERE location_id = $1) AS hours,
         (SELECT coalesce(json_agg(to_char(date, 'YYYY-MM-DD')), '[]')
            FROM closures WHERE location_id = $1
             AND date BETWEEN ($2::timestamptz AT TIME ZONE $6)::date AND ($3::timestamptz AT TIME ZONE $6)::date) AS closures,
         (SELECT coalesce(json_agg(json_build_object('id', id, 'kind', kind) ORDER BY kind, name, id), '[]')
            FROM resources WHERE location_id = $1 AND active) AS resources,
         (SELECT coalesce(json_agg(json_build_object('k', s.resource_id, 'id', s.appointment_id, 's', s.starts_at, 'e', s.ends_at)), '[]')
            FROM appointment_segments s JOIN resources r ON r.id = s.resource_id, span
           WHERE r.location_id = $1 AND s.active AND tstzrange(s.starts_at, s.ends_at, '[)') && span.r) AS segments,
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 's', a.occupancy_starts_at, 'e', a.occupancy_ends_at)), '[]')
            FROM appointments a, span
           WHERE $4::uuid IS NOT NULL AND a.patient_id = $4 AND a.status NOT IN ('cancelled', 'no_show')
             AND tstzrange(a.occupancy_starts_at, a.occupancy_ends_at, '[)') && span.r) AS patient,
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 's', a.observation_starts_at, 'e', a.observation_ends_at)), '[]')
            FROM appointments a
           WHERE $11::boolean AND a.location_id = $1 AND a.observation_starts_at IS NOT NULL AND a.status NOT IN ('cancelled', 'no_show')
             -- No observation window is longer than 8 hours: the lower bound keeps the index scan short.
             AND a.observation_starts_at > $2::timestamptz - interval '8 hours'
             AND a.observation_starts_at < $3 AND a.observation_ends_at > $2) AS observations,
         (SELECT coalesce(json_agg(json_build_object('id', sh.staff_id, 's', sh.starts_at, 'e', sh.ends_at, 'role', st.role, 'loc', sh.location_id)), '[]')
            FROM staff_shifts sh JOIN staff st ON st.id = sh.staff_id
           WHERE $10::boolean AND st.active AND st.role IN ('nurse', 'provider') AND (sh.location_id = $1 OR ($5 AND st.role = 'provider'))
             AND sh.starts_at < $3 AND sh.ends_at > $2) AS shifts,
         (SELECT coalesce(json_agg(json_build_object('k', a.provider_id, 'id', a.id, 's', a.starts_at, 'e', a.ends_at)), '[]')
            FROM appointments a, span
           WHERE $12::boolean AND a.provider_id IS NOT NULL AND a.status NOT IN ('cancelled', 'no_show')
             AND tstzrange(a.starts_at, a.ends_at, '[)') && span.r) AS providers`,
      [
        query.locationId,
        query.span.start,
        query.span.end,
        query.patientId ?? null,
        query.providersAnywhere ?? false,
        location?.timezone ?? CLINIC_ZONE,
        parties !== undefined,
        parties?.resourceId ?? null,
        parties?.providerId ?? null,
        query.needs?.shifts ?? true,
        query.needs?.observations ?? true,
        query.needs?.providerVisits ?? true,
      ],
    );
    const settings = location ?? row.party_location ?? { observationPatientsPerNurse: 0, timezone: CLINIC_ZONE };
    const shifts = row.shifts as Array<RawInterval & { role: string; loc: string }>;
    const context: BookingContext = {
      zone: settings.timezone || CLINIC_ZONE,
      now,
      hours: new Map((row.hours as Array<{ w: number; o: string; c: string }>).map((h) => [h.w, { opens: h.o, closes: h.c }])),
      closedDates: new Set(row.closures as string[]),
      resources: row.resources as Array<{ id: string; kind: ResourceKind }>,
      resourceBusy: groupBy(row.segments),
      patientBusy: toBusy(row.patient),
      observations: toBusy(row.observations).sort((a, b) => a.start.getTime() - b.start.getTime()),
      nurseShifts: toShifts(shifts.filter((s) => s.role === 'nurse' && s.loc === query.locationId)),
      providerShifts: toShifts(shifts.filter((s) => s.role === 'provider' && s.loc === query.locationId)),
      providerShiftsAnywhere: toShifts(shifts.filter((s) => s.role === 'provider')),
      providerBusy: groupBy(row.providers),
      observationPatientsPerNurse: settings.observationPatientsPerNurse,
    };
    if (!parties) return { context };
    return {
      context,
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

  /**
   * Inserts the appointment and its segments in one statement, with ON CONFLICT DO NOTHING against the
   * exclusion constraints (a concurrent loser waits only for the winner's commit). Undefined when the
   * patient or provider is taken; when a segment's resource is taken the whole statement fails with
   * SQLSTATE CL001 (clinic_refuse_if), so an appointment never stands without its segments. The audit entry
   * is written by the same statement.
   */
  async insertBooking(
    manager: EntityManager,
    row: NewAppointment,
    segments: PlannedSegment[],
    resourceIds: string[],
    audit: BookingAudit,
    companions: CompanionInsert[] = [],
  ): Promise<{ appointment: AppointmentEntity; segments: AppointmentSegmentEntity[] } | undefined> {
    const base: unknown[] = [
      row.patientId,
      row.type,
      row.mode,
      row.locationId,
      row.resourceId,
      row.providerId,
      row.startsAt,
      row.endsAt,
      row.occupancyStartsAt,
      row.occupancyEndsAt,
      row.observationStartsAt,
      row.observationEndsAt,
      row.courseId,
      row.sequence,
      row.createdBy,
      resourceIds,
      segments.map((s) => s.kind),
      segments.map((s) => s.start),
      segments.map((s) => s.end),
      segments.length,
      audit.actor.id,
      audit.actor.role,
      audit.actor.requestId,
      JSON.stringify(audit.details),
      row.id ?? randomUUID(),
    ];
    // Each companion's $1…$n become its own slice of the statement's parameters.
    const params = [...base];
    const extra = companions.map((companion, index) => {
      const offset = params.length;
      params.push(...companion.params);
      return `, companion_${index} AS (${companion.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
    });
    // Prepared (planned once per connection): planning this statement cost about as much as running it.
    // Its texts vary only with the companions, so each connection holds a handful.
    const [result] = await preparedQuery<Record<string, any>>(
      manager,
      `WITH a AS (
         INSERT INTO appointments (id, patient_id, type, mode, location_id, resource_id, provider_id, starts_at, ends_at,
                                   occupancy_starts_at, occupancy_ends_at, observation_starts_at, observation_ends_at,
                                   course_id, sequence, created_by)
         VALUES ($25, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT DO NOTHING
         RETURNING *
       ), s AS (
         INSERT INTO appointment_segments (appointment_id, resource_id, kind, starts_at, ends_at)
         SELECT a.id, t.r, t.k, t.s, t.e FROM a, unnest($16::uuid[], $17::varchar[], $18::timestamptz[], $19::timestamptz[]) AS t(r, k, s, e)
         ON CONFLICT DO NOTHING
         RETURNING *
       ), audited AS (
         INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, request_id, details)
         SELECT $21, $22, 'appointment.create', 'appointment', a.id, $23, $24::jsonb FROM a
       )${extra.join('')}
       SELECT (SELECT row_to_json(a) FROM a) AS appointment,
              (SELECT coalesce(json_agg(s ORDER BY s.starts_at), '[]') FROM s) AS segments,
              clinic_refuse_if(EXISTS (SELECT 1 FROM a) AND (SELECT count(*) FROM s) < $20, 'resource-overlap') AS placed`,
      params,
    );
    if (!result.appointment) return undefined;
    return { appointment: appointmentFromJson(result.appointment), segments: (result.segments as Record<string, unknown>[]).map(segmentFromJson) };
  }

  /** Inserts every segment; false when a resource turned out to be taken (the caller rolls back to its savepoint). */
  async insertSegments(manager: EntityManager, appointmentId: string, segments: PlannedSegment[], resourceIds: string[]): Promise<boolean> {
    if (segments.length === 0) return true;
    const inserted = await manager.query(
      `INSERT INTO appointment_segments (appointment_id, resource_id, kind, starts_at, ends_at)
       SELECT $1, r, k, s, e FROM unnest($2::uuid[], $3::varchar[], $4::timestamptz[], $5::timestamptz[]) AS t(r, k, s, e)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [appointmentId, resourceIds, segments.map((s) => s.kind), segments.map((s) => s.start), segments.map((s) => s.end)],
    );
    return inserted.length === segments.length;
  }

  async deleteSegments(manager: EntityManager, appointmentId: string): Promise<void> {
    await manager.query('DELETE FROM appointment_segments WHERE appointment_id = $1', [appointmentId]);
  }

  /** Who holds the resources or the patient at that time (for a 409's `conflicts`). */
  async findConflicting(
    manager: EntityManager,
    patientId: string,
    span: Interval,
    resourceIds: string[],
    providerId: string | null,
  ): Promise<Array<{ appointmentId: string; resourceId: string | null; reason: string }>> {
    return manager.query(
      `SELECT a.id AS "appointmentId", NULL::uuid AS "resourceId", 'the patient is booked then' AS reason
         FROM appointments a
        WHERE a.patient_id = $1 AND a.status NOT IN ('cancelled', 'no_show')
          AND tstzrange(a.occupancy_starts_at, a.occupancy_ends_at, '[)') && tstzrange($2, $3, '[)')
       UNION ALL
       SELECT s.appointment_id, s.resource_id, 'the resource is held then'
         FROM appointment_segments s
        WHERE s.active AND s.resource_id = ANY($4::uuid[])
          AND tstzrange(s.starts_at, s.ends_at, '[)') && tstzrange($2, $3, '[)')
       UNION ALL
       SELECT a.id, NULL, 'the provider is booked then'
         FROM appointments a
        WHERE $5::uuid IS NOT NULL AND a.provider_id = $5 AND a.status NOT IN ('cancelled', 'no_show')
          AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange($2, $3, '[)')`,
      [patientId, span.start, span.end, resourceIds, providerId],
    );
  }

  findById(id: string, manager?: EntityManager): Promise<AppointmentEntity | null> {
    return this.run(manager).getRepository(AppointmentEntity).findOne({ where: { id } });
  }

  /** Locks the row for a status change or a reschedule. */
  findByIdForUpdate(manager: EntityManager, id: string): Promise<AppointmentEntity | null> {
    return manager.getRepository(AppointmentEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findSegments(appointmentIds: string[], manager?: EntityManager): Promise<AppointmentSegmentEntity[]> {
    if (appointmentIds.length === 0) return Promise.resolve([]);
    return this.run(manager)
      .getRepository(AppointmentSegmentEntity)
      .createQueryBuilder('s')
      .where('s.appointmentId IN (:...ids)', { ids: appointmentIds })
      .orderBy('s.startsAt', 'ASC')
      .getMany();
  }

  findByLocationAndSpan(locationId: string, span: Interval): Promise<AppointmentEntity[]> {
    return this.dataSource
      .getRepository(AppointmentEntity)
      .createQueryBuilder('a')
      .where('a.locationId = :locationId', { locationId })
      .andWhere('a.startsAt >= :start AND a.startsAt < :end', { start: span.start, end: span.end })
      .orderBy('a.startsAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany();
  }

  findByPatientAndSpan(patientId: string, span: Partial<Interval>): Promise<AppointmentEntity[]> {
    const qb = this.dataSource.getRepository(AppointmentEntity).createQueryBuilder('a').where('a.patientId = :patientId', { patientId });
    if (span.start) qb.andWhere('a.startsAt >= :start', { start: span.start });
    if (span.end) qb.andWhere('a.startsAt < :end', { end: span.end });
    return qb.orderBy('a.startsAt', 'ASC').addOrderBy('a.id', 'ASC').limit(1000).getMany();
  }

  async updateTimes(
    manager: EntityManager,
    id: string,
    times: Pick<
      NewAppointment,
      'resourceId' | 'providerId' | 'startsAt' | 'endsAt' | 'occupancyStartsAt' | 'occupancyEndsAt' | 'observationStartsAt' | 'observationEndsAt'
    >,
  ): Promise<void> {
    await manager.query(
      `UPDATE appointments SET resource_id = $2, provider_id = $3, starts_at = $4, ends_at = $5,
              occupancy_starts_at = $6, occupancy_ends_at = $7, observation_starts_at = $8, observation_ends_at = $9,
              updated_at = now()
        WHERE id = $1`,
      [
        id,
        times.resourceId,
        times.providerId,
        times.startsAt,
        times.endsAt,
        times.occupancyStartsAt,
        times.occupancyEndsAt,
        times.observationStartsAt,
        times.observationEndsAt,
      ],
    );
  }

  /** Cancelled or no-show: the appointment no longer holds its resources, the patient or the provider. */
  async release(
    manager: EntityManager,
    id: string,
    status: Extract<AppointmentStatus, 'cancelled' | 'no_show'>,
    reason: string | null,
    at: Date,
  ): Promise<void> {
    await manager.query(`UPDATE appointments SET status = $2, cancel_reason = $3, cancelled_at = $4, updated_at = now() WHERE id = $1`, [
      id,
      status,
      reason,
      status === 'cancelled' ? at : null,
    ]);
    await manager.query('UPDATE appointment_segments SET active = false WHERE appointment_id = $1', [id]);
  }
}

export interface BookingParties {
  patient: { id: string; remsEnrolledAt: Date | null } | null;
  location: { id: string; timezone: string; observationPatientsPerNurse: number; occupancyOverrides: Record<string, { occupancyMinutes?: number }> } | null;
  resource: { id: string; locationId: string; kind: ResourceKind; active: boolean } | null;
  provider: { id: string; role: string; active: boolean } | null;
}

const instant = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));

/** A row of `appointments` as row_to_json gives it (snake_case, timestamps as text), as the entity. */
export function appointmentFromJson(json: Record<string, unknown>): AppointmentEntity {
  return Object.assign(new AppointmentEntity(), {
    id: json.id,
    patientId: json.patient_id,
    type: json.type,
    status: json.status,
    mode: json.mode,
    locationId: json.location_id,
    resourceId: json.resource_id,
    providerId: json.provider_id,
    startsAt: instant(json.starts_at),
    endsAt: instant(json.ends_at),
    occupancyStartsAt: instant(json.occupancy_starts_at),
    occupancyEndsAt: instant(json.occupancy_ends_at),
    observationStartsAt: instant(json.observation_starts_at),
    observationEndsAt: instant(json.observation_ends_at),
    courseId: json.course_id,
    sequence: json.sequence,
    earliestDischargeAt: instant(json.earliest_discharge_at),
    cancelReason: json.cancel_reason,
    cancelledAt: instant(json.cancelled_at),
    createdBy: json.created_by,
    createdAt: instant(json.created_at),
    updatedAt: instant(json.updated_at),
  });
}

function segmentFromJson(json: Record<string, unknown>): AppointmentSegmentEntity {
  return Object.assign(new AppointmentSegmentEntity(), {
    id: json.id,
    appointmentId: json.appointment_id,
    resourceId: json.resource_id,
    kind: json.kind,
    startsAt: instant(json.starts_at),
    endsAt: instant(json.ends_at),
    active: json.active,
  });
}
