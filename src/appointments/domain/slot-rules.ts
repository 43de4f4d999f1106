import { clinicInstant, localParts } from '../../common/clinic-time';
import type { ResourceKind } from '../../locations/domain/resources';
import { LONGEST_HOLD_MINUTES, type AppointmentPlan, type Interval } from './appointment-types';

/** Rule names, as a 409's `rule` says them. */
export type BookingRule =
  | 'start-in-past'
  | 'clinic-closed'
  | 'outside-opening-hours'
  | 'patient-overlap'
  | 'resource-overlap'
  | 'no-resource-available'
  | 'nurse-capacity'
  | 'prescriber-on-site'
  | 'provider-not-on-shift'
  | 'provider-overlap'
  | 'no-provider-available';

export interface Busy extends Interval {
  /** The appointment holding the time (for a hold: the hold's id, and `holdId` says so). */
  appointmentId: string;
  /** Set when a hold (a slot kept for a waitlist offer) holds the time, not an appointment. */
  holdId?: string;
}

/** A hold whose time is up but whose row is still there: it holds nothing any more, and a booking releases it. */
export interface ExpiredHold extends Interval {
  holdId: string;
  resourceId: string;
}

export interface StaffShift extends Interval {
  staffId: string;
}

/** Everything the rules look at, loaded for one location and a span of time. */
export interface BookingContext {
  zone: string;
  now: Date;
  /** ISO weekday → local opening hours "HH:mm"; a missing weekday is closed. */
  hours: Map<number, { opens: string; closes: string }>;
  closedDates: Set<string>;
  /** Active resources of the location, in the order the service picks them. */
  resources: Array<{ id: string; kind: ResourceKind }>;
  /** Active segments per resource (appointments' and unexpired holds'), sorted by start (insertSorted keeps them so). */
  resourceBusy: Map<string, Busy[]>;
  /** Holds past their expiry still on the calendar: free time, whose rows a booking there deletes first. */
  expiredHolds?: ExpiredHold[];
  /** Active occupancies of the patient (any clinic); empty when no patient is given. */
  patientBusy: Busy[];
  /** Observation / recovery windows of active appointments at the location, sorted by start. */
  observations: Busy[];
  nurseShifts: StaffShift[];
  /** Provider shifts at the location. */
  providerShifts: StaffShift[];
  /** Provider shifts anywhere (telehealth visits). */
  providerShiftsAnywhere?: StaffShift[];
  /** Active intake / follow-up visits per provider, sorted by start. */
  providerBusy: Map<string, Busy[]>;
  observationPatientsPerNurse: number;
}

export interface SlotRequest {
  resourceId?: string;
  /**
   * The patient the resource is picked for, when `resourceId` is not given: free resources are tried in
   * that patient's own stable order (see resourcePreference), not by name.
   */
  patientId?: string;
  providerId?: string;
  telehealth?: boolean;
}

export interface Conflict {
  appointmentId?: string;
  /** A hold (a slot kept for a waitlist offer) in the way. */
  holdId?: string;
  resourceId?: string;
  reason: string;
}

/** Who holds a busy interval, as a conflict names it. */
const holder = (b: Busy) => (b.holdId ? { holdId: b.holdId } : { appointmentId: b.appointmentId });

export type SlotDecision =
  { ok: true; segmentResourceIds: string[]; providerId: string | null } | { ok: false; rule: BookingRule; detail: string; conflicts: Conflict[] };

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

const covers = (shift: Interval, span: Interval) => shift.start <= span.start && shift.end >= span.end;

/** Whether the union of `shifts` covers the whole of `span`. */
export function unionCovers(shifts: Interval[], span: Interval): boolean {
  const sorted = shifts.filter((s) => overlaps(s, span)).sort((a, b) => a.start.getTime() - b.start.getTime());
  let reached = span.start;
  for (const shift of sorted) {
    if (shift.start > reached) return false;
    if (shift.end > reached) reached = shift.end;
    if (reached >= span.end) return true;
  }
  return reached >= span.end;
}

function refuse(rule: BookingRule, detail: string, conflicts: Conflict[] = []): SlotDecision {
  return { ok: false, rule, detail, conflicts };
}

