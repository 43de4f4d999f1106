import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Forbidden } from '../common/problems';
import { AppConfig } from '../config/app-config';
import { isValidTwilioSignature, publicWebhookUrl, TWILIO_SIGNATURE_HEADER } from './domain/twilio-signature';

/**
 * The SMS webhooks are public but must be signed by the provider: X-Twilio-Signature over the public
 * URL (PUBLIC_BASE_URL + path and query) and the posted form, with TWILIO_AUTH_TOKEN. Without a
 * configured token every request is refused.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers[TWILIO_SIGNATURE_HEADER];
    const signature = Array.isArray(header) ? header[0] : header;
    const params = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
    const url = publicWebhookUrl(this.config.publicBaseUrl, request.url);
    if (!isValidTwilioSignature(this.config.twilioAuthToken, signature, url, params)) {
      throw new Forbidden(
        this.config.twilioAuthToken
          ? 'The request is not signed by the SMS provider (X-Twilio-Signature is missing or wrong).'
          : 'SMS webhooks are refused: no TWILIO_AUTH_TOKEN is configured to check their signature.',
      );
    }
    return true;
  }
}
