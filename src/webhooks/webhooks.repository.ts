import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { batchLimit } from '../database/batch-limit';
import { returnedRows } from '../database/returned-rows';
import { SqlParams, type StatementPart } from '../database/statement';
import type { WebhookEventType, WebhookPayload } from './domain/events';
import { DeliveryStatus } from './webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

/** An event ready for the outbox: its id is the `webhook-id` of every delivery. */
export interface OutboxEvent {
  id: string;
  type: WebhookEventType;
  occurredAt: Date;
  payload: WebhookPayload;
}

/** A delivery claimed for sending, with what sending needs. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  url: string;
  secret: string;
  payload: WebhookPayload;
  /** Tries so far, this one included. */
  attempts: number;
  createdAt: Date;
}

/** What one try came to. */
export interface AttemptOutcome {
  deliveryId: string;
  attemptedAt: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
}

export interface DeliveryLogRow {
  id: string;
  eventId: string;
  eventType: string;
  occurredAt: Date;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  log: Array<{ attemptedAt: string; statusCode: number | null; error: string | null; durationMs: number }>;
}

/** The subscriptions that want an event: active ones listing its type. */
const WANTING = (type: string) => `webhook_subscriptions s WHERE s.deleted_at IS NULL AND ${type} = ANY(s.events)`;

const SUBSCRIPTION_COLUMNS = `id, url, events, secret, created_by AS "createdBy", created_at AS "createdAt", deleted_at AS "deletedAt"`;

