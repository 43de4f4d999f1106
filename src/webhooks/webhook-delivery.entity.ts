import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookEventEntity } from './webhook-event.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event for one subscription: pending until the subscriber answers 2xx (delivered), the 24 hours of
 * retries run out (failed), or the subscription is deleted (cancelled). A worker claims due rows with a
 * lease (`lease_until`, `leased_by`), so that two instances never send one at the same time.
 */
@Entity('webhook_deliveries')
@Index('uq_webhook_deliveries_subscription_event', ['subscriptionId', 'eventId'], { unique: true })
@Index('ix_webhook_deliveries_due', ['nextAttemptAt'], { where: `"status" = 'pending'` })
@Index('ix_webhook_deliveries_log', ['subscriptionId', 'createdAt'])
@Check('ck_webhook_deliveries_status', `"status" IN ('pending', 'delivered', 'failed', 'cancelled')`)
@Check('ck_webhook_deliveries_attempts', '"attempts" >= 0')
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  subscriptionId: string;

  @ManyToOne(() => WebhookSubscriptionEntity)
  @JoinColumn({ name: 'subscription_id', foreignKeyConstraintName: 'fk_webhook_deliveries_subscription' })
  subscription?: WebhookSubscriptionEntity;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => WebhookEventEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_webhook_deliveries_event' })
  event?: WebhookEventEntity;

  @Column({ type: 'varchar', length: 12 })
  status: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  leasedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  /** When the event was queued for this subscription (the 24 hours of retries count from here). */
  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