/** [label]/[practice] calendar rules: the whole occupancy inside one day's opening hours, not on a closure. */
export function checkCalendar(plan: AppointmentPlan, context: BookingContext): SlotDecision | undefined {
  const start = localParts(plan.occupancy.start, context.zone);
  const date = start.date;
  if (context.closedDates.has(date)) return refuse('clinic-closed', `The clinic is closed on ${date}.`);
  const hours = context.hours.get(start.weekday);
  if (!hours) return refuse('outside-opening-hours', `The clinic is not open on ${WEEKDAY_NAMES[start.weekday]}s.`);
  const opens = clinicInstant(date, hours.opens, context.zone)?.getTime() ?? Infinity;
  const closes = clinicInstant(date, hours.closes, context.zone)?.getTime() ?? -Infinity;
  if (plan.occupancy.start.getTime() < opens || plan.occupancy.end.getTime() > closes) {
    const end = localParts(plan.occupancy.end, context.zone);
    return refuse(
      'outside-opening-hours',
      `The whole occupancy (${start.time}–${end.time}) must lie within opening hours ${hours.opens}–${hours.closes} on ${date}.`,
    );
  }
  return undefined;
}

/** Patients in observation/recovery never exceed nurses on shift × observationPatientsPerNurse, at any moment. */
export function checkNurseCapacity(window: Interval, context: BookingContext, excludeAppointmentId?: string): SlotDecision | undefined {
  const others = overlappingBounded(context.observations, window, excludeAppointmentId);
  const shifts = context.nurseShifts.filter((s) => overlaps(s, window));
  const points = new Set<number>([window.start.getTime(), window.end.getTime()]);
  for (const item of [...others, ...shifts]) {
    if (item.start > window.start && item.start < window.end) points.add(item.start.getTime());
    if (item.end > window.start && item.end < window.end) points.add(item.end.getTime());
  }
  const sorted = [...points].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length - 1; i++) {
    const moment = { start: new Date(sorted[i]), end: new Date(sorted[i + 1]) };
    const watching = others.filter((o) => overlaps(o, moment));
    const nurses = new Set(shifts.filter((s) => covers(s, moment)).map((s) => s.staffId)).size;
    const capacity = nurses * context.observationPatientsPerNurse;
    if (watching.length + 1 > capacity) {
      const at = localParts(moment.start, context.zone).time;
      return refuse(
        'nurse-capacity',
        nurses === 0
          ? `No nurse is on shift at ${at} to watch the patient's observation or recovery.`
          : `At ${at} ${watching.length} patients are already in observation or recovery and ${nurses} nurse(s) on shift may watch ${capacity}.`,
        watching.map((o) => ({ appointmentId: o.appointmentId, reason: 'in observation or recovery at the same time' })),
      );
    }
  }
  return undefined;
}

/**
 * The intervals of `list` that overlap `span`. `list` is sorted by start and its intervals never overlap
 * one another (one resource's segments, one provider's visits: the exclusion constraints see to it), so
 * their ends are sorted too and a binary search finds the first candidate.
 */
export function overlappingSorted(list: Busy[], span: Interval, exclude?: string): Busy[] {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].end <= span.start) low = middle + 1;
    else high = middle;
  }
  const found: Busy[] = [];
  for (let i = low; i < list.length && list[i].start < span.end; i++) {
    if (list[i].appointmentId !== exclude) found.push(list[i]);
  }
  return found;
}

const LONGEST_HOLD_MS = LONGEST_HOLD_MINUTES * 60_000;

/**
 * The intervals of `list` that overlap `span`, for a list sorted by start whose intervals may overlap one
 * another (observation windows of different patients) but are never longer than LONGEST_HOLD_MS.
 */
export function overlappingBounded(list: Busy[], span: Interval, exclude?: string): Busy[] {
  const earliest = span.start.getTime() - LONGEST_HOLD_MS;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].start.getTime() < earliest) low = middle + 1;
    else high = middle;
  }
  const found: Busy[] = [];
  for (let i = low; i < list.length && list[i].start < span.end; i++) {
    if (list[i].end > span.start && list[i].appointmentId !== exclude) found.push(list[i]);
  }
  return found;
}

/** Adds an interval to a list kept sorted by start (see overlappingSorted). */
export function insertSorted(list: Busy[], busy: Busy): void {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].start <= busy.start) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, busy);
}

function freeResource(resourceId: string, span: Interval, context: BookingContext, exclude?: string): Busy[] {
  return overlappingSorted(context.resourceBusy.get(resourceId) ?? [], span, exclude);
}

/**
 * Decides whether `plan` can be booked in `context`, and on which resources. The same function serves
 * booking and availability, so that availability lists exactly what booking accepts.
 */
