import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppointmentChangeEvent, AppointmentEvents, AppointmentListener } from '../appointments/appointment-events';
import { HoldService } from '../appointments/hold.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor, SYSTEM_ACTOR } from '../common/actor';
import { clinicDateOf, CLINIC_ZONE, toClinicIso } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { RuleViolation } from '../common/problems';
import { inTransaction, withSavepoint } from '../common/transaction';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue.service';
import type { LocationEntity } from '../locations/location.entity';
import { LocationsService } from '../locations/locations.service';
import { PatientsService } from '../patients/patients.service';
import { DEFAULT_REMINDER_POLICY, earliestAllowedAtOrAfter, isAllowedSendingTime } from '../reminders/domain/reminder-planner';
import { renderOfferDeclinedText, renderOfferText, renderTakenText } from '../reminders/domain/templates';
import { SmsInboundEvents, SmsInboundListener } from '../reminders/sms-inbound-events';
import { SmsOutboxService } from '../reminders/sms-outbox.service';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { WorklistService } from '../worklist/worklist.service';
import type { WaitlistType } from './domain/offer-status';
import { fitsWish } from './domain/waitlist-fit';
import { WaitlistOfferEntity } from './waitlist-offer.entity';
import {
  CANDIDATE_PAGE,
  EXPIRE_OFFER_TASK,
  FreedSlotJob,
  isWaitlistType,
  MIN_OFFER_LEAD_MINUTES,
  OFFER_SLOT_TASK,
  OfferAnswer,
  OfferToSend,
  SLOT_WIDE_RULES,
  slotJobKey,
} from './offer-jobs';
import { Candidate, SlotKey, WaitlistRepository } from './waitlist.repository';

export { EXPIRE_OFFER_TASK, MIN_OFFER_LEAD_MINUTES, OFFER_SLOT_TASK } from './offer-jobs';
export type { FreedSlotJob, OfferAnswer } from './offer-jobs';

/**
 * Fills freed chairs from the waitlist. A cancellation (or a move away) enqueues a job in its own
 * transaction; the job finds the first fitting entry (priority, then age: the patient's clinics, dates and
 * times, then every booking rule through the one rule function, then eligibility, authorization and REMS
 * enrolment), holds the slot for WAITLIST_OFFER_MINUTES and texts the offer through the outbox. YES books
 * it by converting the hold; NO, expiry, an opt-out or a refused booking offers it to the next entry. Every
 * step is idempotent: a slot has one open offer (its hold, and a unique index), so retries and several
 * instances never offer it twice, and a booking never takes it twice.
 */
