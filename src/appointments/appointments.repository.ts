import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
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
