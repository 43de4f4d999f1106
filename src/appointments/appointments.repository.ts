import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLINIC_ZONE } from '../common/clinic-time';
import type { ResourceKind } from '../locations/resource.entity';
import { AppointmentSegmentEntity } from './appointment-segment.entity';
import { AppointmentEntity, AppointmentStatus, AppointmentType, VisitMode } from './appointment.entity';
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
}

export interface NewAppointment {
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

function groupBy(rows: Array<RawInterval & { k: string }>): Map<string, Busy[]> {
  const map = new Map<string, Busy[]>();
  for (const row of rows) {
    const list = map.get(row.k) ?? [];
    list.push({ appointmentId: row.id, start: new Date(row.s), end: new Date(row.e) });
    map.set(row.k, list);
  }
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
    const [row] = await this.run(manager).query(
      `WITH span AS (SELECT tstzrange($2::timestamptz, $3::timestamptz, '[)') AS r)
       SELECT
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
           WHERE a.location_id = $1 AND a.observation_starts_at IS NOT NULL AND a.status NOT IN ('cancelled', 'no_show')
             AND a.observation_starts_at < $3 AND a.observation_ends_at > $2) AS observations,
         (SELECT coalesce(json_agg(json_build_object('id', sh.staff_id, 's', sh.starts_at, 'e', sh.ends_at, 'role', st.role, 'loc', sh.location_id)), '[]')
            FROM staff_shifts sh JOIN staff st ON st.id = sh.staff_id
           WHERE st.active AND st.role IN ('nurse', 'provider') AND (sh.location_id = $1 OR ($5 AND st.role = 'provider'))
             AND sh.starts_at < $3 AND sh.ends_at > $2) AS shifts,
         (SELECT coalesce(json_agg(json_build_object('k', a.provider_id, 'id', a.id, 's', a.starts_at, 'e', a.ends_at)), '[]')
            FROM appointments a, span
           WHERE a.provider_id IS NOT NULL AND a.status NOT IN ('cancelled', 'no_show')
             AND tstzrange(a.starts_at, a.ends_at, '[)') && span.r) AS providers`,
      [query.locationId, query.span.start, query.span.end, query.patientId ?? null, query.providersAnywhere ?? false, location.timezone],
    );
    const shifts = row.shifts as Array<RawInterval & { role: string; loc: string }>;
    return {
      zone: location.timezone || CLINIC_ZONE,
      now,
      hours: new Map((row.hours as Array<{ w: number; o: string; c: string }>).map((h) => [h.w, { opens: h.o, closes: h.c }])),
      closedDates: new Set(row.closures as string[]),
      resources: row.resources as Array<{ id: string; kind: ResourceKind }>,
      resourceBusy: groupBy(row.segments),
      patientBusy: toBusy(row.patient),
      observations: toBusy(row.observations),
      nurseShifts: toShifts(shifts.filter((s) => s.role === 'nurse' && s.loc === query.locationId)),
      providerShifts: toShifts(shifts.filter((s) => s.role === 'provider' && s.loc === query.locationId)),
      providerShiftsAnywhere: toShifts(shifts.filter((s) => s.role === 'provider')),
      providerBusy: groupBy(row.providers),
      observationPatientsPerNurse: location.observationPatientsPerNurse,
    };
  }

  /**
   * Inserts the appointment unless an exclusion constraint (patient or provider overlap) refuses it;
   * ON CONFLICT DO NOTHING makes a concurrent loser wait only for the winner's commit, never deadlock.
   */
  async insertAppointment(manager: EntityManager, row: NewAppointment): Promise<string | undefined> {
    const [inserted] = await manager.query(
      `INSERT INTO appointments (patient_id, type, mode, location_id, resource_id, provider_id, starts_at, ends_at,
                                 occupancy_starts_at, occupancy_ends_at, observation_starts_at, observation_ends_at,
                                 course_id, sequence, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
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
      ],
    );
    return inserted?.id;
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
    const qb = this.dataSource
      .getRepository(AppointmentEntity)
      .createQueryBuilder('a')
      .where('a.patientId = :patientId', { patientId });
    if (span.start) qb.andWhere('a.startsAt >= :start', { start: span.start });
    if (span.end) qb.andWhere('a.startsAt < :end', { end: span.end });
    return qb.orderBy('a.startsAt', 'ASC').addOrderBy('a.id', 'ASC').limit(1000).getMany();
  }

  async updateTimes(
    manager: EntityManager,
    id: string,
    times: Pick<NewAppointment, 'resourceId' | 'providerId' | 'startsAt' | 'endsAt' | 'occupancyStartsAt' | 'occupancyEndsAt' | 'observationStartsAt' | 'observationEndsAt'>,
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
  async release(manager: EntityManager, id: string, status: Extract<AppointmentStatus, 'cancelled' | 'no_show'>, reason: string | null, at: Date): Promise<void> {
    await manager.query(
      `UPDATE appointments SET status = $2, cancel_reason = $3, cancelled_at = $4, updated_at = now() WHERE id = $1`,
      [id, status, reason, status === 'cancelled' ? at : null],
    );
    await manager.query('UPDATE appointment_segments SET active = false WHERE appointment_id = $1', [id]);
  }
}

export interface BookingParties {
  patient: { id: string; remsEnrolledAt: Date | null } | null;
  location: { id: string; timezone: string; observationPatientsPerNurse: number; occupancyOverrides: Record<string, { occupancyMinutes?: number }> } | null;
  resource: { id: string; locationId: string; kind: ResourceKind; active: boolean } | null;
  provider: { id: string; role: string; active: boolean } | null;
}

/** The patient, clinic, resource and provider a booking names, in one round trip (null where unknown). */
export async function findBookingParties(
  manager: EntityManager,
  ids: { patientId: string; locationId: string; resourceId?: string | null; providerId?: string | null },
): Promise<BookingParties> {
  const [row] = await manager.query(
    `SELECT
       (SELECT json_build_object('id', id, 'remsEnrolledAt', rems_enrolled_at) FROM patients WHERE id = $1) AS patient,
       (SELECT json_build_object('id', id, 'timezone', timezone, 'observationPatientsPerNurse', observation_patients_per_nurse,
                                 'occupancyOverrides', occupancy_overrides) FROM locations WHERE id = $2) AS location,
       (SELECT json_build_object('id', id, 'locationId', location_id, 'kind', kind, 'active', active) FROM resources WHERE id = $3) AS resource,
       (SELECT json_build_object('id', id, 'role', role, 'active', active) FROM staff WHERE id = $4) AS provider`,
    [ids.patientId, ids.locationId, ids.resourceId ?? null, ids.providerId ?? null],
  );
  return {
    patient: row.patient ? { id: row.patient.id, remsEnrolledAt: row.patient.remsEnrolledAt ? new Date(row.patient.remsEnrolledAt) : null } : null,
    location: row.location,
    resource: row.resource,
    provider: row.provider,
  };
}
