type TwilioFactory = typeof import('twilio');
type TwilioClient = ReturnType<TwilioFactory>;
import type { AppConfig } from '../../config/app-config';
import { OutgoingSms, SmsProvider, SmsSendError } from './sms-provider';

/** How long one API call may take; the dispatcher's lease is far longer. */
const REQUEST_TIMEOUT_MS = 10_000;

interface TwilioRestError {
  status?: number;
  code?: number;
  message?: string;
}

/** SMS_PROVIDER=twilio: the official SDK, from TWILIO_FROM or a messaging service, with delivery reports to the status webhook. */
export class TwilioSmsProvider implements SmsProvider {
  readonly name = 'twilio';
  private client?: TwilioClient;

  constructor(private readonly config: AppConfig) {}

  private twilio(): TwilioClient {
    if (!this.client) {
      // Loaded on first use: the SDK is large and the log provider never needs it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous lazy load of a CommonJS SDK
      const createClient = require('twilio') as TwilioFactory;
      this.client = createClient(this.config.twilioAccountSid, this.config.twilioAuthToken, { timeout: REQUEST_TIMEOUT_MS });
    }
    return this.client;
  }

  async send(message: OutgoingSms): Promise<{ providerMessageId: string }> {
    const client = this.twilio();
    try {
      const sent = await client.messages.create({
        to: message.to,
        body: message.body,
        ...(this.config.twilioMessagingServiceSid ? { messagingServiceSid: this.config.twilioMessagingServiceSid } : { from: this.config.twilioFrom! }),
        statusCallback: `${this.config.publicBaseUrl}/api/webhooks/sms/status`,
      });
      return { providerMessageId: sent.sid };
    } catch (error) {
      const e = error as TwilioRestError;
      const status = e.status;
      // 4xx other than 429 (an invalid or unsubscribed number, a bad request) will not succeed on retry.
      const permanent = status !== undefined && status >= 400 && status < 500 && status !== 429;
      throw new SmsSendError(`Twilio${e.code ? ` error ${e.code}` : ''}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? 'request failed'}`, permanent);
    }
  }
}
