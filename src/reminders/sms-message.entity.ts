import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ReminderEntity } from './reminder.entity';

export const SMS_PURPOSES = ['reminder', 'opt_out_confirmation', 'opt_in_confirmation', 'help'] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

/** sending: handed to the provider, no answer recorded yet; sent: accepted (with its id); failed: refused or errored. */
export type SmsMessageStatus = 'sending' | 'sent' | 'failed';

/**
 * Every message handed to the SMS provider. The row is written before the provider is called, under a
 * unique idempotency key (one per reminder, one per answered inbound message), so a retry after a
 * crash finds it and never sends a second time.
 */
@Entity('sms_messages')
@Index('uq_sms_messages_idempotency_key', ['idempotencyKey'], { unique: true })
@Index('ix_sms_messages_to', ['toNumber', 'createdAt'])
@Index('ix_sms_messages_created', ['createdAt'])
@Index('ix_sms_messages_provider_message', ['providerMessageId'], { where: '"provider_message_id" IS NOT NULL' })
@Check('ck_sms_messages_status', `"status" IN ('sending', 'sent', 'failed')`)
@Check('ck_sms_messages_purpose', `"purpose" IN ('reminder', 'opt_out_confirmation', 'opt_in_confirmation', 'help')`)
export class SmsMessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 120 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 24 })
  purpose: SmsPurpose;

  @Column({ type: 'uuid', nullable: true })
  reminderId: string | null;

  @ManyToOne(() => ReminderEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'reminder_id', foreignKeyConstraintName: 'fk_sms_messages_reminder' })
  reminder?: ReminderEntity;

  /** E.164. */
  @Column({ type: 'varchar', length: 16 })
  toNumber: string;

  @Column({ type: 'text' })
  body: string;

  /** log or twilio. */
  @Column({ type: 'varchar', length: 20 })
  provider: string;

  @Column({ type: 'varchar', length: 10 })
  status: SmsMessageStatus;

  @Column({ type: 'varchar', length: 64, nullable: true })
  providerMessageId: string | null;

  /** Times handed to the provider (a retry after a known failure hands it again). */
  @Column({ type: 'int', default: 1 })
  attempts: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  deliveryStatus: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  deliveryErrorCode: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
