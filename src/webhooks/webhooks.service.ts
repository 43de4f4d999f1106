import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DEFAULT_PAGE_LIMIT, Page, pageOf } from '../common/paging';
import { NotFound } from '../common/problems';
import {
  CreatedWebhookSubscriptionResponse,
  CreateWebhookSubscriptionDto,
  DeliveriesQuery,
  toDeliveryResponse,
  toSubscriptionResponse,
  WebhookDeliveryResponse,
  WebhookSubscriptionResponse,
} from './dto/webhook.dto';
import { WebhookTargetPolicy } from './webhook-target-policy';
import { WebhooksRepository } from './webhooks.repository';

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** The admin's management of webhook subscriptions and their delivery logs. */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: WebhooksRepository,
    private readonly targets: WebhookTargetPolicy,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateWebhookSubscriptionDto, actor: Actor): Promise<CreatedWebhookSubscriptionResponse> {
    const url = await this.targets.check(dto.url);
    const created = await this.dataSource.transaction(async (manager) => {
      const created = await this.repository.insertSubscription(manager, {
        url,
        events: dto.events,
        secret: newSecret(),
        createdBy: actor.id,
        createdAt: this.clock.now(),
      });
      await this.audit.record(manager, actor, 'webhook-subscription.create', 'webhook_subscription', created.id, { url, events: dto.events });
      return created;
    });
    return { ...toSubscriptionResponse(created), secret: created.secret };
  }

  async list(): Promise<WebhookSubscriptionResponse[]> {
    return (await this.repository.findActiveSubscriptions()).map(toSubscriptionResponse);
  }

  async get(id: string): Promise<WebhookSubscriptionResponse> {
    return toSubscriptionResponse(await this.findOrFail(id));
  }

  async remove(id: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const removed = await this.repository.deleteSubscription(manager, id, this.clock.now());
      if (!removed) throw new NotFound('Webhook subscription', id);
      await this.audit.record(manager, actor, 'webhook-subscription.delete', 'webhook_subscription', id, removed);
    });
  }

  /** Newest first, each delivery with every try it took. */
  async deliveries(id: string, query: DeliveriesQuery): Promise<Page<WebhookDeliveryResponse>> {
    await this.findOrFail(id);
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const rows = await this.repository.findDeliveries(id, { limit, before: query.cursor });
    return pageOf(rows.map(toDeliveryResponse), limit, (last) => last.id);
  }

  private async findOrFail(id: string) {
    const subscription = await this.repository.findActiveSubscription(id);
    if (!subscription) throw new NotFound('Webhook subscription', id);
    return subscription;
  }
}
