import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { StaffEntity } from '../staff/staff.entity';
import type { WebhookEventType } from './domain/events';

/**
 * An integrator's endpoint and the events it wants. Deleting one keeps the row (its delivery log stays
 * readable for the audit of what was sent) and cancels what was still to be delivered.
 */
@Entity('webhook_subscriptions')
@Check('ck_webhook_subscriptions_events', 'cardinality("events") > 0')
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  @Column({ type: 'varchar', length: 40, array: true })
  events: WebhookEventType[];

  /** `whsec_<base64>`: the Standard Webhooks signing secret, shown once when the subscription is made. */
  @Column({ type: 'varchar', length: 100 })
  secret: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @ManyToOne(() => StaffEntity)
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_webhook_subscriptions_created_by' })
  creator?: StaffEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
