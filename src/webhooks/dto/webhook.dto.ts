import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { toClinicIso } from '../../common/clinic-time';
import { PageQueryDto } from '../../common/paging';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '../domain/events';
import type { DeliveryStatus } from '../webhook-delivery.entity';
import type { WebhookSubscriptionEntity } from '../webhook-subscription.entity';
import type { DeliveryLogRow } from '../webhooks.repository';

export class CreateWebhookSubscriptionDto {
  @ApiProperty({
    example: 'https://ehr.example.org/hooks/clinic',
    description: 'http(s); loopback and private-network hosts are refused unless WEBHOOK_ALLOW_PRIVATE is on',
  })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['appointment.booked', 'appointment.cancelled'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events: WebhookEventType[];
}

export class WebhookSubscriptionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events: WebhookEventType[];
  @ApiProperty() createdAt: string;
}

export class CreatedWebhookSubscriptionResponse extends WebhookSubscriptionResponse {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The Standard Webhooks signing secret: shown only here, keep it' })
  secret: string;
}

export function toSubscriptionResponse(row: WebhookSubscriptionEntity): WebhookSubscriptionResponse {
  return { id: row.id, url: row.url, events: row.events, createdAt: toClinicIso(new Date(row.createdAt)) };
}

export class DeliveriesQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The x-next-cursor of the previous page' })
  @IsOptional()
  @IsUUID()
  cursor?: string;
}

export class DeliveryAttemptResponse {
  @ApiProperty() attemptedAt: string;
  @ApiProperty({ nullable: true, description: "The subscriber's HTTP status; null when it could not be reached" }) statusCode: number | null;
  @ApiProperty({ nullable: true }) error: string | null;
  @ApiProperty() durationMs: number;
}

export class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The webhook-id header: the same on every try' }) eventId: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) eventType: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed', 'cancelled'] }) status: DeliveryStatus;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ description: 'pending: when it is tried next' }) nextAttemptAt?: string;
  @ApiPropertyOptional() lastStatusCode?: number;
  @ApiPropertyOptional() lastError?: string;
  @ApiPropertyOptional() deliveredAt?: string;
  @ApiProperty({ type: [DeliveryAttemptResponse], description: 'Every try, oldest first' }) log: DeliveryAttemptResponse[];
}

const iso = (value: Date | string) => toClinicIso(new Date(value));

export function toDeliveryResponse(row: DeliveryLogRow): WebhookDeliveryResponse {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    occurredAt: iso(row.occurredAt),
    status: row.status,
    attempts: row.attempts,
    ...(row.nextAttemptAt ? { nextAttemptAt: iso(row.nextAttemptAt) } : {}),
    ...(row.lastStatusCode !== null ? { lastStatusCode: row.lastStatusCode } : {}),
    ...(row.lastError ? { lastError: row.lastError } : {}),
    ...(row.deliveredAt ? { deliveredAt: iso(row.deliveredAt) } : {}),
    log: row.log.map((a) => ({ attemptedAt: iso(a.attemptedAt), statusCode: a.statusCode, error: a.error, durationMs: a.durationMs })),
  };
}
