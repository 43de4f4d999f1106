import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../database/returned-rows';
import type { Interval, SegmentKind } from './domain/appointment-types';

export interface HeldSegment extends Interval {
  resourceId: string;
  kind: SegmentKind;
}

export interface NewHold {
  locationId: string;
  patientId: string | null;
  reason: string;
  expiresAt: Date;
  createdBy: string | null;
  segments: HeldSegment[];
}

export interface HoldRow {
  id: string;
  locationId: string;
  patientId: string | null;
  reason: string;
  expiresAt: Date;
  segments: HeldSegment[];
}

const HOLD_JSON = `json_build_object('id', h.id, 'locationId', h.location_id, 'patientId', h.patient_id, 'reason', h.reason, 'expiresAt', h.expires_at,
  'segments', (SELECT coalesce(json_agg(json_build_object('resourceId', s.resource_id, 'kind', s.kind, 'start', s.starts_at, 'end', s.ends_at) ORDER BY s.starts_at), '[]')
                 FROM appointment_segments s WHERE s.hold_id = h.id))`;

function toHold(json: any): HoldRow {
  return {
    ...json,
    expiresAt: new Date(json.expiresAt),
    segments: (json.segments as any[]).map((s) => ({ resourceId: s.resourceId, kind: s.kind, start: new Date(s.start), end: new Date(s.end) })),
  };
}

/** Holds and the segments they occupy (rows of appointment_segments with a hold_id). */
@Injectable()
export class HoldsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts the hold and its segments in one statement, against the same exclusion constraint as bookings
   * (ON CONFLICT DO NOTHING): the id, or undefined when any resource was taken (nothing is left behind:
   * the statement fails and the caller's savepoint rolls it back).
   */
  async insert(manager: EntityManager, hold: NewHold): Promise<string | undefined> {
    const [row] = await manager.query(
      `WITH h AS (
         INSERT INTO resource_holds (location_id, patient_id, reason, expires_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id, expires_at
       ), s AS (
         INSERT INTO appointment_segments (hold_id, expires_at, resource_id, kind, starts_at, ends_at)
         SELECT h.id, h.expires_at, t.r, t.k, t.s, t.e FROM h, unnest($6::uuid[], $7::varchar[], $8::timestamptz[], $9::timestamptz[]) AS t(r, k, s, e)
         ON CONFLICT DO NOTHING
         RETURNING id
       )
       SELECT (SELECT id FROM h) AS id, (SELECT count(*)::int FROM s) AS placed`,
      [
        hold.locationId,
        hold.patientId,
        hold.reason,
        hold.expiresAt,
        hold.createdBy,
        hold.segments.map((s) => s.resourceId),
        hold.segments.map((s) => s.kind),
        hold.segments.map((s) => s.start),
        hold.segments.map((s) => s.end),
      ],
    );
    return row.placed === hold.segments.length ? row.id : undefined;
  }

  /** Deletes holds past their expiry that occupy any of these resources in the span (they hold nothing any more). */
  async deleteExpiredInTheWay(manager: EntityManager, resourceIds: string[], span: Interval, now: Date): Promise<string[]> {
    const result = await manager.query(
      `DELETE FROM resource_holds h
        WHERE h.expires_at <= $4 AND h.id IN (
          SELECT s.hold_id FROM appointment_segments s
           WHERE s.hold_id IS NOT NULL AND s.resource_id = ANY($1::uuid[]) AND tstzrange(s.starts_at, s.ends_at, '[)') && tstzrange($2, $3, '[)'))
       RETURNING h.id`,
      [resourceIds, span.start, span.end, now],
    );
    return returnedRows<{ id: string }>(result).map((r) => r.id);
  }

  /**
   * Deletes every hold, expired or not, that occupies this resource in the span: what it kept is no longer
   * free (the patient before stays longer than booked). Their ids.
   */
  async deleteInTheWay(manager: EntityManager, resourceId: string, span: Interval): Promise<string[]> {
    const result = await manager.query(
      `DELETE FROM resource_holds h
        WHERE h.id IN (
          SELECT s.hold_id FROM appointment_segments s
           WHERE s.hold_id IS NOT NULL AND s.resource_id = $1 AND tstzrange(s.starts_at, s.ends_at, '[)') && tstzrange($2, $3, '[)'))
       RETURNING h.id`,
      [resourceId, span.start, span.end],
    );
    return returnedRows<{ id: string }>(result).map((r) => r.id);
  }

  /** Deletes these holds if they are past their expiry. */
  async deleteExpired(manager: EntityManager, holdIds: string[], now: Date): Promise<string[]> {
    if (holdIds.length === 0) return [];
    const result = await manager.query(`DELETE FROM resource_holds WHERE id = ANY($1::uuid[]) AND expires_at <= $2 RETURNING id`, [holdIds, now]);
    return returnedRows<{ id: string }>(result).map((r) => r.id);
  }

  /** Every hold past its expiry, oldest first (start-up and periodic clean-up). */
  async deleteAllExpired(manager: EntityManager, now: Date, limit: number): Promise<string[]> {
    const result = await manager.query(
      `DELETE FROM resource_holds WHERE id IN (SELECT id FROM resource_holds WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id`,
      [now, limit],
    );
    return returnedRows<{ id: string }>(result).map((r) => r.id);
  }

  async delete(manager: EntityManager, holdId: string): Promise<boolean> {
    const result = await manager.query(`DELETE FROM resource_holds WHERE id = $1 RETURNING id`, [holdId]);
    return returnedRows(result).length > 0;
  }

  /** The hold with its segments, locked for a release or a conversion. */
  async lockById(manager: EntityManager, holdId: string): Promise<HoldRow | undefined> {
    const [row] = await manager.query(`SELECT ${HOLD_JSON} AS hold FROM resource_holds h WHERE h.id = $1 FOR UPDATE OF h`, [holdId]);
    return row ? toHold(row.hold) : undefined;
  }

  async findById(holdId: string, manager?: EntityManager): Promise<HoldRow | undefined> {
    const [row] = await (manager ?? this.dataSource.manager).query(`SELECT ${HOLD_JSON} AS hold FROM resource_holds h WHERE h.id = $1`, [holdId]);
    return row ? toHold(row.hold) : undefined;
  }
}
