import { clinicInstant, localParts, type LocalParts } from '../../common/clinic-time';
import { holidayOn } from '../../locations/domain/holidays';
import type { ResourceKind } from '../../locations/domain/resources';
import type { AppointmentPlan, Interval } from './appointment-types';
import { authorizationRefusal, type AuthorizationRule, type AuthorizationWindow } from './authorization-limit';
import { horizonRefusal } from './booking-horizon';
import { type CourseSlot, courseSpacingRefusal } from './course-spacing';
import { overlappingBounded, overlappingSorted } from './busy-lists';
import { inPreferenceOrder } from './resource-preference';
import { sameDayRefusal, sevenDayRefusal, type TreatmentVisit } from './treatment-frequency';

export { inPreferenceOrder, resourcePreference } from './resource-preference';
export { insertSorted, overlappingBounded, overlappingSorted } from './busy-lists';

/** Rule names, as a 409's `rule` says them. */
export type BookingRule =
  | 'start-in-past'
  | 'booking-horizon'
  | 'clinic-closed'
  | 'outside-opening-hours'
  | 'patient-overlap'
  | 'resource-overlap'
  | 'no-resource-available'
  | 'nurse-capacity'
  | 'prescriber-on-site'
  | 'provider-not-on-shift'
  | 'provider-overlap'
  | 'no-provider-available'
  | 'treatment-frequency'
  | 'course-spacing'
  | AuthorizationRule;

export interface Busy extends Interval {
  /** The appointment holding the time (for a hold: the hold's id, and `holdId` says so). */
  appointmentId: string;
  /** Set when a hold (a slot kept for a waitlist offer or a FHIR `$hold`) holds the time, not an appointment. */
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
  /** Public holidays the clinic opens on deliberately (every other holiday is closed: see closureOn). */
  holidayOpenings?: ReadonlySet<string>;
  /** The latest start the booking horizon allows; none: no horizon (a test's hand-made context). */
  latestStart?: Date;
  /** The patient's treatment appointments (any clinic, not cancelled or no-show) from a week before the span to a week after. */
  patientTreatments?: TreatmentVisit[];
  /** The patient's authorizations for the treatment booked, each with what it already counts. */
  authorizations?: AuthorizationWindow[];
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
  /** The course the appointment belongs to (its spacing rules; an accelerated TMS course has several sessions a day). */
  course?: CourseSlot;
  /** Accelerated TMS (several sessions a day): a session of such a course, or a course of it being planned. */
  accelerated?: boolean;
  /**
   * A provider's documented override: the rules a provider may override (a third Spravato in 7 days, the
   * authorization's sessions and window) do not refuse; the decision lists them in `overridden`.
   */
  override?: boolean;
  /** Rules the caller decides itself (course planning checks the authorization and the horizon over the whole course). */
  waive?: readonly BookingRule[];
  /**
   * The caller needs only whether the slot is free (availability, over every grid start): a refusal for
   * want of a free resource then lists no conflicts, whose gathering over every busy chair cost more than
   * the decision itself.
   */
  decisionOnly?: boolean;
}

export interface Conflict {
  appointmentId?: string;
  /** A hold (a slot kept for a waitlist offer or a FHIR `$hold`) in the way. */
  holdId?: string;
  resourceId?: string;
  reason: string;
}

/** A refusal a provider's override set aside. */
export interface Overridden {
  rule: BookingRule;
  detail: string;
}
/** Who holds a busy interval, as a conflict names it. */
const holder = (b: Busy) => (b.holdId ? { holdId: b.holdId } : { appointmentId: b.appointmentId });

export type SlotDecision =
  | { ok: true; segmentResourceIds: string[]; providerId: string | null; overridden?: Overridden[] }
  | { ok: false; rule: BookingRule; detail: string; conflicts: Conflict[]; overridable?: boolean };

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

// Epoch numbers: < between two Dates converts both through valueOf (see overlappingSorted).
/** Whether `item` overlaps [from, to), epoch milliseconds. */
const overlapsMs = (item: Interval, from: number, to: number) => item.start.getTime() < to && from < item.end.getTime();
/** Whether `item` covers the whole of [from, to), epoch milliseconds. */
const coversMs = (item: Interval, from: number, to: number) => item.start.getTime() <= from && item.end.getTime() >= to;
const overlaps = (a: Interval, b: Interval) => overlapsMs(a, b.start.getTime(), b.end.getTime());

/** Whether the union of `shifts` covers the whole of `span`. */
export function unionCovers(shifts: Interval[], span: Interval): boolean {
  const sorted = shifts.filter((s) => overlaps(s, span)).sort((a, b) => a.start.getTime() - b.start.getTime());
  const end = span.end.getTime();
  let reached = span.start.getTime();
  for (const shift of sorted) {
    if (shift.start.getTime() > reached) return false;
    reached = Math.max(reached, shift.end.getTime());
    if (reached >= end) return true;
  }
  return reached >= end;
}

function refuse(rule: BookingRule, detail: string, conflicts: Conflict[] = []): SlotDecision {
  return { ok: false, rule, detail, conflicts };
}

/**
 * Why the clinic is closed on a local date, or undefined: a closure added for that day, or one of the public
 * holidays (every year, by rule) unless the clinic opens on it deliberately.
 */
export function closureOn(date: string, context: Pick<BookingContext, 'closedDates' | 'holidayOpenings'>): string | undefined {
  if (context.closedDates.has(date)) return `The clinic is closed on ${date}.`;
  const holiday = holidayOn(date);
  if (holiday && !context.holidayOpenings?.has(date)) return `The clinic is closed on ${date} (${holiday.name}).`;
  return undefined;
}

