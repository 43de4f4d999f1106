import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OutgoingSms, SmsProvider } from './sms-provider';

/** SMS_PROVIDER=log: records (the outbox row) and logs that a text would go out; sends nothing. */
export class LogSmsProvider implements SmsProvider {
  readonly name = 'log';
  private readonly logger = new Logger('LogSmsProvider');

  async send(message: OutgoingSms): Promise<{ providerMessageId: string }> {
    const providerMessageId = `LOG${randomUUID().replace(/-/g, '')}`;
    // Never the number or the text: the outbox holds them.
    this.logger.debug({ msg: 'text recorded, not sent (SMS_PROVIDER=log)', idempotencyKey: message.idempotencyKey, providerMessageId });
    return { providerMessageId };
  }
}
