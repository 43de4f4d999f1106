import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { SmsPurpose, TextChoice } from './sms-message.entity';

/** The answer an inbound message earned, kept so that a replay of the message sends it (once) instead of acting again. */
export interface StoredAnswer {
  idempotencyKey: string;
  purpose: SmsPurpose;
  to: string;
  body: string;
  appointmentId?: string | null;
  offerId?: string | null;
  choices?: TextChoice[] | null;
}

/**
 * Every text a patient sent us, processed once: the provider's message id is unique, so a replayed
 * webhook (the same signed MessageSid posted again, by the provider's retry or by anyone who kept it)
 * finds its row and changes nothing. `intent` and `outcome` say what it was understood as and what it did.
 */
@Entity('sms_inbound_messages')
@Index('uq_sms_inbound_messages_sid', ['messageSid'], { unique: true, where: '"message_sid" IS NOT NULL' })
@Index('ix_sms_inbound_messages_from', ['fromNumber', 'receivedAt'])
export class SmsInboundMessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The provider's id (Twilio MessageSid); null when the post carried none (such a post cannot be told from a replay). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  messageSid: string | null;

  @Column({ type: 'varchar', length: 40 })
  fromNumber: string;

  @Column({ type: 'varchar', length: 1600 })
  body: string;

  /** stop, start, help, confirm, reschedule, choice, accept, decline, unmatched, ignored. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  intent: string | null;

  /** What it did, in a word or two (opted-out, confirmed, options-sent, moved, taken, booked, worklist …). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  outcome: string | null;

  @Column({ type: 'jsonb', nullable: true })
  answer: StoredAnswer | null;

  /** By the service's clock. */
  @Column({ type: 'timestamptz' })
  receivedAt: Date;
}
