import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { AuditModule } from '../audit/audit.module';
import { AppConfig } from '../config/app-config';
import { ReminderDispatcher } from './reminder-dispatcher.service';
import { ReminderPlanningService } from './reminder-planning.service';
import { ReminderScheduler } from './reminder-scheduler';
import { RemindersController } from './reminders.controller';
import { RemindersRepository } from './reminders.repository';
import { RemindersService } from './reminders.service';
import { SmsConsentRepository } from './sms-consent.repository';
import { SmsConversation } from './sms-conversation.service';
import { SmsInboundEvents } from './sms-inbound-events';
import { SmsInboundRepository } from './sms-inbound.repository';
import { SmsInboundService } from './sms-inbound.service';
import { SmsMessagesRepository } from './sms-messages.repository';
import { SmsOutboxService } from './sms-outbox.service';
import { SmsWebhooksController } from './sms-webhooks.controller';
import { LogSmsProvider } from './sms/log-sms-provider';
import { SMS_PROVIDER, SmsProvider } from './sms/sms-provider';
import { TwilioSmsProvider } from './sms/twilio-sms-provider';
import { TwilioSignatureGuard } from './twilio-signature.guard';

/**
 * Reminder texts: planned with every appointment change, sent by a leased outbox dispatcher; patients' texts,
 * each processed once (STOP/START/HELP here, replies through SmsInboundEvents). Other modules send through
 * SmsOutboxService, learn what a reply answers from SmsConversation, and hear replies and opt-outs through
 * SmsInboundEvents.
 */
@Module({
  imports: [AppointmentsModule, AuditModule],
  controllers: [RemindersController, SmsWebhooksController],
  providers: [
    {
      provide: SMS_PROVIDER,
      inject: [AppConfig],
      useFactory: (config: AppConfig): SmsProvider => (config.smsProvider === 'twilio' ? new TwilioSmsProvider(config) : new LogSmsProvider()),
    },
    RemindersRepository,
    SmsMessagesRepository,
    SmsConsentRepository,
    ReminderPlanningService,
    ReminderDispatcher,
    ReminderScheduler,
    RemindersService,
    SmsOutboxService,
    SmsInboundRepository,
    SmsInboundEvents,
    SmsInboundService,
    SmsConversation,
    TwilioSignatureGuard,
  ],
  exports: [SmsOutboxService, SmsInboundEvents, SmsConversation],
})
export class RemindersModule {}
