import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { RuleViolation } from '../common/problems';
import { withSavepoint } from '../common/transaction';
import { Booked, BookingRequest, BookingService } from './booking.service';
import type { SlotDecision } from './domain/slot-rules';
import { HeldSegment, HoldRow, HoldsRepository } from './holds.repository';

export type { HeldSegment } from './holds.repository';

/** A hold as its holder sees it. */
export type Hold = HoldRow;

export interface HoldOptions {
  /** How long the hold lasts; from then on it holds nothing (it expires by itself). */
  ttlMinutes: number;
  /** Why, for operators: `waitlist-offer`, `fhir-hold` … */
  reason: string;
  /** False when the caller audits what the hold is for itself (a waitlist offer names its hold). Default true. */
  audit?: boolean;
}

/**
 * Holds a slot for a while without booking it: a waitlist offer waiting for the patient's YES, or an
 * integration's `$hold`. A hold occupies its resources in the same exclusion constraint as bookings
 * (its segments are rows of appointment_segments), so a slot is never held and booked, nor held twice;
 * availability and booking see it through the one calendar read and `evaluateSlot`. It expires by itself:
 * from `expiresAt` on the calendar ignores it, a booking there deletes the row, and `releaseExpired`
 * sweeps the rest (at start-up too). All methods work in the caller's transaction.
 */
@Injectable()
export class HoldService {
  constructor(
    private readonly holds: HoldsRepository,
    private readonly booking: BookingService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /**
   * Holds exactly these segments (each a resource for a span); 409 `resource-overlap` when any of it is
   * booked or held. Does not judge the clinic's rules: `holdForBooking` does.
   */
  async hold(
    manager: EntityManager,
    slot: { locationId: string; patientId?: string | null; segments: HeldSegment[] },
    options: HoldOptions,
    actor: Actor,
  ): Promise<Hold> {
    return this.insertHold(manager, slot, options, actor, true);
  }

  private async insertHold(
    manager: EntityManager,
    slot: { locationId: string; patientId?: string | null; segments: HeldSegment[] },
    options: HoldOptions,
    actor: Actor,
    clearExpired: boolean,
  ): Promise<Hold> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + options.ttlMinutes * 60_000);
    const id = await withSavepoint(manager, 'resource_hold', async () => {
      // An expired hold still on the calendar holds nothing: out of the way first.
      if (clearExpired) for (const segment of slot.segments) await this.holds.deleteExpiredInTheWay(manager, [segment.resourceId], segment, now);
      const inserted = await this.holds.insert(manager, {
        locationId: slot.locationId,
        patientId: slot.patientId ?? null,
        reason: options.reason,
        expiresAt,
        createdBy: actor.id,
        segments: slot.segments,
      });
      return inserted ?? false;
    });
    if (id === false) throw new RuleViolation('resource-overlap', 'The resource is booked or held for part of that time.');
    if (options.audit !== false)
      await this.audit.record(manager, actor, 'hold.create', 'resource_hold', id, {
        locationId: slot.locationId,
        reason: options.reason,
        expiresAt: expiresAt.toISOString(),
        ...(slot.patientId ? { patientId: slot.patientId } : {}),
      });
    return { id, locationId: slot.locationId, patientId: slot.patientId ?? null, reason: options.reason, expiresAt, segments: slot.segments };
  }

  /**
   * Judges a booking request under every rule (as `BookingService.book` would, the patient's own calendar
   * included) and, when it would be accepted, holds what it would occupy. `decision` says why not otherwise.
   */
  async holdForBooking(
    manager: EntityManager,
    request: BookingRequest,
    options: HoldOptions,
    actor: Actor,
  ): Promise<{ hold: Hold; decision: Extract<SlotDecision, { ok: true }> } | { hold?: undefined; decision: Extract<SlotDecision, { ok: false }> }> {
    const prepared = await this.booking.prepare(manager, request);
    const decision = this.booking.decide(request, prepared);
    if (!decision.ok) return { decision };
    const segments = prepared.plan.segments.map((segment, index) => ({
      resourceId: decision.segmentResourceIds[index],
      kind: segment.kind,
      start: segment.start,
      end: segment.end,
    }));
    // The calendar just read says whether an expired hold is in the way (usually not: no statement for it).
    const inTheWay = (prepared.context.expiredHolds ?? []).some((h) =>
      segments.some((s) => s.resourceId === h.resourceId && h.start < s.end && s.start < h.end),
    );
    const hold = await this.insertHold(manager, { locationId: request.locationId, patientId: request.patientId, segments }, options, actor, inTheWay);
    return { hold, decision };
  }

  /** Lets the slot go (an offer declined or withdrawn): false when there was no such hold any more. */
  async release(manager: EntityManager, holdId: string): Promise<boolean> {
    return this.holds.delete(manager, holdId);
  }

  /** Deletes holds past their expiry (at most `limit`): their ids. Safe on any number of instances at once. */
  async releaseExpired(manager: EntityManager, limit = 500): Promise<string[]> {
    return this.holds.deleteAllExpired(manager, this.clock.now(), limit);
  }

  find(holdId: string, manager?: EntityManager): Promise<Hold | undefined> {
    return this.holds.findById(holdId, manager);
  }

  /**
   * Books the held slot: the hold is deleted and the booking written in the caller's transaction, under
   * every rule again (this time without the hold in the way), on the held resource unless the request
   * names one. An expired or missing hold is a 409 `hold-expired`; a refused booking rolls back with the
   * caller's transaction (or savepoint), hold included.
   */
  async convert(manager: EntityManager, holdId: string, request: BookingRequest, actor: Actor): Promise<Booked> {
    const hold = await this.holds.lockById(manager, holdId);
    if (!hold || hold.expiresAt <= this.clock.now()) throw new RuleViolation('hold-expired', 'The hold has expired: the slot is no longer kept.');
    await this.holds.delete(manager, holdId);
    return this.booking.book(manager, { ...request, resourceId: request.resourceId ?? hold.segments[0]?.resourceId }, actor);
  }
}
