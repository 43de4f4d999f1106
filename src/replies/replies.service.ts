import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppointmentChangeEvent, AppointmentEvents, AppointmentListener } from '../appointments/appointment-events';
import { AppointmentLookup } from '../appointments/appointment-lookup.service';
import type { AppointmentEntity } from '../appointments/appointment.entity';
import { AvailabilityService } from '../appointments/availability.service';
import { AppointmentStatusChanges } from '../appointments/appointment-status.service';
import { BookingService } from '../appointments/booking.service';
import { Actor } from '../common/actor';
import { CLINIC_ZONE, localParts, toClinicIso } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { RuleViolation } from '../common/problems';
import { withSavepoint } from '../common/transaction';
import { LocationsService } from '../locations/locations.service';
import type { LocationEntity } from '../locations/location.entity';
import { renderConfirmedText, renderRescheduleOptionsText, renderTakenText } from '../reminders/domain/templates';
import { Prompt, SmsConversation } from '../reminders/sms-conversation.service';
import { InboundReply, ReplyOutcome, SmsInboundEvents, SmsInboundListener } from '../reminders/sms-inbound-events';
import { WaitlistOffers } from '../waitlist/waitlist-offers.service';
import { WorklistService } from '../worklist/worklist.service';
import { pickAlternatives } from './domain/alternatives';
import { intentOf, parseReplyWord, ReplyWord } from './domain/reply-words';
import { PatientOfNumber, RepliesRepository } from './replies.repository';

/** Offered times start at least this long from now. */
export const ALTERNATIVES_MIN_LEAD_MINUTES = 120;
/** … and lie within this many days either side of the appointment. */
export const ALTERNATIVES_DAYS = 7;
/** How much of a reply the worklist quotes. */
const QUOTE_LENGTH = 160;

const DAY_MS = 86_400_000;

/**
 * Patients answer their texts. A reply answers the most recent text sent to the number that asked
 * something (SmsConversation): to an appointment's text, C/Y/YES/CONFIRM confirm it and R asks to move
 * it (the reply offers up to three free times, each passing every booking rule); to those times, 1/2/3
 * moves it through BookingService.reschedule, audited as `patient-sms`; to a waitlist offer, YES takes it
 * and NO passes. What is ambiguous (a number shared by several patients with something upcoming, a reply
 * that fits nothing, an offer already gone) goes to the front desk's worklist, never a guess.
 */
@Injectable()
export class RepliesService implements SmsInboundListener, AppointmentListener, OnModuleInit {
  constructor(
    private readonly repository: RepliesRepository,
    private readonly conversation: SmsConversation,
    private readonly booking: BookingService,
    private readonly statuses: AppointmentStatusChanges,
    private readonly availability: AvailabilityService,
    private readonly lookup: AppointmentLookup,
    private readonly waitlist: WaitlistOffers,
    private readonly worklist: WorklistService,
    private readonly locations: LocationsService,
    private readonly smsEvents: SmsInboundEvents,
    private readonly appointmentEvents: AppointmentEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.smsEvents.subscribe(this);
    this.appointmentEvents.subscribe(this);
  }

  /** A reschedule request is done with once the appointment moves or is cancelled. */
  async onAppointmentChanged(manager: EntityManager, { change, appointment }: AppointmentChangeEvent): Promise<void> {
    if (change !== 'rescheduled' && change !== 'cancelled') return;
    await this.worklist.resolveForAppointment(
      manager,
      appointment.id,
      ['reschedule-request'],
      change === 'cancelled' ? 'The appointment was cancelled.' : `The appointment moved to ${toClinicIso(appointment.startsAt)}.`,
    );
  }

  async onReply(manager: EntityManager, reply: InboundReply, actor: Actor): Promise<ReplyOutcome> {
    const outcome = await this.understand(manager, reply, actor);
    // What the patient asked for is done; an answer goes out only to a patient who accepts texts.
    if (outcome.answer && outcome.patient && !outcome.patient.smsOptIn) return { intent: outcome.intent, outcome: outcome.outcome };
    return { intent: outcome.intent, outcome: outcome.outcome, ...(outcome.answer ? { answer: outcome.answer } : {}) };
  }

