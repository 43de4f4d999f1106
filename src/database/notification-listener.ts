import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

/** What a subscriber hears: each notification on its channel, and `reset` whenever some may have been missed. */
export interface NotificationSubscriber {
  message(payload: string): void;
  /** The connection dropped or came back: notifications sent meanwhile are lost, so forget what they would have invalidated. */
  reset(): void;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * One dedicated PostgreSQL connection per instance that LISTENs on the channels its subscribers name and
 * hands each NOTIFY to them: how one instance tells all the others (a deactivated account, an ended
 * session; later the console's event stream). Reconnects with exponential back-off; while it is not
 * listening, `listening` is false and subscribers must not trust anything they cached (they are told
 * through `reset` when it drops and again when it is back).
 *
 * Send with `notify(manager, channel, payload)` inside the transaction that makes the change: PostgreSQL
 * delivers it at commit, to every listening instance including this one, and never for a rollback.
 */
@Injectable()
export class NotificationListener implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationListener');
  private readonly subscribers = new Map<string, Set<NotificationSubscriber>>();
  private client?: Client;
  private connecting?: Promise<void>;
  private stopped = false;
  private backoffMs = 100;
  private retryTimer?: NodeJS.Timeout;
  private connected = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** True while notifications are being received (a cache may be trusted). */
  get listening(): boolean {
    return this.connected;
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  /**
   * Listen on `channel` (a plain identifier); resolves, with the unsubscribe, once notifications on it are
   * being received (or, while disconnected, at once: the channel is listened to on reconnection).
   */
  async subscribe(channel: string, subscriber: NotificationSubscriber): Promise<() => void> {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
    let set = this.subscribers.get(channel);
    if (!set) {
      set = new Set();
      this.subscribers.set(channel, set);
      if (this.connected) await this.client?.query(`LISTEN ${channel}`).catch((error: Error) => this.lost(error));
    }
    set.add(subscriber);
    return () => set.delete(subscriber);
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const options = this.dataSource.options as { url?: string };
    const client = new Client({ connectionString: options.url, application_name: 'clinic-scheduler-listener' });
    client.on('error', (error) => this.lost(error));
    client.on('end', () => this.lost(new Error('connection ended')));
    client.on('notification', (message) => {
      for (const subscriber of this.subscribers.get(message.channel) ?? []) {
        try {
          subscriber.message(message.payload ?? '');
        } catch (error) {
          this.logger.error(`subscriber of ${message.channel} failed: ${(error as Error).message}`);
        }
      }
    });
    try {
      await client.connect();
      for (const channel of this.subscribers.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.scheduleReconnect(error as Error);
      return;
    }
    this.client = client;
    this.connected = true;
    this.backoffMs = 100;
    this.resetAll();
  }

  private lost(error: Error): void {
    if (this.stopped || !this.client) return;
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    void client.end().catch(() => undefined);
    this.resetAll();
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(error: Error): void {
    if (this.stopped) return;
    this.logger.warn(`not listening (${error.message}); retrying in ${this.backoffMs} ms`);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), this.backoffMs);
    this.retryTimer.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }

  private resetAll(): void {
    for (const set of this.subscribers.values()) for (const subscriber of set) subscriber.reset();
  }
}

/** Sends a notification when (and only if) the caller's transaction commits. */
export async function notify(manager: EntityManager, channel: string, payload: string): Promise<void> {
  await manager.query('SELECT pg_notify($1, $2)', [channel, payload]);
}
