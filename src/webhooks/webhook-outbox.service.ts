import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { toClinicIso } from '../common/clinic-time';
import { Clock } from '../common/clock';
import type { StatementPart } from '../database/statement';
import { WebhookEventData, WebhookEventType } from './domain/events';
import { OutboxEvent, WebhooksRepository } from './webhooks.repository';

/**
 * How a module announces an event to webhook subscribers: inside its own transaction, so the event is sent
 * if and only if the change commits. Nothing is written when no subscription wants the event.
 *
 *   await this.outbox.emit(manager, 'course.booked', { courseId, patientId, … });
 *
 * The data types (domain/events.ts) admit ids, types, statuses and times only.
 */
@Injectable()
export class WebhookOutbox {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly clock: Clock,
  ) {}

  async emit<T extends WebhookEventType>(manager: EntityManager, type: T, data: WebhookEventData[T]): Promise<void> {
    await this.repository.insertEvent(manager, this.event(type, data));
  }

  /**
   * The event as parts of another statement that write only when the CTE `source` has a row (a new
   * booking's `a`): see AppointmentListener.companionsForBooking.
   */
  partsOf<T extends WebhookEventType>(type: T, data: WebhookEventData[T], source: string): StatementPart[] {
    return this.repository.outboxParts(this.event(type, data), source);
  }

  private event<T extends WebhookEventType>(type: T, data: WebhookEventData[T]): OutboxEvent {
    const occurredAt = this.clock.now();
    return { id: randomUUID(), type, occurredAt, payload: { type, timestamp: toClinicIso(occurredAt), data } };
  }
}
