import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { summarize, LatencySummary } from './stats';

export interface LoadResult {
  perSecond: number;
  latency: LatencySummary;
  statuses: Record<string, number>;
  /** The first answer of each status other than 2xx, for the record. */
  samples?: Record<string, string>;
}

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: () => unknown;
}

/**
 * Drives the HTTP API with autocannon: `connections` concurrent clients for `durationSeconds` (or `amount`
 * requests in all), and records every response time and status.
 */
export async function load(
  url: string,
  token: string,
  spec: RequestSpec,
  options: { connections: number; durationSeconds?: number; amount?: number },
): Promise<LoadResult> {
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  const refusals: Record<string, string> = {};
  const options_: autocannon.Options = {
    url,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds ?? 10 }),
    timeout: 10,
    requests: [
      {
        method: spec.method,
        path: spec.path,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        setupRequest: (request: autocannon.Request) => (spec.body ? { ...request, body: JSON.stringify(spec.body()) } : request),
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options_, (error, finished) => (error ? reject(error) : resolve(finished)));
    instance.on('response', (client, statusCode, _bytes, responseTime) => {
      samples.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 300 && !(statusCode in refusals)) {
        refusals[statusCode] = '';
        client.once('body', (body: Buffer) => (refusals[statusCode] = body.toString().slice(0, 600)));
      }
    });
  });
  const seconds = (result.duration ?? options.durationSeconds ?? 1) || 1;
  return { perSecond: Math.round(samples.length / seconds), latency: summarize(samples), statuses, samples: refusals };
}

export interface BookingSlot {
  patientId: string;
  locationId: string;
  startsAt: string;
}

/**
 * The floor for the API's booking: the same rows (appointment, segment, audit entry, reminder texts) and the
 * same constraints, written directly with `pg` by `connections` concurrent clients for `durationSeconds`.
 */
export async function bookingFloor(
  databaseUrl: string,
  slots: () => BookingSlot & { resourceId: string; endsAt: string; actorId: string },
  options: { connections: number; durationSeconds: number },
): Promise<LoadResult> {
  const pool = new Pool({ connectionString: databaseUrl, max: options.connections });
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  const deadline = Date.now() + options.durationSeconds * 1000;
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (Date.now() < deadline) {
        const slot = slots();
        const started = performance.now();
        await client.query('BEGIN');
        const inserted = await client.query(
          `INSERT INTO appointments (patient_id, type, mode, location_id, resource_id, starts_at, ends_at, occupancy_starts_at, occupancy_ends_at, created_by)
           VALUES ($1, 'tms', 'inPerson', $2, $3, $4, $5, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
          [slot.patientId, slot.locationId, slot.resourceId, slot.startsAt, slot.endsAt, slot.actorId],
        );
        let status = 409;
        if (inserted.rowCount) {
          const id = inserted.rows[0].id;
          const segment = await client.query(
            `INSERT INTO appointment_segments (appointment_id, resource_id, kind, starts_at, ends_at) VALUES ($1, $2, 'treatment', $3, $4) ON CONFLICT DO NOTHING RETURNING id`,
            [id, slot.resourceId, slot.startsAt, slot.endsAt],
          );
          if (segment.rowCount) {
            await client.query(
              `INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, request_id, details) VALUES ($1, 'front_desk', 'appointment.create', 'appointment', $2, $3, $4)`,
              [slot.actorId, id, randomUUID(), JSON.stringify({ patientId: slot.patientId, type: 'tms', locationId: slot.locationId })],
            );
            await insertReminderRows(client, id, slot);
            status = 201;
          }
        }
        await client.query(status === 201 ? 'COMMIT' : 'ROLLBACK');
        samples.push(performance.now() - started);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    } finally {
      client.release();
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (Date.now() - started) / 1000;
  await pool.end();
  return { perSecond: Math.round(samples.length / seconds), latency: summarize(samples), statuses };
}

/** The reminder rows a booking writes (three texts), when the reminders table exists. */
let reminderInsert: ((client: import('pg').PoolClient, id: string, slot: BookingSlot) => Promise<void>) | undefined;

/** The floor writes the three texts a TMS booking plans (confirmation, 48 h, 2 h), worded as the service words them. */
export function useBenchReminderTexts(): void {
  reminderInsert = async (client, id, slot) => {
    await client.query(
      `INSERT INTO reminders (appointment_id, patient_id, kind, send_at, status, body, daily_key)
       SELECT $1, $2, k, $3::timestamptz - o, 'pending', 'Reminder: Aurora Clinic, Mon Jan 4 at 9:00 AM. 14200 E Alameda Ave. Questions? (303) 555-0140. Reply STOP to opt out.', NULL
         FROM unnest(ARRAY['confirmation', '48h', '2h']::varchar[], ARRAY[interval '1000 days', interval '48 hours', interval '2 hours']) AS t(k, o)`,
      [id, slot.patientId, slot.startsAt],
    );
  };
}

async function insertReminderRows(client: import('pg').PoolClient, id: string, slot: BookingSlot): Promise<void> {
  if (reminderInsert) await reminderInsert(client, id, slot);
}
