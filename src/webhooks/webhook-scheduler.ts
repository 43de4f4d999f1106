import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { LeaderLock } from '../database/leader-lock';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhooksRepository } from './webhooks.repository';

/** The session-level advisory lock that elects the instance delivering webhooks (the reminders have their own). */
export const WEBHOOK_LOCK_KEY = 724_310_102;
export const WEBHOOK_DISPATCH_INTERVAL_MS = 5_000;
/** Events whose deliveries have all ended are kept this long (the delivery log), then pruned. */
export const WEBHOOK_LOG_RETENTION_DAYS = 30;

/**
 * Every 5 seconds, on the one instance holding the webhook lock, delivers what is due (the delivery itself
 * is safe on any number of instances); once an hour, prunes the log of events older than 30 days.
 */
@Injectable()
export class WebhookScheduler implements OnModuleDestroy {
  private readonly logger = new Logger('WebhookScheduler');
  private readonly lock: LeaderLock;
  private running?: Promise<void>;
  private stopped = false;
  private lastPrune = 0;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly dispatcher: WebhookDispatcher,
    private readonly repository: WebhooksRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.lock = new LeaderLock((dataSource.options as { url?: string }).url, WEBHOOK_LOCK_KEY, this.logger, 'the webhook deliveries');
  }

  @Interval('webhook-dispatch', WEBHOOK_DISPATCH_INTERVAL_MS)
  async tick(): Promise<void> {
    if (!this.config.schedulerEnabled || this.stopped || this.running) return;
    this.running = this.runOnce().finally(() => (this.running = undefined));
    await this.running;
  }

  private async runOnce(): Promise<void> {
    try {
      if (!(await this.lock.hold())) return;
      const report = await this.dispatcher.dispatch();
      if (report.claimed > 0) this.logger.log({ msg: 'webhooks dispatched', ...report });
      if (Date.now() - this.lastPrune > 3_600_000) {
        this.lastPrune = Date.now();
        const pruned = await this.repository.pruneEndedBefore(new Date(this.clock.now().getTime() - WEBHOOK_LOG_RETENTION_DAYS * 86_400_000));
        if (pruned > 0) this.logger.log({ msg: 'webhook log pruned', events: pruned });
      }
    } catch (error) {
      this.logger.error({ msg: 'webhook dispatch failed', error: (error as Error)?.message });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.running;
    await this.lock.release();
  }
}
