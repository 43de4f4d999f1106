import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CLINIC_ZONE } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { DEFAULT_REMINDER_POLICY, isAllowedSendingTime } from './domain/reminder-planner';
import { afterFailure, MAX_SEND_ATTEMPTS } from './domain/retry-policy';
import { ClaimedReminder, RemindersRepository, ReminderOutcome } from './reminders.repository';
import { SmsMessagesRepository } from './sms-messages.repository';
import { describeSendError, SMS_PROVIDER, SmsProvider } from './sms/sms-provider';

export const DISPATCH_BATCH_SIZE = 200;
/** Far longer than a batch can take to send (10 s per provider call, 16 at a time). */
export const DISPATCH_LEASE_SECONDS = 300;
const SEND_CONCURRENCY = 16;

export interface DispatchReport {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
  cancelled: number;
}

export interface DispatchOptions {
  batchSize?: number;
  /** Stop after this many batches even when more are due (the next run continues). */
  maxBatches?: number;
}

const outboxKey = (reminderId: string) => `reminder:${reminderId}`;

/** Runs `work` over `items`, at most `limit` at a time. */
async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}

/**
 * Sends the reminders that are due. Safe to run on any number of instances at once and after a crash:
 * rows are claimed with a lease (FOR UPDATE SKIP LOCKED), and each reminder has one outbox row under a
 * unique key, written before the provider is called, so no reminder is handed to the provider twice.
 */
@Injectable()
export class ReminderDispatcher {
  private readonly logger = new Logger('ReminderDispatcher');
  /** Who holds a claim, for the lease and for operators. */
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly reminders: RemindersRepository,
    private readonly messages: SmsMessagesRepository,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
    private readonly clock: Clock,
  ) {}

  async dispatch(options: DispatchOptions = {}): Promise<DispatchReport> {
    const batchSize = options.batchSize ?? DISPATCH_BATCH_SIZE;
    const maxBatches = options.maxBatches ?? 50;
    const report: DispatchReport = { claimed: 0, sent: 0, retrying: 0, failed: 0, cancelled: 0 };
    for (let batch = 0; batch < maxBatches; batch++) {
      const claimed = await this.dispatchBatch(batchSize, report);
      if (claimed < batchSize) break;
    }
    return report;
  }

  private async dispatchBatch(batchSize: number, report: DispatchReport): Promise<number> {
    const now = this.clock.now();
    // Texts are planned outside quiet hours; after an outage, overdue ones wait for the morning.
    // (Every clinic, and so every patient, is in the clinics' zone.)
    if (!isAllowedSendingTime(now, CLINIC_ZONE, DEFAULT_REMINDER_POLICY)) return 0;
    const claimed = await this.reminders.claimDueReminders(batchSize, this.instanceId, now, DISPATCH_LEASE_SECONDS);
    if (claimed.length === 0) return 0;
    report.claimed += claimed.length;

    const outcomes: ReminderOutcome[] = [];
    const sent: Array<{ id: string; providerMessageId: string }> = [];

    const consenting: ClaimedReminder[] = [];
    for (const reminder of claimed) {
      if (!reminder.smsOptIn) {
        // Consent withdrawn since the text was planned.
        outcomes.push({ id: reminder.id, status: 'cancelled', error: 'the patient has not opted in to texts', nextAttemptAt: null, providerFailed: false });
      } else if (new Date(reminder.startsAt) <= now) {
        outcomes.push({ id: reminder.id, status: 'failed', error: 'not sent before the appointment started', nextAttemptAt: null, providerFailed: false });
      } else {
        consenting.push(reminder);
      }
    }
    const acquired = await this.messages.acquire(
      consenting.map((r) => ({ idempotencyKey: outboxKey(r.id), purpose: 'reminder' as const, reminderId: r.id, to: r.phone, body: r.body })),
      this.provider.name,
    );

    // Tried before and not known to have failed: sent already (a crash came before the reminder was
    // marked), or cut off mid-send, when the provider may have it: never handed over a second time.
    const triedBefore = consenting.filter((r) => !acquired.has(outboxKey(r.id)));
    for (const previous of await this.messages.findByKeys(triedBefore.map((r) => outboxKey(r.id)))) {
      const id = previous.key.slice('reminder:'.length);
      if (previous.status === 'sent' && previous.providerMessageId) sent.push({ id, providerMessageId: previous.providerMessageId });
      else
        outcomes.push({
          id,
          status: 'failed',
          error: 'interrupted while being handed to the provider; not sent again to avoid a duplicate',
          nextAttemptAt: null,
          providerFailed: false,
        });
    }

    const toSend = consenting.filter((r) => acquired.has(outboxKey(r.id)));
    await forEachLimited(toSend, SEND_CONCURRENCY, async (reminder: ClaimedReminder) => {
      try {
        const { providerMessageId } = await this.provider.send({ to: reminder.phone, body: reminder.body, idempotencyKey: outboxKey(reminder.id) });
        sent.push({ id: reminder.id, providerMessageId });
      } catch (error) {
        const { message, permanent } = describeSendError(error);
        const next = permanent ? ({ status: 'failed' } as const) : afterFailure(reminder.attempts, this.clock.now(), MAX_SEND_ATTEMPTS);
        outcomes.push({
          id: reminder.id,
          status: next.status,
          error: message,
          nextAttemptAt: next.status === 'pending' ? next.nextAttemptAt : null,
          providerFailed: true,
        });
        this.logger.warn({ msg: 'reminder not sent', reminderId: reminder.id, attempt: reminder.attempts, outcome: next.status, error: message });
      }
    });

    await Promise.all([this.reminders.recordSent(sent, this.clock.now()), this.reminders.recordOutcomes(outcomes)]);
    report.sent += sent.length;
    for (const outcome of outcomes) {
      if (outcome.status === 'pending') report.retrying++;
      else if (outcome.status === 'failed') report.failed++;
      else report.cancelled++;
    }
    return claimed.length;
  }
}