  private async understand(manager: EntityManager, reply: InboundReply, actor: Actor): Promise<ReplyOutcome & { patient?: PatientOfNumber }> {
    const word = parseReplyWord(reply.body);
    const intent = intentOf(word);
    const patients = await this.repository.findPatientsOfNumber(manager, reply.from, this.clock.now());
    if (patients.length === 0) return { intent, outcome: 'unknown-number' };

    const concerned = patients.filter((p) => p.upcoming > 0 || p.openOffers > 0);
    if (patients.length > 1 && concerned.length !== 1) {
      await this.unmatched(manager, reply, concerned.length ? concerned : patients, `A reply from a number shared by ${patients.length} patients`);
      return { intent, outcome: 'shared-number' };
    }
    const patient = concerned[0] ?? patients[0];
    const prompt = await this.conversation.lastPrompt(reply.from, manager);

    if (prompt?.purpose === 'waitlist_offer' && prompt.offerId && (word?.kind === 'yes' || word?.kind === 'no')) {
      const answer =
        word.kind === 'yes' ? await this.waitlist.accept(manager, prompt.offerId, actor) : await this.waitlist.decline(manager, prompt.offerId, actor);
      if (answer.outcome === 'offer-closed' && !answer.body) {
        await this.unmatched(manager, reply, [patient], 'A reply to a waitlist offer that is closed');
        return { intent, outcome: 'unmatched' };
      }
      return { intent, patient, outcome: answer.outcome, ...(answer.body ? { answer: { purpose: 'reply' as const, body: answer.body } } : {}) };
    }

    const appointment = prompt?.appointmentId ? await this.upcomingAppointment(manager, prompt.appointmentId, patients) : undefined;
    if (appointment && word) {
      const handled = await this.answerAboutAppointment(manager, word, appointment, prompt!, actor);
      if (handled) return { intent, patient, ...handled };
    }
    await this.unmatched(manager, reply, [patient], 'A reply that fits nothing', appointment);
    return { intent, outcome: 'unmatched' };
  }

  /** C, R or a number about an appointment; undefined when the word does not fit what the text asked. */
  private async answerAboutAppointment(
    manager: EntityManager,
    word: ReplyWord,
    appointment: AppointmentEntity,
    prompt: Prompt,
    actor: Actor,
  ): Promise<Omit<ReplyOutcome, 'intent'> | undefined> {
    const clinic = await this.locations.findOrFail(appointment.locationId, manager);
    const zone = clinic.timezone || CLINIC_ZONE;
    switch (word.kind) {
      case 'yes': {
        await this.statuses.confirm(manager, appointment.id, actor);
        return { outcome: 'confirmed', answer: { purpose: 'reply', body: renderConfirmedText({ clinic, zone, startsAt: appointment.startsAt }) } };
      }
      case 'reschedule': {
        await this.statuses.requestReschedule(manager, appointment.id, actor);
        const starts = await this.alternatives(manager, appointment, zone);
        await this.rescheduleRequest(
          manager,
          appointment,
          starts.length ? `offered ${starts.length} time(s) by text` : 'no free time within a week: call the patient',
        );
        return {
          outcome: starts.length ? 'options-sent' : 'no-options',
          answer: {
            purpose: starts.length ? 'reschedule_options' : 'reply',
            body: renderRescheduleOptionsText({ clinic, zone, starts }),
            appointmentId: appointment.id,
            ...(starts.length ? { choices: starts.map((start) => ({ startsAt: start.toISOString(), resourceId: null })) } : {}),
          },
        };
      }
      case 'choice': {
        const choice = prompt.purpose === 'reschedule_options' && !prompt.answeredAt ? prompt.choices?.[word.number - 1] : undefined;
        if (!choice || !(await this.conversation.markAnswered(manager, prompt.messageId))) return undefined;
        return this.moveTo(manager, appointment, new Date(choice.startsAt), clinic, actor);
      }
      case 'no':
        return undefined;
    }
  }

