import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor, SYSTEM_ACTOR } from '../common/actor';
import { Clock } from '../common/clock';
import { inTransaction } from '../common/transaction';
import { E164 } from '../patients/dto/patient.dto';
import { parseKeyword, SmsKeyword } from './domain/keywords';
import { renderHelpText, renderOptInText, renderOptOutText } from './domain/templates';
import { RemindersRepository } from './reminders.repository';
import { SmsConsentRepository } from './sms-consent.repository';
import { SmsMessagesRepository } from './sms-messages.repository';
import { SmsOutboxService } from './sms-outbox.service';

export interface InboundSms {
  from: string;
  body: string;
  messageSid?: string;
}

export interface DeliveryReport {
  messageSid: string;
  messageStatus: string;
  errorCode?: string;
}

/** STOP, START and HELP by text, and the provider's delivery reports. */
@Injectable()
export class SmsInboundService {
  private readonly logger = new Logger('SmsInbound');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly consent: SmsConsentRepository,
    private readonly reminders: RemindersRepository,
    private readonly messages: SmsMessagesRepository,
    private readonly outbox: SmsOutboxService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** What the text asked for, done; other words and unknown numbers get nothing (and no error). */
  async handle(message: InboundSms, requestId: string | null): Promise<SmsKeyword | undefined> {
    const keyword = parseKeyword(message.body);
    const from = message.from.trim();
    if (!keyword || !E164.test(from)) return undefined;
    const actor: Actor = { ...SYSTEM_ACTOR, requestId };
    // One answer per inbound message, even when the provider posts it again.
    const replyKey = `reply:${message.messageSid || randomUUID()}`;
    switch (keyword) {
      case 'stop': {
        const changed = await this.setConsent(from, false, message.messageSid ?? null, actor);
        if (changed)
          await this.outbox.sendOnce({ idempotencyKey: replyKey, purpose: 'opt_out_confirmation', reminderId: null, to: from, body: renderOptOutText() });
        break;
      }
      case 'start': {
        const changed = await this.setConsent(from, true, message.messageSid ?? null, actor);
        if (changed)
          await this.outbox.sendOnce({ idempotencyKey: replyKey, purpose: 'opt_in_confirmation', reminderId: null, to: from, body: renderOptInText() });
        break;
      }
      case 'help': {
        const clinic = await this.consent.findClinicForPhone(from, this.clock.now());
        if (clinic) await this.outbox.sendOnce({ idempotencyKey: replyKey, purpose: 'help', reminderId: null, to: from, body: renderHelpText(clinic) });
        break;
      }
    }
    this.logger.log({ msg: 'inbound keyword handled', keyword, requestId });
    return keyword;
  }

  /**
   * Opts every patient with this number out (cancelling their pending texts) or back in, audited, in
   * one transaction. True when at least one of them changed, i.e. a confirmation is due.
   */
  private async setConsent(phone: string, optIn: boolean, inboundMessageSid: string | null, actor: Actor): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      const patients = await this.consent.setConsentByPhone(manager, phone, optIn);
      if (patients.length === 0) return false;
      const ids = patients.map((p) => p.patientId);
      const cancelled = optIn ? 0 : await this.reminders.cancelPendingForPatients(manager, ids);
      await this.consent.recordEvents(manager, ids, optIn ? 'opt_in' : 'opt_out', optIn ? 'start' : 'stop', inboundMessageSid);
      for (const patient of patients) {
        await this.audit.record(manager, actor, optIn ? 'patient.sms-opt-in' : 'patient.sms-opt-out', 'patient', patient.patientId, {
          channel: 'sms',
          changed: patient.changed,
          ...(optIn ? {} : { cancelledReminders: cancelled }),
        });
      }
      return patients.some((p) => p.changed);
    });
  }

  /** Delivery status of a message we sent; unknown ids are ignored. */
  async recordDelivery(report: DeliveryReport): Promise<void> {
    await Promise.all([
      this.messages.recordDeliveryStatus(report.messageSid, report.messageStatus, report.errorCode ?? null),
      this.reminders.recordDeliveryStatus(report.messageSid, report.messageStatus),
    ]);
  }
}
