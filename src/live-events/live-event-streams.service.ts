import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AuthenticatedUser } from '../common/actor';
import { TryLater } from '../common/problems';
import { AppConfig } from '../config/app-config';
import { NotificationListener } from '../database/notification-listener';
import { ACCOUNT_CHANNEL, sessionEnded, staffChanged } from '../staff/domain/account-changes';
import { CLINIC_EVENTS_CHANNEL, parseLiveEvent, SSE_HEARTBEAT, sseFrame } from './domain/live-event';

interface LiveStream {
  id: string;
  locationId: string;
  staffId: string;
  sessionId: string;
  response: ServerResponse;
  timers: NodeJS.Timeout[];
}

/** How long a client waits before reconnecting when a stream ends (the SSE `retry` field). */
const RETRY_MS = 3000;

/**
 * The live event streams this instance serves. It hears every instance's changes through the one LISTEN
 * connection (the database's triggers notify `clinic_events` at commit) and writes each to the streams
 * of that clinic. A stream ends when its client goes, when its session ends or its staff member changes
 * (anywhere: `account_changes`), after one access-token lifetime (the client reconnects with its current
 * token, so a stream never outlives the authorization it was opened with), and at shutdown.
 */
@Injectable()
export class LiveEventStreams implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveEventStreams');
  private readonly byLocation = new Map<string, Set<LiveStream>>();
  private count = 0;

  constructor(
    private readonly listener: NotificationListener,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.listener.subscribe(CLINIC_EVENTS_CHANNEL, {
      message: (payload) => this.deliver(payload),
      // Notifications may have been missed: each console refetches everything it shows.
      reset: () => this.broadcast(sseFrame('reset', {})),
    });
    await this.listener.subscribe(ACCOUNT_CHANNEL, { message: (payload) => this.endFor(payload), reset: () => undefined });
  }

  beforeApplicationShutdown(): void {
    for (const set of this.byLocation.values()) for (const stream of set) this.end(stream);
  }

  /** Streams open on this instance now. */
  get open(): number {
    return this.count;
  }

  /** Answers the request with a stream of the clinic's changes (the guards have judged the caller already). */
  start(reply: FastifyReply, locationId: string, user: AuthenticatedUser): void {
    if (this.count >= this.config.liveEventsMaxStreams) {
      throw new TryLater(503, 'This instance serves as many live event streams as it may; try again shortly.', RETRY_MS / 1000);
    }
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Proxies (nginx) must pass each frame on at once.
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    const stream: LiveStream = { id: randomUUID(), locationId, staffId: user.id, sessionId: user.sessionId, response, timers: [] };
    this.add(stream);
    stream.timers.push(setInterval(() => response.write(SSE_HEARTBEAT), this.config.liveEventsHeartbeatSeconds * 1000));
    stream.timers.push(setTimeout(() => this.end(stream), this.config.accessTokenSeconds * 1000));
    response.on('close', () => this.remove(stream));
    response.write(`retry: ${RETRY_MS}\n\n`);
    response.write(sseFrame('ready', { locationId }));
  }

  private deliver(payload: string): void {
    const event = parseLiveEvent(payload);
    if (!event) return;
    const frame = sseFrame(event.type, event.data);
    for (const stream of this.byLocation.get(event.locationId) ?? []) stream.response.write(frame);
  }

  private broadcast(frame: string): void {
    for (const set of this.byLocation.values()) for (const stream of set) stream.response.write(frame);
  }

  private endFor(accountChange: string): void {
    for (const set of this.byLocation.values()) {
      for (const stream of set) {
        if (accountChange === sessionEnded(stream.sessionId) || accountChange === staffChanged(stream.staffId)) this.end(stream);
      }
    }
  }

  private add(stream: LiveStream): void {
    let set = this.byLocation.get(stream.locationId);
    if (!set) this.byLocation.set(stream.locationId, (set = new Set()));
    set.add(stream);
    this.count++;
  }

  private end(stream: LiveStream): void {
    this.remove(stream);
    stream.response.end();
  }

  private remove(stream: LiveStream): void {
    const set = this.byLocation.get(stream.locationId);
    if (!set?.delete(stream)) return;
    if (set.size === 0) this.byLocation.delete(stream.locationId);
    for (const timer of stream.timers) clearTimeout(timer);
    this.count--;
    this.logger.debug(`stream ${stream.id} closed; ${this.count} open`);
  }
}
