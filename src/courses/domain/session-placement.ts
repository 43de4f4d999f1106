import { addDays, clinicInstant, formatWallTime, wallMinutes, weekdayOf } from '../../common/clinic-time';
import { COURSE_WEEKDAYS } from './protocols';

/** A clinic's day as the planner sees it: open with its hours and slot grid, or closed and why. */
export type DayHours = { open: true; opens: string; closes: string; slotMinutes: number } | { open: false; reason: string };

/** One session at one start, as the oracle is asked to hold it. */
export interface SessionProbe {
  sequence: number;
  locationId: string;
  startsAt: Date;
  firstOfCourse: boolean;
  durationMinutes?: number;
  /** Only this resource (accelerated TMS keeps one device). */
  resourceId?: string;
}

export type HoldResult = { ok: true; resourceId: string | null } | { ok: false; rule: string; detail: string };

/**
 * The calendar the planner places sessions in. `hold` decides under the booking rules and, when it
 * accepts, keeps the session so that later sessions of the same course see it; `mark`/`rollback`
 * undo holds (a week or a device that did not work out).
 */
export interface PlacementOracle {
  day(locationId: string, date: string): DayHours;
  /** The location's resources of the course's kind, in the order booking picks them. */
  devices(locationId: string): string[];
  hold(probe: SessionProbe): HoldResult;
  mark(): number;
  rollback(mark: number): void;
}

/** Thrown by an oracle asked about a date it has not loaded: the caller loads a longer span and plans again. */
export class CalendarHorizonExceeded extends Error {
  constructor(readonly date: string) {
    super(`the calendar is not loaded for ${date}`);
  }
}

/**
 * Thrown by an oracle asked to judge a session outside the band of local times of day it has loaded
 * (PlanningCalendar.band): the caller loads whole days and plans again.
 */
export class CalendarBandExceeded extends Error {
  constructor(
    readonly date: string,
    readonly time: string,
  ) {
    super(`the calendar is loaded only for a band of each day, which the session at ${time} on ${date} leaves`);
  }
}

export interface PlanningLocation {
  id: string;
  name: string;
}

export interface SessionSpec {
  sequence: number;
  phase: string;
  firstOfCourse: boolean;
  durationMinutes?: number;
  plannedDoseMg?: number;
}

export interface PlannedSession extends SessionSpec {
  /** Clinic-local date and wall time. */
  date: string;
  time: string;
  startsAt: Date;
  locationId: string;
  resourceId: string | null;
}

const instants = new Map<string, number | undefined>();

/**
 * `clinicInstant`, remembered: planning a course asks for the same few local dates and times over
 * and over, and each answer costs a time-zone computation.
 */
export function localInstant(date: string, time: string, zone: string): Date | undefined {
  const key = `${zone} ${date} ${time}`;
  if (!instants.has(key)) {
    if (instants.size >= 50_000) instants.clear();
    instants.set(key, clinicInstant(date, time, zone)?.getTime());
  }
  const ms = instants.get(key);
  return ms === undefined ? undefined : new Date(ms);
}

/** How far from the preferred time a session may move on the same day. */
export const SAME_DAY_WINDOW_MINUTES = 120;

const WEEKDAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export const dayLabel = (date: string) => `${WEEKDAY_NAMES[weekdayOf(date)]} ${date}`;

export const isCourseWeekday = (date: string) => COURSE_WEEKDAYS.includes(weekdayOf(date));

/** The first course weekday on or after `date`. */
export function rollToWeekday(date: string, weekdays: readonly number[] = COURSE_WEEKDAYS): string {
  let day = date;
  while (!weekdays.includes(weekdayOf(day))) day = addDays(day, 1);
  return day;
}

export const laterOf = (a: string, b: string) => (a > b ? a : b);

/** The preferred wall time, then the nearest starts on its grid within ±2 hours (the earlier first on a tie). */
export function candidateTimes(preferred: string, slotMinutes: number, window = SAME_DAY_WINDOW_MINUTES): string[] {
  const base = wallMinutes(preferred);
  const times = [preferred];
  for (let delta = slotMinutes; delta <= window; delta += slotMinutes) {
    for (const minute of [base - delta, base + delta]) {
      if (minute >= 0 && minute < 24 * 60) times.push(formatWallTime(minute));
    }
  }
  return times;
}

export type DayAttempt = { ok: true; session: PlannedSession; reasons: string[] } | { ok: false; reasons: string[] };

export interface DayRequest {
  spec: SessionSpec;
  date: string;
  preferredTime: string;
  locations: PlanningLocation[];
  zone: string;
  resourceId?: string;
}

/**
 * Places one session on one local date: the preferred time at the main clinic, then the nearest free
 * start within ±2 hours, then the alternate clinics the same way. The wall time is read in the clinic's
 * zone on that date, so 09:00 stays 09:00 across a DST change. `reasons` says why earlier options failed.
 */
export function placeOnDate(oracle: PlacementOracle, request: DayRequest): DayAttempt {
  const reasons: string[] = [];
  for (const location of request.locations) {
    const day = oracle.day(location.id, request.date);
    if (!day.open) {
      reasons.push(`${location.name}: ${day.reason}`);
      continue;
    }
    let firstRefusal: string | undefined;
    for (const time of candidateTimes(request.preferredTime, day.slotMinutes)) {
      const startsAt = localInstant(request.date, time, request.zone);
      if (!startsAt) continue;
      const result = oracle.hold({
        sequence: request.spec.sequence,
        locationId: location.id,
        startsAt,
        firstOfCourse: request.spec.firstOfCourse,
        durationMinutes: request.spec.durationMinutes,
        resourceId: request.resourceId,
      });
      if (result.ok) {
        if (firstRefusal) reasons.push(`${location.name} at ${request.preferredTime}: ${firstRefusal}`);
        return {
          ok: true,
          reasons,
          session: { ...request.spec, date: request.date, time, startsAt, locationId: location.id, resourceId: result.resourceId },
        };
      }
      firstRefusal ??= result.detail;
    }
    reasons.push(`${location.name}: ${firstRefusal ?? 'no start within 2 hours of the preferred time'}`);
  }
  return { ok: false, reasons };
}

/** One warning line for a session placed away from its preferred day, time or clinic; undefined when it was not. */
export function deviationWarning(
  session: PlannedSession,
  preferredDate: string,
  preferredTime: string,
  locations: PlanningLocation[],
  reasons: string[],
): string | undefined {
  const changes: string[] = [];
  if (session.date !== preferredDate) changes.push(`${dayLabel(session.date)} instead of ${dayLabel(preferredDate)}`);
  if (session.time !== preferredTime) changes.push(`${session.time} instead of ${preferredTime}`);
  const main = locations[0];
  if (session.locationId !== main.id) {
    changes.push(`at ${locations.find((l) => l.id === session.locationId)?.name ?? session.locationId} instead of ${main.name}`);
  }
  if (!changes.length) return undefined;
  const why = [...new Set(reasons)].slice(0, 3);
  return `Session ${session.sequence} (${session.phase}): ${changes.join(', ')}${why.length ? ` (${why.join('; ')})` : ''}.`;
}
