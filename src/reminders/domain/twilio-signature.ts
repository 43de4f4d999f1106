import { validateRequest } from 'twilio/lib/webhooks/webhooks';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * Whether a webhook request was signed by Twilio with this auth token: the official SDK's check
 * (HMAC-SHA1 over the full URL followed by every POST parameter name and value, sorted by name,
 * base64). No token or no signature is never valid.
 */
export function isValidTwilioSignature(authToken: string | undefined, signature: string | undefined, url: string, params: Record<string, unknown>): boolean {
  if (!authToken || !signature) return false;
  try {
    return validateRequest(authToken, signature, url, params);
  } catch {
    return false;
  }
}

/** The URL Twilio called: the public base URL (as configured with Twilio) and the request's path and query. */
export function publicWebhookUrl(publicBaseUrl: string, requestUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${requestUrl.startsWith('/') ? requestUrl : `/${requestUrl}`}`;
}
