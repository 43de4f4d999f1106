import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { WebhookPayload } from './domain/events';

/**
 * The outbox: an event as it is sent, written in the same transaction (or statement) as the change it
 * announces, and only when some subscription wants it. Its id is the `webhook-id` every delivery carries,
 * so a receiver can recognise a retry.
 */
@Entity('webhook_events')
@Index('ix_webhook_events_occurred', ['occurredAt'])
export class WebhookEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 40 })
  type: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  /** The body sent, byte for byte what is signed: `{ type, timestamp, data }`. */
  @Column({ type: 'jsonb' })
  payload: WebhookPayload;
}
