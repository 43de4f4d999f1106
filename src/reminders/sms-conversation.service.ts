import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { Prompt, SmsMessagesRepository } from './sms-messages.repository';

export type { Prompt } from './sms-messages.repository';

/** How long a text can still be answered by a reply. */
export const REPLY_WINDOW_DAYS = 7;

/** What a patient's reply answers: the most recent text sent to their number that asked something. */
@Injectable()
export class SmsConversation {
  constructor(
    private readonly messages: SmsMessagesRepository,
    private readonly clock: Clock,
  ) {}

  /** The most recent appointment text, list of times or offer sent to this number in the last 7 days. */
  lastPrompt(phone: string, manager?: EntityManager): Promise<Prompt | undefined> {
    return this.messages.findLastPrompt(phone, new Date(this.clock.now().getTime() - REPLY_WINDOW_DAYS * 86_400_000), manager);
  }

  /** The prompt's question is used up (a time was picked); false when a reply had used it already. */
  markAnswered(manager: EntityManager, messageId: string): Promise<boolean> {
    return this.messages.markAnswered(manager, messageId, this.clock.now());
  }
}
