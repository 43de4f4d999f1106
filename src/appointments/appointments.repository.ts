import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../database/returned-rows';
import { RELEASED_STATUS_SQL } from './appointment-sql';
import { AppointmentSegmentEntity } from './appointment-segment.entity';
import { AppointmentEntity } from './appointment.entity';
import type { NewAppointment } from './booking-writer.repository';
import type { Interval, PlannedSegment } from './domain/appointment-types';
import type { AppointmentStatus } from './domain/vocabulary';

/** Appointments and their segments once booked: reads, locks, moves and releases. */
@Injectable()
export class AppointmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private run(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
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

  /** Who holds the resources or the patient at that time, or the patient's daily limit that day (for a 409's `conflicts`). */
  async findConflicting(
    manager: EntityManager,
    patientId: string,
    span: Interval,
    resourceIds: string[],
    providerId: string | null,
    day: { treatmentDay: string | null; dayGroup: string | null } = { treatmentDay: null, dayGroup: null },
  ): Promise<Array<{ appointmentId: string; resourceId: string | null; reason: string }>> {
    return manager.query(
      `SELECT a.id AS "appointmentId", NULL::uuid AS "resourceId", 'the patient is booked then' AS reason
         FROM appointments a
        WHERE a.patient_id = $1 AND a.status NOT IN ${RELEASED_STATUS_SQL}
          AND tstzrange(a.occupancy_starts_at, a.occupancy_ends_at, '[)') && tstzrange($2, $3, '[)')
       UNION ALL
       SELECT s.appointment_id, s.resource_id, 'the resource is held then'
         FROM appointment_segments s
        WHERE s.active AND s.resource_id = ANY($4::uuid[])
          AND tstzrange(s.starts_at, s.ends_at, '[)') && tstzrange($2, $3, '[)')
       UNION ALL
       SELECT a.id, NULL, 'the provider is booked then'
         FROM appointments a
        WHERE $5::uuid IS NOT NULL AND a.provider_id = $5 AND a.status NOT IN ${RELEASED_STATUS_SQL}
          AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange($2, $3, '[)')
       UNION ALL
       SELECT a.id, NULL, 'a treatment of the patient that day'
         FROM appointments a
        WHERE $7::varchar IS NOT NULL AND a.patient_id = $1 AND a.day_group = $7 AND a.treatment_day = $6::date
          AND a.status NOT IN ${RELEASED_STATUS_SQL}`,
      [patientId, span.start, span.end, resourceIds, providerId, day.treatmentDay, day.dayGroup],
    );
  }

  findById(id: string, manager?: EntityManager): Promise<AppointmentEntity | null> {
    return this.run(manager).getRepository(AppointmentEntity).findOne({ where: { id } });
  }

  /** Locks the row for a status change or a reschedule. */
  findByIdForUpdate(manager: EntityManager, id: string): Promise<AppointmentEntity | null> {
    return manager.getRepository(AppointmentEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The names a clinic's day list shows beside each appointment, in one query. */
  async findPatientNames(patientIds: string[]): Promise<Map<string, { id: string; firstName: string; lastName: string }>> {
    if (patientIds.length === 0) return new Map();
    const rows: Array<{ id: string; first_name: string; last_name: string }> = await this.dataSource.query(
      'SELECT id, first_name, last_name FROM patients WHERE id = ANY($1::uuid[])',
      [patientIds],
    );
    return new Map(rows.map((row) => [row.id, { id: row.id, firstName: row.first_name, lastName: row.last_name }]));
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

  /** A clinic's appointments on a day that are still to happen or under way (not cancelled, no-show or discharged), by start. */
  findActiveOnDay(manager: EntityManager, locationId: string, day: Interval): Promise<AppointmentEntity[]> {
    return manager
      .getRepository(AppointmentEntity)
      .createQueryBuilder('a')
      .where('a.locationId = :locationId', { locationId })
      .andWhere('a.startsAt >= :start AND a.startsAt < :end', { start: day.start, end: day.end })
      .andWhere(`a.status NOT IN ('cancelled', 'no_show', 'discharged')`)
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
      | 'locationId'
      | 'resourceId'
      | 'providerId'
      | 'startsAt'
      | 'endsAt'
      | 'occupancyStartsAt'
      | 'occupancyEndsAt'
      | 'observationStartsAt'
      | 'observationEndsAt'
      | 'treatmentDay'
      | 'dayGroup'
    >,
  ): Promise<void> {
    await manager.query(
      `UPDATE appointments SET location_id = $2, resource_id = $3, provider_id = $4, starts_at = $5, ends_at = $6,
              occupancy_starts_at = $7, occupancy_ends_at = $8, observation_starts_at = $9, observation_ends_at = $10,
              treatment_day = $11, day_group = $12, confirmed_at = NULL, reschedule_requested_at = NULL, updated_at = now()
        WHERE id = $1`,
      [
        id,
        times.locationId,
        times.resourceId,
        times.providerId,
        times.startsAt,
        times.endsAt,
        times.occupancyStartsAt,
        times.occupancyEndsAt,
        times.observationStartsAt,
        times.observationEndsAt,
        times.treatmentDay,
        times.dayGroup,
      ],
    );
  }

  /**
   * Appointments about to be moved together step out of the calendar inside the caller's transaction: their
   * segments go, and their times are shifted a thousand years back (which keeps them apart from one another
   * and from everything real) until each is placed anew.
   */
  async stepOutOfCalendar(manager: EntityManager, ids: string[]): Promise<void> {
    await manager.query('DELETE FROM appointment_segments WHERE appointment_id = ANY($1::uuid[])', [ids]);
    await manager.query(
      `UPDATE appointments
          SET starts_at = starts_at - interval '1000 years', ends_at = ends_at - interval '1000 years',
              occupancy_starts_at = occupancy_starts_at - interval '1000 years', occupancy_ends_at = occupancy_ends_at - interval '1000 years',
              observation_starts_at = observation_starts_at - interval '1000 years', observation_ends_at = observation_ends_at - interval '1000 years',
              treatment_day = NULL, day_group = NULL
        WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** The active segments of other appointments that hold a resource within a span, with their appointments' status and patient. */
  findSegmentsOnResource(
    manager: EntityManager,
    resourceId: string,
    span: Interval,
    excludeAppointmentId: string,
  ): Promise<Array<{ segmentId: string; appointmentId: string; patientId: string; status: AppointmentStatus; startsAt: Date; endsAt: Date; first: boolean }>> {
    return manager.query(
      `SELECT s.id AS "segmentId", s.appointment_id AS "appointmentId", a.patient_id AS "patientId", a.status, s.starts_at AS "startsAt",
              s.ends_at AS "endsAt", a.resource_id = s.resource_id AS first
         FROM appointment_segments s JOIN appointments a ON a.id = s.appointment_id
        WHERE s.resource_id = $1 AND s.active AND s.appointment_id <> $4
          AND tstzrange(s.starts_at, s.ends_at, '[)') && tstzrange($2, $3, '[)')
        ORDER BY s.starts_at`,
      [resourceId, span.start, span.end, excludeAppointmentId],
    );
  }

  /** Puts one segment on another resource (same times); false when that resource turned out to be taken. */
  async moveSegment(manager: EntityManager, segmentId: string, resourceId: string, mainResource: boolean): Promise<boolean> {
    const moved = await manager.query(
      `WITH moved AS (
         UPDATE appointment_segments s SET resource_id = $2
          WHERE s.id = $1 AND NOT EXISTS (
            SELECT 1 FROM appointment_segments o
             WHERE o.resource_id = $2 AND o.active AND o.id <> s.id AND tstzrange(o.starts_at, o.ends_at, '[)') && tstzrange(s.starts_at, s.ends_at, '[)'))
         RETURNING s.appointment_id)
       UPDATE appointments a SET resource_id = CASE WHEN $3 THEN $2 ELSE a.resource_id END, updated_at = now()
         FROM moved WHERE a.id = moved.appointment_id
       RETURNING a.id`,
      [segmentId, resourceId, mainResource],
    );
    return returnedRows(moved).length > 0;
  }

  /** A resource and the other active resources of its kind at its clinic (by name): where a held booking may move. */
  async findResourceAndSiblings(
    manager: EntityManager,
    resourceId: string,
  ): Promise<{ resource: { id: string; name: string; kind: string; locationId: string }; siblings: Array<{ id: string; name: string }> } | undefined> {
    const rows: Array<{ id: string; name: string; kind: string; location_id: string; self: boolean }> = await manager.query(
      `SELECT o.id, o.name, o.kind, o.location_id, o.id = r.id AS self
         FROM resources r JOIN resources o ON o.location_id = r.location_id AND o.kind = r.kind AND (o.active OR o.id = r.id)
        WHERE r.id = $1
        ORDER BY o.name, o.id`,
      [resourceId],
    );
    const self = rows.find((r) => r.self);
    if (!self) return undefined;
    return {
      resource: { id: self.id, name: self.name, kind: self.kind, locationId: self.location_id },
      siblings: rows.filter((r) => !r.self).map((r) => ({ id: r.id, name: r.name })),
    };
  }

  /** The appointment's last segment (where the patient is at the end: the chair, or the recovery bay after ECT). */
  async findLastSegment(manager: EntityManager, appointmentId: string): Promise<AppointmentSegmentEntity | undefined> {
    const [row] = await this.findSegments([appointmentId], manager).then((segments) => segments.filter((s) => s.active).slice(-1));
    return row;
  }

  /** The start of the patient's next active appointment after `after`, if one starts before `before`. */
  async findPatientNextStart(manager: EntityManager, patientId: string, excludeId: string, after: Date, before: Date): Promise<Date | undefined> {
    const [row] = await manager.query(
      `SELECT min(occupancy_starts_at) AS next FROM appointments
        WHERE patient_id = $1 AND id <> $2 AND status NOT IN ${RELEASED_STATUS_SQL} AND occupancy_starts_at >= $3 AND occupancy_starts_at < $4`,
      [patientId, excludeId, after, before],
    );
    return row?.next ?? undefined;
  }

  /** The appointment holds the patient and its last segment longer: occupancy (and observation) to `until`, that segment to `segmentUntil`. */
  async extendOccupancy(manager: EntityManager, id: string, segmentId: string, until: Date, segmentUntil: Date): Promise<void> {
    await manager.query(
      `UPDATE appointments SET occupancy_ends_at = greatest(occupancy_ends_at, $2),
              observation_ends_at = CASE WHEN observation_ends_at IS NULL THEN NULL ELSE greatest(observation_ends_at, $2) END,
              updated_at = now()
        WHERE id = $1`,
      [id, until],
    );
    await manager.query('UPDATE appointment_segments SET ends_at = greatest(ends_at, $2) WHERE id = $1', [segmentId, segmentUntil]);
  }

  /** The patient confirmed by text: true when it was not confirmed before. */
  async markConfirmed(manager: EntityManager, id: string, at: Date): Promise<boolean> {
    const result = await manager.query(`UPDATE appointments SET confirmed_at = $2, updated_at = now() WHERE id = $1 AND confirmed_at IS NULL RETURNING id`, [
      id,
      at,
    ]);
    return returnedRows(result).length > 0;
  }

  /** The patient asked by text to move it: true when they had not asked before. */
  async markRescheduleRequested(manager: EntityManager, id: string, at: Date): Promise<boolean> {
    const result = await manager.query(
      `UPDATE appointments SET reschedule_requested_at = $2, updated_at = now() WHERE id = $1 AND reschedule_requested_at IS NULL RETURNING id`,
      [id, at],
    );
    return returnedRows(result).length > 0;
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

  /**
   * What active appointments hold in a span, one row per segment (a visit without a resource: one row of its
   * own times), for calendars: ids and times only. Filtered by clinic, resource or provider.
   */
  findHeldTimes(filter: HeldTimesFilter, span: Interval): Promise<HeldTime[]> {
    return this.dataSource.query(
      `SELECT a.id AS "appointmentId", a.location_id AS "locationId", s.resource_id AS "resourceId", a.provider_id AS "providerId",
              coalesce(s.starts_at, a.starts_at) AS "startsAt", coalesce(s.ends_at, a.ends_at) AS "endsAt"
         FROM appointments a LEFT JOIN appointment_segments s ON s.appointment_id = a.id AND s.active
        WHERE a.status NOT IN ${RELEASED_STATUS_SQL}
          AND a.occupancy_starts_at < $2 AND a.occupancy_ends_at > $1
          AND ($3::uuid IS NULL OR a.location_id = $3) AND ($4::uuid IS NULL OR s.resource_id = $4) AND ($5::uuid IS NULL OR a.provider_id = $5)
        ORDER BY 5, 1`,
      [span.start, span.end, filter.locationId ?? null, filter.resourceId ?? null, filter.providerId ?? null],
    );
  }
}

export interface HeldTimesFilter {
  locationId?: string;
  resourceId?: string;
  providerId?: string;
}

/** A span of time an appointment holds (a resource, or the provider of a visit). */
export interface HeldTime {
  appointmentId: string;
  locationId: string;
  resourceId: string | null;
  providerId: string | null;
  startsAt: Date;
  endsAt: Date;
}
