import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';
import type { OutboxEntry } from './sms-messages.repository';

/** A patient's text that is not STOP, START or HELP, handed over once per message. */
export interface InboundReply {
  /** The sender, E.164. */
  from: string;
  body: string;
  messageSid: string | null;
  /** The sms_inbound_messages row: unique per message, a key for what the reply causes (worklist items, answers). */
  inboundId: string;
  receivedAt: Date;
}

/** What a reply was understood as and did, and the one text that answers it (sent after the commit, once). */
export interface ReplyOutcome {
  intent: string;
  outcome: string;
  answer?: Omit<OutboxEntry, 'idempotencyKey' | 'reminderId' | 'to'>;
}

/**
 * Work other modules do with patients' texts. The reminders module owns the webhook, the de-duplication
 * and STOP/START/HELP; what a reply means (confirm, reschedule, an offer's YES) belongs to the modules
 * that know appointments and offers. Listeners run inside the transaction that records the message, so
 * a message is acted on exactly once or not at all.
 */
export interface SmsInboundListener {
  /** Any other text from a valid number. At most one listener answers replies. */
  onReply?(manager: EntityManager, reply: InboundReply, actor: Actor): Promise<ReplyOutcome>;
  /** These patients opted out by text (STOP or a synonym), whether or not they had opted out before. */
  onOptOut?(manager: EntityManager, patientIds: string[], actor: Actor): Promise<void>;
}

@Injectable()
export class SmsInboundEvents {
  private readonly listeners: SmsInboundListener[] = [];

  subscribe(listener: SmsInboundListener): void {
    if (listener.onReply && this.listeners.some((l) => l.onReply)) throw new Error('SmsInboundEvents: only one listener may answer replies');
    this.listeners.push(listener);
  }

  get answersReplies(): boolean {
    return this.listeners.some((l) => l.onReply);
  }

  async reply(manager: EntityManager, reply: InboundReply, actor: Actor): Promise<ReplyOutcome | undefined> {
    const listener = this.listeners.find((l) => l.onReply);
    return listener?.onReply!(manager, reply, actor);
  }

  async optedOut(manager: EntityManager, patientIds: string[], actor: Actor): Promise<void> {
    for (const listener of this.listeners) if (listener.onOptOut) await listener.onOptOut(manager, patientIds, actor);
  }
}
