import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor, PATIENT_SMS_ACTOR, SYSTEM_ACTOR } from '../common/actor';
import { Clock } from '../common/clock';
import { inTransaction } from '../common/transaction';
import { E164 } from '../patients/dto/patient.dto';
import { parseKeyword, SmsKeyword } from './domain/keywords';
import { renderHelpText, renderOptInText, renderOptOutText } from './domain/templates';
import { ReminderPlanningService } from './reminder-planning.service';
import { RemindersRepository } from './reminders.repository';
import { SmsConsentRepository } from './sms-consent.repository';
import { SmsInboundEvents } from './sms-inbound-events';
import { StoredAnswer } from './sms-inbound-message.entity';
import { SmsInboundRepository } from './sms-inbound.repository';
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

/** What one inbound message was understood as (`replayed`: the same message again, which changed nothing). */
export type InboundResult = SmsKeyword | 'reply' | 'replayed' | 'ignored';

/**
 * Patients' texts. Each message is recorded under the provider's id in the same transaction that acts on
 * it, so a replay (the same signed MessageSid posted again: a provider retry, or an old START posted after
 * a later STOP) changes nothing. STOP and its synonyms always opt out, START opts back in and plans the
 * upcoming appointments' texts again, HELP answers; anything else goes to the reply listener (confirm,
 * reschedule, an offer's YES). The one answer a message earns is stored with it and sent after the
 * commit through the outbox, once.
 */
@Injectable()
export class SmsInboundService {
  private readonly logger = new Logger('SmsInbound');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly consent: SmsConsentRepository,
    private readonly reminders: RemindersRepository,
    private readonly planning: ReminderPlanningService,
    private readonly messages: SmsMessagesRepository,
    private readonly inbound: SmsInboundRepository,
    private readonly events: SmsInboundEvents,
    private readonly outbox: SmsOutboxService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async handle(message: InboundSms, requestId: string | null): Promise<InboundResult> {
    const from = message.from.trim();
    const sid = message.messageSid ?? null;
    const { result, answer } = await inTransaction(this.dataSource, async (manager) => {
      const inboundId = await this.inbound.claim(manager, { messageSid: sid, from, body: message.body, receivedAt: this.clock.now() });
      if (!inboundId) {
        // Already processed: at most resend the answer it earned, if that was never handed over.
        const previous = await this.inbound.findBySid(manager, sid!);
        return { result: 'replayed' as const, answer: previous?.answer ?? null };
      }
      const done = await this.act(manager, { ...message, from }, inboundId, requestId);
      const stored: StoredAnswer | null = done.answer ? { ...done.answer, idempotencyKey: `reply:${sid ?? inboundId}`, to: from } : null;
      await this.inbound.recordOutcome(manager, inboundId, done.intent, done.outcome, stored);
      return { result: done.result, answer: stored };
    });
    if (answer) {
      await this.outbox.sendOnce({ ...answer, reminderId: null });
    }
    // Never the number or the text in the log.
    this.logger.log({ msg: 'inbound text handled', result, requestId });
    return result;
  }

  private async act(
    manager: EntityManager,
    message: InboundSms,
    inboundId: string,
    requestId: string | null,
  ): Promise<{ result: InboundResult; intent: string | null; outcome: string; answer?: Omit<StoredAnswer, 'idempotencyKey' | 'to'> }> {
    const keyword = parseKeyword(message.body);
    if (!E164.test(message.from)) return { result: 'ignored', intent: keyword ?? null, outcome: 'not-a-patient-number' };
    const system: Actor = { ...SYSTEM_ACTOR, requestId };
    switch (keyword) {
      case 'stop': {
        const { changed, patientIds } = await this.setConsent(manager, message.from, false, message.messageSid ?? null, system);
        if (patientIds.length) await this.events.optedOut(manager, patientIds, system);
        return changed
          ? { result: 'stop', intent: 'stop', outcome: 'opted-out', answer: { purpose: 'opt_out_confirmation', body: renderOptOutText() } }
          : { result: 'stop', intent: 'stop', outcome: patientIds.length ? 'unchanged' : 'unknown-number' };
      }
      case 'start': {
        const { changed } = await this.setConsent(manager, message.from, true, message.messageSid ?? null, system);
        return changed
          ? { result: 'start', intent: 'start', outcome: 'opted-in', answer: { purpose: 'opt_in_confirmation', body: renderOptInText() } }
          : { result: 'start', intent: 'start', outcome: 'unchanged' };
      }
      case 'help': {
        const clinic = await this.consent.findClinicForPhone(message.from, this.clock.now(), manager);
        return clinic
          ? { result: 'help', intent: 'help', outcome: 'answered', answer: { purpose: 'help', body: renderHelpText(clinic) } }
          : { result: 'help', intent: 'help', outcome: 'unknown-number' };
      }
      default: {
        const outcome = await this.events.reply(
          manager,
          { from: message.from, body: message.body, messageSid: message.messageSid ?? null, inboundId, receivedAt: this.clock.now() },
          { ...PATIENT_SMS_ACTOR, requestId },
        );
        if (!outcome) return { result: 'ignored', intent: null, outcome: 'no-reply-handling' };
        return { result: 'reply', intent: outcome.intent, outcome: outcome.outcome, answer: outcome.answer };
      }
    }
  }

  /**
   * Opts every patient with this number out (cancelling their pending texts) or back in (planning their
   * upcoming appointments' texts again), audited. `changed`: at least one of them changed, i.e. a
   * confirmation is due.
   */
  private async setConsent(
    manager: EntityManager,
    phone: string,
    optIn: boolean,
    inboundMessageSid: string | null,
    actor: Actor,
  ): Promise<{ changed: boolean; patientIds: string[] }> {
    const patients = await this.consent.setConsentByPhone(manager, phone, optIn);
    if (patients.length === 0) return { changed: false, patientIds: [] };
    const ids = patients.map((p) => p.patientId);
    const cancelled = optIn ? 0 : await this.reminders.cancelPendingForPatients(manager, ids);
    const resumed = patients.filter((p) => p.changed).map((p) => p.patientId);
    const replanned = optIn && resumed.length ? await this.planning.replanForPatients(manager, resumed) : 0;
    await this.consent.recordEvents(manager, ids, optIn ? 'opt_in' : 'opt_out', optIn ? 'start' : 'stop', inboundMessageSid);
    for (const patient of patients) {
      await this.audit.record(manager, actor, optIn ? 'patient.sms-opt-in' : 'patient.sms-opt-out', 'patient', patient.patientId, {
        channel: 'sms',
        changed: patient.changed,
        ...(optIn ? (patient.changed ? { replannedAppointments: replanned } : {}) : { cancelledReminders: cancelled }),
      });
    }
    return { changed: patients.some((p) => p.changed), patientIds: ids };
  }

  /** Delivery status of a message we sent; unknown ids are ignored. */
  async recordDelivery(report: DeliveryReport): Promise<void> {
    await Promise.all([
      this.messages.recordDeliveryStatus(report.messageSid, report.messageStatus, report.errorCode ?? null),
      this.reminders.recordDeliveryStatus(report.messageSid, report.messageStatus),
    ]);
  }
}
