import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ReminderDispatcher } from './reminder-dispatcher.service';

/** The session-level advisory lock that elects the instance running the crons. */
export const SCHEDULER_LOCK_KEY = 724_310_101;
export const DISPATCH_INTERVAL_MS = 15_000;

/**
 * Every 15 seconds, on the one instance holding the scheduler lock, sends the reminders that are due
 * (the dispatch itself is safe on any number of instances). The lock is a session-level advisory lock
 * on a connection of its own, outside the pool, kept while the instance runs: when the instance stops
 * or the connection is lost, the lock goes with it and another instance takes it on its next tick.
 */
@Injectable()
export class ReminderScheduler implements OnModuleDestroy {
  private readonly logger = new Logger('ReminderScheduler');
  private lockConnection?: Client;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dispatcher: ReminderDispatcher,
    private readonly config: AppConfig,
  ) {}

  @Interval('reminder-dispatch', DISPATCH_INTERVAL_MS)
  async tick(): Promise<void> {
    if (!this.config.schedulerEnabled || this.stopped || this.running) return;
    this.running = this.runOnce().finally(() => (this.running = undefined));
    await this.running;
  }

  /** Whether this instance holds the scheduler lock. */
  get isLeader(): boolean {
    return this.lockConnection !== undefined;
  }

  private async runOnce(): Promise<void> {
    try {
      if (!(await this.holdLock())) return;
      const report = await this.dispatcher.dispatch();
      if (report.claimed > 0) this.logger.log({ msg: 'reminders dispatched', ...report });
    } catch (error) {
      this.logger.error({ msg: 'reminder dispatch failed', error: (error as Error)?.message });
    }
  }

  /** Takes the lock when it is free, or checks that the connection holding it is still alive. */
  async holdLock(): Promise<boolean> {
    if (this.lockConnection) {
      try {
        await this.lockConnection.query('SELECT 1');
        return true;
      } catch {
        await this.closeLockConnection();
      }
    }
    const url = (this.dataSource.options as { url?: string }).url;
    const connection = new Client({ connectionString: url, application_name: 'clinic-scheduler-lock' });
    // A lost connection is noticed on the next tick; this only keeps the error from crashing the process.
    connection.on('error', () => undefined);
    try {
      await connection.connect();
      const { rows } = await connection.query('SELECT pg_try_advisory_lock($1) AS locked', [SCHEDULER_LOCK_KEY]);
      if (rows[0].locked) {
        this.lockConnection = connection;
        this.logger.log({ msg: 'this instance now runs the reminder schedule', instanceId: this.dispatcher.instanceId });
        return true;
      }
    } catch (error) {
      this.logger.warn({ msg: 'could not try the scheduler lock', error: (error as Error)?.message });
    }
    await connection.end().catch(() => undefined);
    return false;
  }

  private async closeLockConnection(): Promise<void> {
    const connection = this.lockConnection;
    this.lockConnection = undefined;
    // Ending the session releases its advisory locks.
    await connection?.end().catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.running;
    await this.closeLockConnection();
  }
}