  /** Moves the appointment to the time the patient picked, or tells them it was taken meanwhile (and the front desk). */
  private async moveTo(
    manager: EntityManager,
    appointment: AppointmentEntity,
    startsAt: Date,
    clinic: LocationEntity,
    actor: Actor,
  ): Promise<Omit<ReplyOutcome, 'intent'>> {
    let refusal: RuleViolation | undefined;
    const moved = await withSavepoint(manager, 'reply_move', async () => {
      try {
        return await this.booking.reschedule(manager, appointment.id, { startsAt }, actor);
      } catch (error) {
        if (!(error instanceof RuleViolation)) throw error;
        refusal = error;
        return false;
      }
    });
    if (moved === false) {
      await this.rescheduleRequest(
        manager,
        appointment,
        `the time picked by text (${toClinicIso(startsAt)}) was taken meanwhile (${refusal?.rule}): call the patient`,
      );
      return { outcome: 'taken', answer: { purpose: 'reply', body: renderTakenText({ clinic, zone: clinic.timezone || CLINIC_ZONE }) } };
    }
    // They chose this time themselves: it counts as confirmed. The move's own text tells them (the dispatcher).
    await this.statuses.confirm(manager, appointment.id, actor);
    return { outcome: 'moved' };
  }

  /** Up to three free times for the appointment: same type and clinic, within a week either side, at least two hours ahead. */
  private async alternatives(manager: EntityManager, appointment: AppointmentEntity, zone: string): Promise<Date[]> {
    const now = this.clock.now();
    const from = new Date(Math.max(appointment.startsAt.getTime() - ALTERNATIVES_DAYS * DAY_MS, now.getTime() + ALTERNATIVES_MIN_LEAD_MINUTES * 60_000));
    const to = new Date(appointment.startsAt.getTime() + ALTERNATIVES_DAYS * DAY_MS + 1);
    if (to <= from) return [];
    const free = await this.availability.find(
      {
        type: appointment.type,
        locationId: appointment.locationId,
        from,
        to,
        patientId: appointment.patientId,
        excludeAppointmentId: appointment.id,
        mode: appointment.mode,
        durationMinutes: Math.round((appointment.occupancyEndsAt.getTime() - appointment.occupancyStartsAt.getTime()) / 60_000),
      },
      undefined,
      manager,
    );
    const usual =
      (await this.repository.findUsualMinutes(manager, appointment.patientId, appointment.type, zone)) ?? localParts(appointment.startsAt, zone).minutes;
    return pickAlternatives(
      free.map((slot) => slot.startsAt),
      { current: appointment.startsAt, usualMinutes: usual, zone },
    );
  }

  /** The appointment a prompt was about, if it is one of this number's patients' and still to come. */
  private async upcomingAppointment(manager: EntityManager, id: string, patients: PatientOfNumber[]): Promise<AppointmentEntity | undefined> {
    const appointment = await this.lookup.find(id, manager);
    if (!appointment || appointment.status !== 'scheduled' || appointment.startsAt <= this.clock.now()) return undefined;
    return patients.some((p) => p.patientId === appointment.patientId) ? appointment : undefined;
  }

  private async rescheduleRequest(manager: EntityManager, appointment: AppointmentEntity, what: string): Promise<void> {
    await this.worklist.add(manager, {
      kind: 'reschedule-request',
      locationId: appointment.locationId,
      appointmentId: appointment.id,
      patientId: appointment.patientId,
      detail: `The patient replied R to move the appointment at ${toClinicIso(appointment.startsAt)}: ${what}.`,
      dedupeKey: `reschedule-request:${appointment.id}`,
    });
  }

  /** Lists the reply for the front desk of each patient's clinic (once per message and clinic). */
  private async unmatched(
    manager: EntityManager,
    reply: InboundReply,
    patients: PatientOfNumber[],
    what: string,
    appointment?: AppointmentEntity,
  ): Promise<void> {
    const quote = reply.body.trim().replace(/\s+/g, ' ').slice(0, QUOTE_LENGTH);
    const about = appointment ? ` (the last text was about the appointment at ${toClinicIso(appointment.startsAt)})` : '';
    const byClinic = new Map<string, string | null>();
    for (const patient of patients) {
      const locationId = appointment?.locationId ?? patient.locationId;
      if (locationId && !byClinic.has(locationId)) byClinic.set(locationId, patients.length === 1 ? patient.patientId : null);
    }
    for (const [locationId, patientId] of byClinic) {
      await this.worklist.add(manager, {
        kind: 'unmatched-reply',
        locationId,
        patientId,
        appointmentId: appointment?.id ?? null,
        detail: `${what}: "${quote}"${about}.`,
        dedupeKey: `reply:${reply.inboundId}:${locationId}`,
      });
    }
  }
}