@Injectable()
export class WaitlistOffers implements OnModuleInit, OnApplicationBootstrap, AppointmentListener, SmsInboundListener {
  private readonly logger = new Logger('WaitlistOffers');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: WaitlistRepository,
    private readonly holds: HoldService,
    private readonly patients: PatientsService,
    private readonly locations: LocationsService,
    private readonly worklist: WorklistService,
    private readonly outbox: SmsOutboxService,
    private readonly webhooks: WebhookOutbox,
    private readonly jobs: JobQueue,
    private readonly appointmentEvents: AppointmentEvents,
    private readonly smsEvents: SmsInboundEvents,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.appointmentEvents.subscribe(this);
    this.smsEvents.subscribe(this);
    this.jobs.register(OFFER_SLOT_TASK, (payload: FreedSlotJob) => this.offerSlot(payload).then(() => undefined));
    this.jobs.register(EXPIRE_OFFER_TASK, (payload: { offerId: string }) => this.expire(payload.offerId).then(() => undefined));
  }

  /** Offers that expired while no instance ran are closed and their slots offered on, when the service comes back. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const report = await this.sweepExpired();
      if (report.expired || report.holdsReleased) this.logger.log({ msg: 'expired offers and holds released at start-up', ...report });
    } catch (error) {
      this.logger.error({ msg: 'start-up sweep of expired offers failed', error: (error as Error).message });
    }
  }

  // ---- A slot frees ------------------------------------------------------------------------------

  /** A cancellation or a move away frees a treatment's slot: offering it is enqueued in the same transaction. */
  async onAppointmentChanged(manager: EntityManager, event: AppointmentChangeEvent): Promise<void> {
    const { appointment } = event;
    if (!isWaitlistType(appointment.type)) return;
    const freed =
      event.change === 'cancelled'
        ? { startsAt: appointment.startsAt, resourceId: appointment.resourceId, locationId: appointment.locationId }
        : event.change === 'rescheduled' && event.previous && event.previous.startsAt.getTime() !== appointment.startsAt.getTime()
          ? event.previous
          : undefined;
    if (!freed?.resourceId) return;
    const now = this.clock.now();
    if (freed.startsAt.getTime() - now.getTime() < MIN_OFFER_LEAD_MINUTES * 60_000) return;
    const job: FreedSlotJob = {
      locationId: freed.locationId,
      type: appointment.type,
      resourceId: freed.resourceId,
      startsAt: freed.startsAt.toISOString(),
      freedAt: now.toISOString(),
      sourceAppointmentId: appointment.id,
      freedBy: appointment.patientId,
    };
    await this.jobs.add(manager, OFFER_SLOT_TASK, job as unknown as Record<string, unknown>, { jobKey: slotJobKey(job) });
  }

  /**
   * Offers a freed slot to the first entry it fits, once: `offered` (the text handed to the outbox, also
   * again after a retry), `open` (an offer stands already), `none` (no entry fits; the slot stays free),
   * `later` (quiet hours: tried again at 08:00), `too-late` (less than 2 hours to go).
   */
  async offerSlot(job: FreedSlotJob): Promise<'offered' | 'open' | 'none' | 'later' | 'too-late'> {
    const now = this.clock.now();
    const startsAt = new Date(job.startsAt);
    const lead = MIN_OFFER_LEAD_MINUTES * 60_000;
    if (startsAt.getTime() - now.getTime() < lead) return 'too-late';
    if (!isAllowedSendingTime(now, CLINIC_ZONE, DEFAULT_REMINDER_POLICY)) {
      const morning = earliestAllowedAtOrAfter(now, CLINIC_ZONE, DEFAULT_REMINDER_POLICY);
      if (startsAt.getTime() - morning.getTime() < lead) return 'too-late';
      await this.jobs.add(this.dataSource.manager, OFFER_SLOT_TASK, job as unknown as Record<string, unknown>, { runAt: morning, jobKey: slotJobKey(job) });
      return 'later';
    }
    const slot: SlotKey = { locationId: job.locationId, type: job.type, resourceId: job.resourceId, startsAt };
    const made = await inTransaction(this.dataSource, async (manager): Promise<OfferToSend | undefined> => {
      // After the slot's lock, in a statement of its own: its snapshot then sees an offer the job before made.
      await this.repository.lockSlot(manager, slot.resourceId, startsAt);
      const open = await this.repository.findOpenOfferForSlot(manager, slot.resourceId, startsAt);
      if (open) return { offer: open };
      return this.findTaker(manager, slot, job);
    });
    if (!made) return 'none';
    await this.sendOffer(made);
    return made.known ? 'offered' : 'open';
  }

  /** Tries the candidates in order; the first that fits every rule gets the slot held and the offer written. */
  private async findTaker(manager: EntityManager, slot: SlotKey, job: FreedSlotJob): Promise<OfferToSend | undefined> {
    const location = await this.locations.find(slot.locationId, manager);
    if (!location) return undefined;
    const zone = location.timezone || CLINIC_ZONE;
    const localDate = clinicDateOf(slot.startsAt, zone);
    const taker = { slot, job, location, localDate };
    // Entries another job was trying: tried again at the end, waiting for their lock, so no slot is left free that one fits.
    const skipped: Candidate[] = [];
    for (let offset = 0; ; offset += CANDIDATE_PAGE) {
      const candidates = await this.repository.findCandidates(manager, slot, localDate, job.freedBy, offset, CANDIDATE_PAGE);
      for (const candidate of candidates) {
        if (!fitsWish(candidate, slot, zone)) continue;
        const attempt = await this.tryCandidate(manager, taker, candidate, 'skip-locked');
        if (attempt === 'skipped') skipped.push(candidate);
        else if (attempt !== 'next') return attempt === 'stop' ? undefined : attempt;
      }
      if (candidates.length < CANDIDATE_PAGE) break;
    }
    for (const candidate of skipped) {
      const attempt = await this.tryCandidate(manager, taker, candidate, 'wait');
      if (attempt !== 'next' && attempt !== 'skipped') return attempt === 'stop' ? undefined : attempt;
    }
    return undefined;
  }

  /**
   * One entry: claimed, then eligibility, the hold and the offer under every booking rule; `skipped` when it
   * could not be claimed, `stop` when nobody can have the slot. In a savepoint, so that an entry that does
   * not take the slot is unlocked again (a job holds the lock of the entry it is trying only).
   */
  private async tryCandidate(
    manager: EntityManager,
    { slot, job, location, localDate }: { slot: SlotKey; job: FreedSlotJob; location: LocationEntity; localDate: string },
    candidate: Candidate,
    locked: 'skip-locked' | 'wait',
  ): Promise<OfferToSend | 'next' | 'skipped' | 'stop'> {
    let claimed = true;
    const attempt = await withSavepoint(manager, 'waitlist_candidate', async () => {
      if (!(await this.repository.claimCandidate(manager, candidate.entryId, locked))) return (claimed = false);
      const eligibility = await this.patients.evaluateEligibility(candidate.patientId, slot.type, manager);
      if (!eligibility.eligible || (eligibility.authorization && localDate > eligibility.authorization.validTo)) return false;
      let held;
      try {
        held = await this.holds.holdForBooking(
          manager,
          { patientId: candidate.patientId, type: slot.type, locationId: slot.locationId, startsAt: slot.startsAt, resourceId: slot.resourceId },
          // The offer's own audit entry names the hold.
          { ttlMinutes: this.config.waitlistOfferMinutes, reason: 'waitlist-offer', audit: false },
          SYSTEM_ACTOR,
        );
      } catch (error) {
        // The slot was booked or held meanwhile (another instance offered it): nobody else can have it.
        if (error instanceof RuleViolation && error.rule === 'resource-overlap') return { stop: true as const };
        throw error;
      }
      if (!held.hold) return SLOT_WIDE_RULES.has(held.decision.rule) ? { stop: true as const } : false;
      const now = this.clock.now();
      const id = await this.repository.insertOffer(manager, {
        ...slot,
        entryId: candidate.entryId,
        patientId: candidate.patientId,
        holdId: held.hold.id,
        freedAt: new Date(job.freedAt),
        offeredAt: now,
        expiresAt: held.hold.expiresAt,
        sourceAppointmentId: job.sourceAppointmentId,
      });
      // The entry or the patient got another offer meanwhile: the hold goes back with the savepoint.
      if (!id) return false;
      await this.audit.record(manager, SYSTEM_ACTOR, 'waitlist.offer', 'waitlist_offer', id, {
        patientId: candidate.patientId,
        entryId: candidate.entryId,
        locationId: slot.locationId,
        startsAt: slot.startsAt.toISOString(),
        holdId: held.hold.id,
      });
      await this.jobs.add(manager, EXPIRE_OFFER_TASK, { offerId: id }, { runAt: held.hold.expiresAt, jobKey: `offer-expire:${id}` });
      return { offerId: id, expiresAt: held.hold.expiresAt };
    });
    if (attempt === false) return claimed ? 'next' : 'skipped';
    if ('stop' in attempt) return 'stop';
    // The offer as written, with the phone and clinic read for it already: no reads before its text.
    const offer = { id: attempt.offerId, patientId: candidate.patientId, locationId: slot.locationId, startsAt: slot.startsAt, expiresAt: attempt.expiresAt };
    return { offer, known: { phone: candidate.phone, location } };
  }

  /** The offer's text, through the outbox (once per offer); a text the provider refused withdraws the offer. */
  private async sendOffer({ offer, known }: OfferToSend): Promise<void> {
    const [contact, location] = known
      ? [{ phone: known.phone }, known.location]
      : await Promise.all([this.repository.findPatientContact(this.dataSource.manager, offer.patientId), this.locations.find(offer.locationId)]);
    if (!contact || !location) return;
    const body = renderOfferText({ clinic: location, zone: location.timezone || CLINIC_ZONE, startsAt: offer.startsAt, expiresAt: offer.expiresAt });
    const sent = await this.outbox.sendOnce({
      idempotencyKey: `offer:${offer.id}`,
      purpose: 'waitlist_offer',
      reminderId: null,
      to: contact.phone,
      body,
      offerId: offer.id,
    });
    if (sent === 'failed') {
      await inTransaction(this.dataSource, async (manager) => {
        const locked = await this.repository.lockOffer(manager, offer.id);
        if (locked?.status === 'offered') await this.close(manager, locked, 'withdrawn', 'the offer text could not be sent');
      });
    }
  }

  // ---- Answers -----------------------------------------------------------------------------------

  /** YES: the held slot is booked for the patient (hold converted in the caller's transaction), or they are told it is gone. */
  async accept(manager: EntityManager, offerId: string, actor: Actor): Promise<OfferAnswer> {
    const offer = await this.repository.lockOffer(manager, offerId);
    if (!offer) return { outcome: 'offer-closed' };
    const location = await this.locations.findOrFail(offer.locationId, manager);
    const zone = location.timezone || CLINIC_ZONE;
    const taken = renderTakenText({ clinic: location, zone });
    if (offer.status !== 'offered') {
      await this.toWorklist(manager, offer, `A YES to a waitlist offer that is ${offer.status} already; the patient was told the time is gone.`);
      return { outcome: 'offer-closed', body: taken };
    }
    if (offer.expiresAt <= this.clock.now()) {
      await this.close(manager, offer, 'expired');
      await this.toWorklist(manager, offer, 'A YES after the waitlist offer had expired; the patient was told the time is gone.');
      return { outcome: 'offer-expired', body: taken };
    }
    let refusal: RuleViolation | undefined;
    const holdId = offer.holdId;
    const booked = holdId
      ? await withSavepoint(manager, 'waitlist_accept', async () => {
          try {
            const request = {
              patientId: offer.patientId,
              type: offer.type,
              locationId: offer.locationId,
              startsAt: offer.startsAt,
              resourceId: offer.resourceId,
            };
            return await this.holds.convert(manager, holdId, request, actor);
          } catch (error) {
            if (!(error instanceof RuleViolation)) throw error;
            refusal = error;
            return false;
          }
        })
      : false;
    if (booked === false) {
      await this.close(manager, offer, 'withdrawn', `the booking was refused (${refusal?.rule ?? 'hold-expired'})`);
      await this.toWorklist(manager, offer, `A YES to a waitlist offer, but the booking was refused (${refusal?.rule ?? 'hold-expired'}): call the patient.`);
      return { outcome: 'refused', body: taken };
    }
    const now = this.clock.now();
    await this.repository.closeOffer(manager, offer.id, { status: 'accepted', at: now, appointmentId: booked.appointment.id });
    await this.repository.closeEntry(manager, offer.entryId, 'booked', now, booked.appointment.id);
    await this.audit.record(manager, actor, 'waitlist.offer.accept', 'waitlist_offer', offer.id, {
      patientId: offer.patientId,
      appointmentId: booked.appointment.id,
    });
    // The booking's own confirmation text tells the patient (planned with the booking, sent by the dispatcher).
    return { outcome: 'booked', booked };
  }

  /** NO: the slot goes to the next entry; the patient stays on the list. */
  async decline(manager: EntityManager, offerId: string, actor: Actor): Promise<OfferAnswer> {
    const offer = await this.repository.lockOffer(manager, offerId);
    if (!offer || offer.status !== 'offered') return { outcome: 'offer-closed' };
    const location = await this.locations.findOrFail(offer.locationId, manager);
    await this.close(manager, offer, 'declined');
    await this.audit.record(manager, actor, 'waitlist.offer.decline', 'waitlist_offer', offer.id, { patientId: offer.patientId });
    return { outcome: 'declined', body: renderOfferDeclinedText({ clinic: location, zone: location.timezone || CLINIC_ZONE }) };
  }

  /** STOP in the middle of an offer: it is withdrawn (no more texts may go to them) and offered on. */
  async onOptOut(manager: EntityManager, patientIds: string[]): Promise<void> {
    for (const offer of await this.repository.lockOpenOffers(manager, { patientIds }))
      await this.close(manager, offer, 'withdrawn', 'the patient opted out of texts');
  }

  /** The entry was taken off the list: its open offer is withdrawn and offered on. */
  async withdrawForEntry(manager: EntityManager, entryId: string): Promise<void> {
    for (const offer of await this.repository.lockOpenOffers(manager, { entryId }))
      await this.close(manager, offer, 'withdrawn', 'the waitlist entry was removed');
  }

  // ---- Expiry ------------------------------------------------------------------------------------

  /** The expiry job: an unanswered offer closes, the front desk hears of it, and the slot goes to the next entry. */
  async expire(offerId: string): Promise<'expired' | 'not-yet' | 'closed'> {
    return inTransaction(this.dataSource, async (manager) => {
      const offer = await this.repository.lockOffer(manager, offerId);
      if (!offer || offer.status !== 'offered') return 'closed';
      if (offer.expiresAt > this.clock.now()) {
        // Run early (clocks apart): look again at the expiry.
        await this.jobs.add(manager, EXPIRE_OFFER_TASK, { offerId }, { runAt: offer.expiresAt, jobKey: `offer-expire:${offerId}` });
        return 'not-yet';
      }
      await this.close(manager, offer, 'expired');
      await this.toWorklist(
        manager,
        offer,
        'A waitlist offer expired unanswered; the time was offered to the next patient on the list, if one fits.',
        'offer-expired',
      );
      return 'expired';
    });
  }

  /** Closes every offer past its expiry and releases every expired hold (start-up; safe on any number of instances). */
  async sweepExpired(): Promise<{ expired: number; holdsReleased: number }> {
    let expired = 0;
    for (;;) {
      const ids = await this.repository.findDueOfferIds(this.clock.now(), 100);
      for (const id of ids) if ((await this.expire(id)) === 'expired') expired++;
      if (ids.length < 100) break;
    }
    const released = await inTransaction(this.dataSource, (manager) => this.holds.releaseExpired(manager));
    return { expired, holdsReleased: released.length };
  }

  // ---- Helpers -----------------------------------------------------------------------------------

  /** Closes an open offer, releases its hold, and (unless it was taken) offers the slot on, in the caller's transaction. */
  private async close(manager: EntityManager, offer: WaitlistOfferEntity, status: 'declined' | 'expired' | 'withdrawn', reason?: string): Promise<void> {
    const now = this.clock.now();
    if (!(await this.repository.closeOffer(manager, offer.id, { status, at: now, reason }))) return;
    if (offer.holdId) await this.holds.release(manager, offer.holdId);
    const next: FreedSlotJob = {
      locationId: offer.locationId,
      type: offer.type as WaitlistType,
      resourceId: offer.resourceId,
      startsAt: offer.startsAt.toISOString(),
      freedAt: offer.freedAt.toISOString(),
      sourceAppointmentId: offer.sourceAppointmentId,
      freedBy: null,
    };
    await this.jobs.add(manager, OFFER_SLOT_TASK, next as unknown as Record<string, unknown>, { jobKey: slotJobKey(next) });
  }

  private async toWorklist(
    manager: EntityManager,
    offer: WaitlistOfferEntity,
    detail: string,
    kind: 'offer-expired' | 'unmatched-reply' = 'unmatched-reply',
  ): Promise<void> {
    await this.worklist.add(manager, {
      kind,
      locationId: offer.locationId,
      patientId: offer.patientId,
      detail: `${detail} Offered time: ${toClinicIso(offer.startsAt)}.`,
      dedupeKey: `${kind}:offer:${offer.id}`,
    });
  }
}
