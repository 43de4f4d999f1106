import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { AuditModule } from '../audit/audit.module';
import { WebhookAppointmentListener } from './webhook-appointment-listener';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookOutbox } from './webhook-outbox.service';
import { WebhookScheduler } from './webhook-scheduler';
import { WebhookTargetPolicy } from './webhook-target-policy';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Outbound webhooks: admin-managed subscriptions, an outbox written with each change, and a leased worker
 * delivering it signed (Standard Webhooks) with retries for 24 hours. Other modules announce their events
 * through WebhookOutbox inside their transactions; appointment changes arrive through AppointmentEvents.
 */
@Module({
  imports: [AppointmentsModule, AuditModule],
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhookOutbox, WebhookAppointmentListener, WebhookTargetPolicy, WebhookDispatcher, WebhookScheduler, WebhooksService],
  exports: [WebhookOutbox],
})
export class WebhooksModule {}
