import { createHmac } from 'node:crypto';

/** The Twilio account the webhook tests configure (TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL). */
export const TWILIO_TOKEN = 'twilio-auth-token-for-tests-0123456789';
export const PUBLIC_BASE_URL = 'https://sms.clinic.example';
export const INBOUND = '/api/webhooks/sms/inbound';
export const STATUS_CALLBACK = '/api/webhooks/sms/status';

/** X-Twilio-Signature as Twilio computes it: HMAC-SHA1 over the URL and the sorted parameter names and values, base64. */
export function twilioSignature(url: string, params: Record<string, string>, token = TWILIO_TOKEN): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', token).update(Buffer.from(data, 'utf-8')).digest('base64');
}

let sidCounter = 0;

/** The form Twilio posts for an incoming text, with a new MessageSid each time. */
export function inboundForm(from: string, body: string): Record<string, string> {
  const sid = `SM${String(++sidCounter).padStart(32, '0')}`;
  return {
    ToCountry: 'US',
    SmsMessageSid: sid,
    NumMedia: '0',
    MessageSid: sid,
    AccountSid: 'AC00000000000000000000000000000000',
    From: from,
    To: '+13035550140',
    Body: body,
    NumSegments: '1',
    ApiVersion: '2010-04-01',
  };
}
