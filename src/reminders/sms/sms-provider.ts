/** One text handed to the SMS provider. */
export interface OutgoingSms {
  /** E.164. */
  to: string;
  body: string;
  /** The outbox key: one per reminder or per answered inbound message. */
  idempotencyKey: string;
}

export interface SmsProvider {
  /** Stored with every outbox row: log or twilio. */
  readonly name: string;
  /** Resolves with the provider's message id once the provider has accepted the message. */
  send(message: OutgoingSms): Promise<{ providerMessageId: string }>;
}

/** The injection token of the configured provider. */
export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

/**
 * A refusal or error of the provider. `permanent` ones (an invalid or unsubscribed number) are not
 * retried. The message never holds the phone number or the text.
 */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/** An error as it may be stored and shown to staff: no phone numbers, bounded length. */
export function describeSendError(error: unknown): { message: string; permanent: boolean } {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/\+?\d[\d\s().-]{8,}\d/g, '[number]').slice(0, 480) || 'unknown error';
  return { message, permanent: error instanceof SmsSendError && error.permanent };
}
