import type { AppointmentType } from '../../appointments/domain/vocabulary';
import { APPOINTMENT_TYPE_DEFINITIONS, planAppointment } from '../../appointments/domain/appointment-types';
import { Busy, BookingContext, BookingRule, closureOn, evaluateSlot, insertSorted } from '../../appointments/domain/slot-rules';
import { localParts, offsetMinutes, weekdayOf } from '../../common/clinic-time';
import type { TreatmentVisit } from '../../appointments/domain/treatment-frequency';
import { holidayOn } from '../../locations/domain/holidays';
import type { OccupancyOverrides } from '../../locations/domain/resources';
import type { ResourceKind } from '../../locations/domain/resources';
import type { ProtocolDefinition } from './protocols';
import { CalendarBandExceeded, CalendarHorizonExceeded, DayHours, HoldResult, PlacementOracle, SessionProbe } from './session-placement';

/** One clinic's calendar, loaded once for the span of a course. */
export interface PlanningCalendar {
  location: { id: string; name: string; slotMinutes: number; occupancyOverrides: OccupancyOverrides };
  context: BookingContext;
  /** Closure reasons by local date (holiday names, staff training…). */
  closureReasons: Map<string, string>;
  /** The local dates the context covers, both inclusive. */
  from: string;
  to: string;
  /**
   * When only a band of each day is loaded (CalendarQuery.timesOfDay), its bounds in minutes since local
   * midnight: a session occupying time outside it is not judged (CalendarBandExceeded).
   */
  band?: { from: number; to: number };
}

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * The rules a course decides over all its sessions at once rather than session by session: the payer's
 * authorization (assessCourseLimits, with its override) and the booking horizon (the session past it is
 * named). Every other rule judges each planned session as it would a booking.
 */
export const COURSE_WIDE_RULES: readonly BookingRule[] = ['booking-horizon', 'authorization-sessions', 'authorization-expiry', 'authorization-not-yet-valid'];

/**
 * The placement oracle over calendars loaded in memory: every candidate start is judged by the same
 * pure rules as a booking (`planAppointment` + `evaluateSlot`), and every accepted session is added to
 * the calendars (resource, patient and observation time) so that the course's later sessions see it.
 */
export class CalendarOracle implements PlacementOracle {
  private readonly calendars = new Map<string, PlanningCalendar>();
  private readonly undo: Array<() => void> = [];
  private readonly kind: ResourceKind | undefined;

  private readonly type: AppointmentType;
  /** Accelerated TMS: several sessions a day (the daily limit does not apply). */
  private readonly accelerated: boolean;

  /** `course`: the protocol planned (its treatment; accelerated TMS has several sessions a day), or only the treatment. */
  constructor(calendars: PlanningCalendar[], course: Pick<ProtocolDefinition, 'treatment' | 'code'> | AppointmentType) {
    this.type = typeof course === 'string' ? course : course.treatment;
    this.accelerated = typeof course !== 'string' && course.code === 'tms-accelerated';
    // The patient is one person at every clinic: one list of their busy times and one of their treatments for all calendars.
    const patientBusy = new Map<string, Busy>();
    const treatments = new Map<string, TreatmentVisit>();
    for (const calendar of calendars) {
      for (const busy of calendar.context.patientBusy) patientBusy.set(busy.appointmentId, busy);
      for (const visit of calendar.context.patientTreatments ?? []) treatments.set(visit.appointmentId, visit);
    }
    const shared = [...patientBusy.values()];
    const sharedTreatments = [...treatments.values()];
    for (const calendar of calendars) {
      calendar.context.patientBusy = shared;
      calendar.context.patientTreatments = sharedTreatments;
      this.calendars.set(calendar.location.id, calendar);
    }
    this.kind = APPOINTMENT_TYPE_DEFINITIONS[this.type].segments[0]?.resourceKind;
  }

  private calendar(locationId: string, date: string): PlanningCalendar {
    const calendar = this.calendars.get(locationId);
    if (!calendar) throw new Error(`no calendar loaded for location ${locationId}`);
    if (date < calendar.from || date > calendar.to) throw new CalendarHorizonExceeded(date);
    return calendar;
  }