@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // ---- the outbox ------------------------------------------------------------------------------

  /**
   * The event and its deliveries as two parts of one statement: nothing is written when no subscription
   * wants the event. With `source`, the parts write only when that CTE has a row (a booking's `a`, empty
   * when the booking was refused), so they commit or vanish with it. Both parts read the subscriptions in
   * the statement's one snapshot, so the event row exists exactly when deliveries do.
   */
  outboxParts(event: OutboxEvent, source?: string): StatementPart[] {
    const from = source ? `${source}, ` : '';
    return [
      {
        sql: (p: SqlParams) => {
          const type = p.add(event.type, 'varchar');
          return `INSERT INTO webhook_events (id, type, occurred_at, payload)
                  SELECT ${p.add(event.id, 'uuid')}, ${type}, ${p.add(event.occurredAt, 'timestamptz')}, ${p.add(JSON.stringify(event.payload), 'jsonb')}
                    ${source ? `FROM ${source}` : ''}
                   WHERE EXISTS (SELECT 1 FROM ${WANTING(type)})`;
        },
      },
      {
        sql: (p: SqlParams) => {
          const type = p.add(event.type, 'varchar');
          const at = p.add(event.occurredAt, 'timestamptz');
          return `INSERT INTO webhook_deliveries (subscription_id, event_id, status, next_attempt_at, created_at)
                  SELECT s.id, ${p.add(event.id, 'uuid')}, 'pending', ${at}, ${at} FROM ${from}${WANTING(type)}`;
        },
      },
    ];
  }

  /** Writes an event to the outbox on its own (inside the caller's transaction). */
  async insertEvent(manager: EntityManager, event: OutboxEvent): Promise<void> {
    const p = new SqlParams();
    const parts = this.outboxParts(event).map((part, index) => `e${index} AS (${part.sql(p)})`);
    await manager.query(`WITH ${parts.join(', ')} SELECT 1`, p.list);
  }

  // ---- subscriptions ---------------------------------------------------------------------------

  async insertSubscription(
    manager: EntityManager,
    subscription: { url: string; events: WebhookEventType[]; secret: string; createdBy: string | null; createdAt: Date },
  ): Promise<WebhookSubscriptionEntity> {
    const [row] = await manager.query(
      `INSERT INTO webhook_subscriptions (url, events, secret, created_by, created_at) VALUES ($1, $2::varchar[], $3, $4, $5)
       RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [subscription.url, subscription.events, subscription.secret, subscription.createdBy, subscription.createdAt],
    );
    return row;
  }

  findActiveSubscriptions(): Promise<WebhookSubscriptionEntity[]> {
    return this.dataSource.query(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE deleted_at IS NULL ORDER BY created_at, id`);
  }

  async findActiveSubscription(id: string): Promise<WebhookSubscriptionEntity | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1 AND deleted_at IS NULL`, [id]);
    return row;
  }

  /** Marks the subscription deleted and cancels its pending deliveries, in one statement; false when there was none. */
  async deleteSubscription(manager: EntityManager, id: string, now: Date): Promise<{ cancelledDeliveries: number } | undefined> {
    const [row] = await manager.query(
      `WITH gone AS (UPDATE webhook_subscriptions SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL RETURNING id),
            cancelled AS (
              UPDATE webhook_deliveries d SET status = 'cancelled', lease_until = NULL, next_attempt_at = $2
                FROM gone WHERE d.subscription_id = gone.id AND d.status = 'pending' RETURNING d.id)
       SELECT (SELECT count(*)::int FROM gone) AS gone, (SELECT count(*)::int FROM cancelled) AS cancelled`,
      [id, now],
    );
    return row.gone ? { cancelledDeliveries: row.cancelled } : undefined;
  }

  /** A page of a subscription's deliveries, newest first, each with its tries (oldest first). */
  async findDeliveries(subscriptionId: string, page: { limit: number; before?: string }): Promise<DeliveryLogRow[]> {
    return this.dataSource.query(
      `SELECT d.id, d.event_id AS "eventId", e.type AS "eventType", e.occurred_at AS "occurredAt", d.status, d.attempts,
              CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS "nextAttemptAt",
              d.last_attempt_at AS "lastAttemptAt", d.last_status_code AS "lastStatusCode", d.last_error AS "lastError",
              d.delivered_at AS "deliveredAt", d.created_at AS "createdAt",
              coalesce((SELECT json_agg(json_build_object('attemptedAt', t.attempted_at, 'statusCode', t.status_code, 'error', t.error,
                                                          'durationMs', t.duration_ms) ORDER BY t.attempted_at, t.id)
                          FROM webhook_delivery_attempts t WHERE t.delivery_id = d.id), '[]') AS log
         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
        WHERE d.subscription_id = $1
          AND ($3::uuid IS NULL OR (d.created_at, d.id) < (SELECT c.created_at, c.id FROM webhook_deliveries c WHERE c.id = $3))
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT $2`,
      [subscriptionId, page.limit, page.before ?? null],
    );
  }

  async deliveryBelongsTo(deliveryId: string, subscriptionId: string): Promise<boolean> {
    const rows = await this.dataSource.query('SELECT 1 FROM webhook_deliveries WHERE id = $1 AND subscription_id = $2', [deliveryId, subscriptionId]);
    return rows.length > 0;
  }

  // ---- the worker ------------------------------------------------------------------------------

  /**
   * Claims up to `batchSize` due deliveries with a lease (FOR UPDATE SKIP LOCKED: a row another instance
   * holds is skipped, never waited for) and counts the try. A crashed holder's lease lapses and the row is
   * claimed again. The batch size is a literal (`batchLimit`: a bound LIMIT misleads the generic plan).
   */
  async claimDue(batchSize: number, instanceId: string, now: Date, leaseSeconds: number): Promise<ClaimedDelivery[]> {
    const result = await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
          ORDER BY next_attempt_at
          ${batchLimit(batchSize)}
          FOR UPDATE SKIP LOCKED)
       UPDATE webhook_deliveries d
          SET lease_until = $1::timestamptz + make_interval(secs => $3), leased_by = $2, attempts = d.attempts + 1
         FROM due, webhook_subscriptions s, webhook_events e
        WHERE d.id = due.id AND s.id = d.subscription_id AND e.id = d.event_id
       RETURNING d.id, d.subscription_id AS "subscriptionId", d.event_id AS "eventId", s.url, s.secret, e.payload, d.attempts,
                 d.created_at AS "createdAt"`,
      [now, instanceId, leaseSeconds],
    );
    return returnedRows<Record<string, any>>(result).map((row) => ({ ...row, createdAt: new Date(row.createdAt) }) as ClaimedDelivery);
  }

  /**
   * Logs each try and moves its delivery on, in one statement. A delivery no longer held by this instance
   * (its lease lapsed and another took it, or the subscription was deleted meanwhile) keeps its status;
   * the try is logged all the same, since it happened.
   */
  async recordAttempts(outcomes: AttemptOutcome[], instanceId: string): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(
      `WITH o AS (
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::varchar[], $5::int[], $6::varchar[], $7::timestamptz[])
                  AS t(delivery_id, attempted_at, status_code, error, duration_ms, status, next_attempt_at)),
       logged AS (
         INSERT INTO webhook_delivery_attempts (delivery_id, attempted_at, status_code, error, duration_ms)
         SELECT delivery_id, attempted_at, status_code, error, duration_ms FROM o)
       UPDATE webhook_deliveries d
          SET status = o.status, next_attempt_at = coalesce(o.next_attempt_at, d.next_attempt_at), lease_until = NULL, leased_by = NULL,
              last_attempt_at = o.attempted_at, last_status_code = o.status_code, last_error = o.error,
              delivered_at = CASE WHEN o.status = 'delivered' THEN o.attempted_at ELSE d.delivered_at END
         FROM o
        WHERE d.id = o.delivery_id AND d.status = 'pending' AND d.leased_by = $8`,
      [
        outcomes.map((o) => o.deliveryId),
        outcomes.map((o) => o.attemptedAt),
        outcomes.map((o) => o.statusCode),
        outcomes.map((o) => o.error),
        outcomes.map((o) => o.durationMs),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.nextAttemptAt),
        instanceId,
      ],
    );
  }

  /** Events older than `before` whose deliveries have all ended (delivered, failed, cancelled): pruned with their logs. */
  async pruneEndedBefore(before: Date): Promise<number> {
    const result = await this.dataSource.query(
      `DELETE FROM webhook_events e
        WHERE e.occurred_at < $1 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')
       RETURNING e.id`,
      [before],
    );
    return returnedRows(result).length;
  }
}
