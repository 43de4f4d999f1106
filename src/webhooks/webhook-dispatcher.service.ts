import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Webhook } from 'standardwebhooks';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { afterFailedAttempt } from './domain/retry-schedule';
import { postWebhook } from './webhook-sender';
import { AttemptOutcome, ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

export const DELIVERY_BATCH_SIZE = 100;
/** Far longer than a batch can take: 10 s per try, 8 at a time. */
export const DELIVERY_LEASE_SECONDS = 300;
const SEND_CONCURRENCY = 8;

export interface DeliveryReport {
  claimed: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * Sends the due webhook deliveries, signed as the Standard Webhooks specification says. Safe on any number
 * of instances at once: due rows are claimed with a lease (FOR UPDATE SKIP LOCKED), so a delivery is sent
 * by one instance at a time. Delivery is at least once: a crash between the subscriber's 2xx and the
 * record of it sends that event again, with the same `webhook-id`, which receivers use to drop repeats.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger('WebhookDispatcher');
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async dispatch(options: { batchSize?: number; maxBatches?: number } = {}): Promise<DeliveryReport> {
    const batchSize = options.batchSize ?? DELIVERY_BATCH_SIZE;
    const report: DeliveryReport = { claimed: 0, delivered: 0, retrying: 0, failed: 0 };
    for (let batch = 0; batch < (options.maxBatches ?? 20); batch++) {
      const claimed = await this.repository.claimDue(batchSize, this.instanceId, this.clock.now(), DELIVERY_LEASE_SECONDS);
      if (claimed.length === 0) break;
      report.claimed += claimed.length;
      const outcomes: AttemptOutcome[] = [];
      await forEachLimited(claimed, SEND_CONCURRENCY, async (delivery) => {
        outcomes.push(await this.send(delivery));
      });
      await this.repository.recordAttempts(outcomes, this.instanceId);
      for (const outcome of outcomes) report[outcome.status === 'delivered' ? 'delivered' : outcome.status === 'failed' ? 'failed' : 'retrying']++;
      if (claimed.length < batchSize) break;
    }
    return report;
  }

  private async send(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    const body = JSON.stringify(delivery.payload);
    // The signature's timestamp is the real time of sending, whatever the service's clock says: receivers
    // compare it with their own clock to refuse replays (Standard Webhooks: 5 minutes of tolerance).
    const sentAt = new Date();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'clinic-scheduler-webhooks/1',
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(delivery.secret).sign(delivery.eventId, sentAt, body),
    };
    const result = await postWebhook(delivery.url, headers, body, this.config.webhookAllowPrivate);
    const attemptedAt = this.clock.now();
    if (result.error === null) {
      return { deliveryId: delivery.id, attemptedAt, ...result, status: 'delivered', nextAttemptAt: null };
    }
    const next = afterFailedAttempt(delivery.attempts, delivery.createdAt, attemptedAt);
    this.logger.warn({ msg: 'webhook not delivered', deliveryId: delivery.id, attempt: delivery.attempts, outcome: next.status, error: result.error });
    return {
      deliveryId: delivery.id,
      attemptedAt,
      ...result,
      status: next.status,
      nextAttemptAt: next.status === 'pending' ? next.nextAttemptAt : null,
    };
  }
}
