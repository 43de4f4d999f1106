import { Body, Controller, Delete, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { sendPage } from '../common/paging';
import { UuidParam } from '../common/params';
import {
  CreatedWebhookSubscriptionResponse,
  CreateWebhookSubscriptionDto,
  DeliveriesQuery,
  WebhookDeliveryResponse,
  WebhookSubscriptionResponse,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('webhooks/subscriptions')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** The answer carries the signing secret, and only this answer. */
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body: the first response again, nothing new created' })
  @ApiCreatedResponse({ type: CreatedWebhookSubscriptionResponse })
  create(@Body() dto: CreateWebhookSubscriptionDto, @CurrentActor() actor: Actor): Promise<CreatedWebhookSubscriptionResponse> {
    return this.webhooks.create(dto, actor);
  }

  @Get()
  @ApiOkResponse({ type: [WebhookSubscriptionResponse] })
  list(): Promise<WebhookSubscriptionResponse[]> {
    return this.webhooks.list();
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookSubscriptionResponse })
  get(@UuidParam('id') id: string): Promise<WebhookSubscriptionResponse> {
    return this.webhooks.get(id);
  }

  /** Stops deliveries at once (pending ones are cancelled); the delivery log is kept. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.webhooks.remove(id, actor);
  }

  /** Newest first, each with every try; `x-next-cursor` carries the next page's cursor. */
  @Get(':id/deliveries')
  @ApiOkResponse({ type: [WebhookDeliveryResponse] })
  async deliveries(
    @UuidParam('id') id: string,
    @Query() query: DeliveriesQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookDeliveryResponse[]> {
    return sendPage(reply, await this.webhooks.deliveries(id, query));
  }
}