/** [label]/[practice] calendar rules: the whole occupancy inside one day's opening hours, not on a closure. */
export function checkCalendar(
  plan: AppointmentPlan,
  context: BookingContext,
  start: LocalParts = localParts(plan.occupancy.start, context.zone),
): SlotDecision | undefined {
  const date = start.date;
  const closed = closureOn(date, context);
  if (closed) return refuse('clinic-closed', closed);
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
  // Epoch numbers throughout: availability asks this of every start of a week.
  const from = window.start.getTime();
  const to = window.end.getTime();
  const others = overlappingBounded(context.observations, window, excludeAppointmentId);
  const shifts = context.nurseShifts.filter((s) => overlapsMs(s, from, to));
  // Enough nurses on shift for the whole window to watch everyone who could be there at once: no moment can be short.
  const throughout = new Set(shifts.filter((s) => coversMs(s, from, to)).map((s) => s.staffId)).size;
  if (others.length + 1 <= throughout * context.observationPatientsPerNurse) return undefined;
  const points = new Set<number>([from, to]);
  for (const item of [...others, ...shifts]) {
    const start = item.start.getTime();
    const end = item.end.getTime();
    if (start > from && start < to) points.add(start);
    if (end > from && end < to) points.add(end);
  }
  const sorted = [...points].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length - 1; i++) {
    const [momentStart, momentEnd] = [sorted[i], sorted[i + 1]];
    const watching = others.filter((o) => overlapsMs(o, momentStart, momentEnd));
    const nurses = new Set(shifts.filter((s) => coversMs(s, momentStart, momentEnd)).map((s) => s.staffId)).size;
    const capacity = nurses * context.observationPatientsPerNurse;
    if (watching.length + 1 > capacity) {
      const at = localParts(new Date(momentStart), context.zone).time;
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

function freeResource(resourceId: string, span: Interval, context: BookingContext, exclude?: string): Busy[] {
  return overlappingSorted(context.resourceBusy.get(resourceId) ?? [], span, exclude);
}

/**
 * Decides whether `plan` can be booked in `context`, and on which resources. The same function serves
 * booking and availability, so that availability lists exactly what booking accepts.
 */
export function evaluateSlot(plan: AppointmentPlan, context: BookingContext, request: SlotRequest = {}, excludeAppointmentId?: string): SlotDecision {
  const waived = (rule: BookingRule) => request.waive?.includes(rule) ?? false;
  if (plan.startsAt.getTime() < context.now.getTime()) {
    return refuse('start-in-past', 'The appointment would start in the past.');
  }
  if (context.latestStart && !waived('booking-horizon')) {
    const tooFar = horizonRefusal(plan.startsAt, context.latestStart, context.zone);
    if (tooFar) return refuse(tooFar.rule, tooFar.detail);
  }
  // The occupancy starts with the appointment: its local date and time serve every rule below.
  const local = localParts(plan.startsAt, context.zone);
  const calendar = checkCalendar(plan, context, local);
  if (calendar) return calendar;

  const patientClash = context.patientBusy.filter((b) => b.appointmentId !== excludeAppointmentId && overlaps(b, plan.occupancy));
  if (patientClash.length) {
    return refuse(
      'patient-overlap',
      'The patient already has an appointment at that time.',
      patientClash.map((b) => ({ appointmentId: b.appointmentId, reason: 'the patient is booked then' })),
    );
  }

  const date = local.date;
  const visits = (context.patientTreatments ?? []).filter((v) => v.appointmentId !== excludeAppointmentId);
  const candidate = { type: plan.type, date, accelerated: request.accelerated ?? false };
  const sameDay = sameDayRefusal(candidate, visits);
  if (sameDay) return refuse(sameDay.rule, sameDay.detail, asConflicts(sameDay.appointmentIds, 'a treatment of the patient that day'));
  if (request.course) {
    const spacing = courseSpacingRefusal(request.course, { date, startsAt: plan.startsAt }, visits);
    if (spacing) return refuse(spacing.rule, spacing.detail, asConflicts(spacing.appointmentIds, 'a session of the same course'));
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
            reason: b.holdId ? 'the resource is on hold then' : 'the resource is held then',
          })),
        );
      }
      segmentResourceIds.push(requested);
      continue;
    }
    const ordered = request.patientId && candidates.length > 1 ? inPreferenceOrder(candidates, request.patientId) : candidates;
    const free = ordered.find((r) => freeResource(r.id, segment, context, excludeAppointmentId).length === 0);
    if (!free) {
      const conflicts = request.decisionOnly
        ? []
        : candidates.flatMap((r) =>
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

  // Last, the rules a provider may override: only a slot that passes everything else is worth overriding for.
  const overridden: Overridden[] = [];
  const soft: Array<{ rule: BookingRule; detail: string; appointmentIds?: string[] } | undefined> = [
    sevenDayRefusal(candidate, visits),
    authorizationRefusal(date, context.authorizations ?? [], excludeAppointmentId),
  ];
  for (const refusal of soft) {
    if (!refusal || waived(refusal.rule)) continue;
    if (!request.override) {
      return {
        ...refuse(refusal.rule, refusal.detail, asConflicts(refusal.appointmentIds ?? [], 'counts against the limit')),
        overridable: true,
      } as SlotDecision;
    }
    overridden.push({ rule: refusal.rule, detail: refusal.detail });
  }

  return { ok: true, segmentResourceIds, providerId, ...(overridden.length ? { overridden } : {}) };
}

const asConflicts = (appointmentIds: string[], reason: string): Conflict[] => appointmentIds.map((appointmentId) => ({ appointmentId, reason }));
