import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { readDeliveryReport, readInboundSms } from './dto/sms-webhook.dto';
import { SmsInboundService } from './sms-inbound.service';
import { TwilioSignatureGuard } from './twilio-signature.guard';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** Called by the SMS provider, form-encoded and signed (no bearer token). */
@ApiTags('sms webhooks')
@ApiForbiddenResponse({ description: 'Missing or wrong X-Twilio-Signature, or no TWILIO_AUTH_TOKEN configured' })
@Public()
@UseGuards(TwilioSignatureGuard)
@Controller('webhooks/sms')
export class SmsWebhooksController {
  constructor(private readonly inbound: SmsInboundService) {}

  /** STOP / START / HELP. Answers are sent through the outbox; the TwiML answer itself is empty. */
  @Post('inbound')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['From'],
      properties: { From: { type: 'string', example: '+17205551234' }, Body: { type: 'string', example: 'STOP' }, MessageSid: { type: 'string' } },
      additionalProperties: true,
    },
  })
  @ApiOkResponse({ description: 'Empty TwiML (text/xml)' })
  async receive(@Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    await this.inbound.handle(readInboundSms(form ?? {}), request.id ?? null);
    void reply.header('content-type', 'text/xml; charset=utf-8');
    return EMPTY_TWIML;
  }

  @Post('status')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['MessageSid', 'MessageStatus'],
      properties: { MessageSid: { type: 'string' }, MessageStatus: { type: 'string', example: 'delivered' }, ErrorCode: { type: 'string' } },
      additionalProperties: true,
    },
  })
  @ApiOkResponse({ description: 'Recorded (unknown message ids are ignored)' })
  async status(@Body() form: Record<string, unknown>): Promise<void> {
    await this.inbound.recordDelivery(readDeliveryReport(form ?? {}));
  }
}