  day(locationId: string, date: string): DayHours {
    const { location, context, closureReasons } = this.calendar(locationId, date);
    if (context.closedDates.has(date)) {
      const reason = closureReasons.get(date);
      return { open: false, reason: `closed on ${date}${reason ? ` (${reason})` : ''}` };
    }
    const holiday = closureOn(date, context);
    if (holiday) return { open: false, reason: `closed on ${date} (${holidayOn(date)?.name ?? 'holiday'})` };
    const hours = context.hours.get(weekdayOf(date));
    if (!hours) return { open: false, reason: `not open on ${WEEKDAY_NAMES[weekdayOf(date)]}s` };
    return { open: true, opens: hours.opens, closes: hours.closes, slotMinutes: location.slotMinutes };
  }

  devices(locationId: string): string[] {
    const calendar = this.calendars.get(locationId);
    return calendar ? calendar.context.resources.filter((r) => r.kind === this.kind).map((r) => r.id) : [];
  }

  hold(probe: SessionProbe): HoldResult {
    const calendar = this.calendars.get(probe.locationId);
    if (!calendar) throw new Error(`no calendar loaded for location ${probe.locationId}`);
    const { context } = calendar;
    const plan = planAppointment(this.type, probe.startsAt, {
      durationMinutes: probe.durationMinutes,
      firstOfCourse: probe.firstOfCourse,
      overrides: calendar.location.occupancyOverrides,
    });
    const local = localParts(probe.startsAt, context.zone);
    if (calendar.band) {
      // Wall-clock minutes of the end: plain arithmetic unless the offset changes during the session (a DST night).
      const { start, end } = plan.occupancy;
      const endMinutes =
        offsetMinutes(start, context.zone) === offsetMinutes(end, context.zone)
          ? local.minutes + (end.getTime() - start.getTime()) / 60_000
          : localParts(end, context.zone).date === local.date
            ? localParts(end, context.zone).minutes
            : Infinity;
      if (local.minutes < calendar.band.from || endMinutes > calendar.band.to) throw new CalendarBandExceeded(local.date, local.time);
    }
    // The placement keeps a refusal's rule and detail only: no conflicts gathered (`decisionOnly`, the same decision).
    const decision = evaluateSlot(plan, context, { resourceId: probe.resourceId, accelerated: this.accelerated, waive: COURSE_WIDE_RULES, decisionOnly: true });
    if (!decision.ok) return { ok: false, rule: decision.rule, detail: decision.detail };

    const id = `planned:${probe.sequence}`;
    plan.segments.forEach((segment, index) => {
      const resourceId = decision.segmentResourceIds[index];
      const list = context.resourceBusy.get(resourceId) ?? [];
      context.resourceBusy.set(resourceId, list);
      this.add(list, { appointmentId: id, start: segment.start, end: segment.end }, true);
    });
    this.add(context.patientBusy, { appointmentId: id, start: plan.occupancy.start, end: plan.occupancy.end });
    const visit: TreatmentVisit = {
      appointmentId: id,
      type: this.type,
      date: local.date,
      startsAt: probe.startsAt,
      courseId: null,
      sequence: probe.sequence,
      accelerated: this.accelerated,
    };
    this.add(context.patientTreatments!, visit);
    if (plan.observation) this.add(context.observations, { appointmentId: id, start: plan.observation.start, end: plan.observation.end }, true);
    return { ok: true, resourceId: decision.segmentResourceIds[0] ?? null };
  }

  /** `sorted`: a list the rules search by bisection (a resource's segments, observations): insertSorted keeps its order. */
  private add<T extends Busy | TreatmentVisit>(list: T[], busy: T, sorted = false): void {
    if (sorted) insertSorted(list as Busy[], busy as Busy);
    else list.push(busy);
    this.undo.push(() => {
      const index = list.lastIndexOf(busy);
      if (index >= 0) list.splice(index, 1);
    });
  }

  mark(): number {
    return this.undo.length;
  }

  rollback(mark: number): void {
    while (this.undo.length > mark) this.undo.pop()!();
  }
}