export function evaluateSlot(plan: AppointmentPlan, context: BookingContext, request: SlotRequest = {}, excludeAppointmentId?: string): SlotDecision {
  if (plan.startsAt < context.now) {
    return refuse('start-in-past', 'The appointment would start in the past.');
  }
  const calendar = checkCalendar(plan, context);
  if (calendar) return calendar;

  const patientClash = context.patientBusy.filter((b) => b.appointmentId !== excludeAppointmentId && overlaps(b, plan.occupancy));
  if (patientClash.length) {
    return refuse(
      'patient-overlap',
      'The patient already has an appointment at that time.',
      patientClash.map((b) => ({ appointmentId: b.appointmentId, reason: 'the patient is booked then' })),
    );
  }

  const segmentResourceIds: string[] = [];
  for (const [index, segment] of plan.segments.entries()) {
    const candidates = context.resources.filter((r) => r.kind === segment.resourceKind);
    const requested = index === 0 ? request.resourceId : undefined;
    if (requested) {
      const clash = freeResource(requested, segment, context, excludeAppointmentId);
      if (clash.length) {
        return refuse(
          'resource-overlap',
          'The resource is occupied for part of that time.',
          clash.map((b) => ({
            ...holder(b),
            resourceId: requested,
            reason: b.holdId ? 'the resource is held for an offer then' : 'the resource is held then',
          })),
        );
      }
      segmentResourceIds.push(requested);
      continue;
    }
    const ordered = request.patientId && candidates.length > 1 ? inPreferenceOrder(candidates, request.patientId) : candidates;
    const free = ordered.find((r) => freeResource(r.id, segment, context, excludeAppointmentId).length === 0);
    if (!free) {
      const conflicts = candidates.flatMap((r) =>
        freeResource(r.id, segment, context, excludeAppointmentId).map((b) => ({
          ...holder(b),
          resourceId: r.id,
          reason: `every ${segment.resourceKind.replace('_', ' ')} is held then`,
        })),
      );
      return refuse(
        'no-resource-available',
        candidates.length
          ? `No ${segment.resourceKind.replace('_', ' ')} is free for the whole ${segment.kind} time.`
          : `This clinic has no ${segment.resourceKind.replace('_', ' ')}.`,
        conflicts,
      );
    }
    segmentResourceIds.push(free.id);
  }

  if (plan.observation) {
    const capacity = checkNurseCapacity(plan.observation, context, excludeAppointmentId);
    if (capacity) return capacity;
  }

  if (plan.prescriberWindow && !unionCovers(context.providerShifts, plan.prescriberWindow)) {
    return refuse(
      'prescriber-on-site',
      'Spravato needs a prescriber on site from dosing to the end of monitoring (REMS); no provider is on shift for all of that time.',
    );
  }

  let providerId: string | null = null;
  if (plan.needsProvider) {
    const shifts = request.telehealth ? (context.providerShiftsAnywhere ?? context.providerShifts) : context.providerShifts;
    const span = { start: plan.startsAt, end: plan.endsAt };
    const onShift = (id: string) =>
      unionCovers(
        shifts.filter((s) => s.staffId === id),
        span,
      );
    const busy = (id: string) => overlappingSorted(context.providerBusy.get(id) ?? [], span, excludeAppointmentId);
    if (request.providerId) {
      if (!onShift(request.providerId)) {
        return refuse('provider-not-on-shift', request.telehealth ? 'The provider is not working then.' : 'The provider is not on shift at this clinic then.');
      }
      const clash = busy(request.providerId);
      if (clash.length) {
        return refuse(
          'provider-overlap',
          'The provider already sees a patient then.',
          clash.map((b) => ({ appointmentId: b.appointmentId, reason: 'the provider is booked then' })),
        );
      }
      providerId = request.providerId;
    } else {
      const ids = [...new Set(shifts.map((s) => s.staffId))].sort();
      providerId = ids.find((id) => onShift(id) && busy(id).length === 0) ?? null;
      if (!providerId) return refuse('no-provider-available', 'No provider is on shift and free for the whole visit.');
    }
  }

  return { ok: true, segmentResourceIds, providerId };
}

/**
 * A patient's stable preference among resources (rendezvous hashing: each resource scores
 * hash(patient, resource), highest first). The same patient gets the same chair or device whenever it is
 * free, which keeps a TMS course on one device; different patients spread over the resources, so
 * concurrent bookings of one time rarely reach for the same one. Adding or retiring a resource moves only
 * the patients whose first choice it is.
 */
export function resourcePreference(patientId: string, resourceId: string): number {
  // FNV-1a (32 bits) over both ids.
  let hash = 0x811c9dc5;
  const key = `${patientId}/${resourceId}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** `resources` in the patient's order of preference (ties, which are vanishingly rare, by id). */
export function inPreferenceOrder<T extends { id: string }>(resources: T[], patientId: string): T[] {
  return resources
    .map((resource) => ({ resource, score: resourcePreference(patientId, resource.id) }))
    .sort((a, b) => b.score - a.score || (a.resource.id < b.resource.id ? -1 : 1))
    .map((entry) => entry.resource);
}
