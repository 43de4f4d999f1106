import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { OutboxEntry, SmsMessagesRepository } from './sms-messages.repository';
import { describeSendError, SMS_PROVIDER, SmsProvider } from './sms/sms-provider';

/** Sends one message (an answer to an inbound text) through the outbox: stored first, sent at most once per key. */
@Injectable()
export class SmsOutboxService {
  private readonly logger = new Logger('SmsOutbox');

  constructor(
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
    private readonly messages: SmsMessagesRepository,
    private readonly clock: Clock,
  ) {}

  async sendOnce(entry: OutboxEntry): Promise<'sent' | 'already-sent' | 'failed'> {
    const acquired = await this.messages.acquire([entry], this.provider.name);
    if (!acquired.has(entry.idempotencyKey)) return 'already-sent';
    try {
      const { providerMessageId } = await this.provider.send({ to: entry.to, body: entry.body, idempotencyKey: entry.idempotencyKey });
      await this.messages.markSent(entry.idempotencyKey, providerMessageId, this.clock.now());
      return 'sent';
    } catch (error) {
      const { message } = describeSendError(error);
      await this.messages.markFailed(entry.idempotencyKey, message);
      this.logger.warn({ msg: 'text not sent', idempotencyKey: entry.idempotencyKey, purpose: entry.purpose, error: message });
      return 'failed';
    }
  }
}
