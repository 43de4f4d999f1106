import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/** One try of a delivery, as the subscriber answered it (or why it could not be reached): the delivery log. */
@Entity('webhook_delivery_attempts')
@Index('ix_webhook_delivery_attempts_delivery', ['deliveryId', 'attemptedAt'])
export class WebhookDeliveryAttemptEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  deliveryId: string;

  @ManyToOne(() => WebhookDeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'fk_webhook_delivery_attempts_delivery' })
  delivery?: WebhookDeliveryEntity;

  @Column({ type: 'timestamptz' })
  attemptedAt: Date;

  /** The subscriber's HTTP status; null when it could not be reached. */
  @Column({ type: 'int', nullable: true })
  statusCode: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ type: 'int' })
  durationMs: number;
}
