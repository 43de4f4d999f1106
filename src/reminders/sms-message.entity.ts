import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { ReminderEntity } from './reminder.entity';

/**
 * reminder: an appointment text (the dispatcher's); reschedule_options: the numbered times answering R;
 * waitlist_offer: a freed slot offered to a waitlisted patient; reply: any other answer to a patient's text
 * (thank-you, the time was taken …); the consent and HELP answers.
 */
export const SMS_PURPOSES = ['reminder', 'opt_out_confirmation', 'opt_in_confirmation', 'help', 'reply', 'reschedule_options', 'waitlist_offer'] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

/** One numbered time offered by text. */
export interface TextChoice {
  startsAt: string;
  resourceId: string | null;
}

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
@Check(
  'ck_sms_messages_purpose',
  `"purpose" IN ('reminder', 'opt_out_confirmation', 'opt_in_confirmation', 'help', 'reply', 'reschedule_options', 'waitlist_offer')`,
)
// A patient's reply answers the most recent text sent to their number (see SmsConversation.lastPrompt).
@Index('ix_sms_messages_to_sent', ['toNumber', 'sentAt'], { where: `"status" = 'sent'` })
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

  /** What a reply to this text is about, besides a reminder's appointment: the appointment of a list of times. */
  @Column({ type: 'uuid', nullable: true })
  appointmentId: string | null;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_sms_messages_appointment' })
  appointment?: AppointmentEntity;

  /** The waitlist offer this text makes (the waitlist module's row; no foreign key, the outbox sits below it). */
  @Column({ type: 'uuid', nullable: true })
  offerId: string | null;

  /** The numbered times of a reschedule_options text, in order: what a reply of 1, 2 or 3 picks. */
  @Column({ type: 'jsonb', nullable: true })
  choices: TextChoice[] | null;

  /** When a reply used up this text's question (a time picked); a later reply to it fits nothing. */
  @Column({ type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

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
