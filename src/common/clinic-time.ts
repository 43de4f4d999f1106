import { DateTime } from 'luxon';

/** Every clinic of the group is in Mountain Time. */
export const CLINIC_ZONE = 'America/Denver';

/** An instant rendered in the clinic's local offset: 2026-11-02T09:00:00-07:00. */
export function toClinicIso(date: Date, zone = CLINIC_ZONE): string {
  return DateTime.fromJSDate(date, { zone }).toISO({ suppressMilliseconds: true })!;
}

/** The clinic-local calendar date (YYYY-MM-DD) of an instant. */
export function clinicDateOf(date: Date, zone = CLINIC_ZONE): string {
  return DateTime.fromJSDate(date, { zone }).toISODate()!;
}

/*
 * Calendar-date arithmetic on YYYY-MM-DD strings is plain UTC day counting: a calendar date has no
 * zone, and these run in the planners' inner loops, where parsing each date with Luxon cost more than
 * the rest of the work together.
 */
const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
const dateOfDayNumber = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date. */
export function weekdayOf(date: string): number {
  return new Date(dayNumber(date) * DAY_MS).getUTCDay() || 7;
}

export function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Minutes since local midnight of a wall time "HH:mm" or "HH:mm:ss". */
export function wallMinutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

/**
 * The instant of a local wall time on a local date. A wall time that does not exist (the spring-forward
 * gap, e.g. 02:30 on 2026-03-08) gives undefined; one that occurs twice (01:30 on 2026-11-01) gives the
 * first occurrence (daylight time).
 */
export function clinicInstant(date: string, time: string, zone = CLINIC_ZONE): Date | undefined {
  const [hour, minute] = time.split(':').map(Number);
  const local = DateTime.fromISO(date, { zone }).set({ hour, minute, second: 0, millisecond: 0 });
  if (!local.isValid || local.hour !== hour || local.minute !== minute) return undefined;
  // Luxon resolves an ambiguous time to one of its two offsets; take the earlier instant.
  const offsets = local.getPossibleOffsets();
  const earliest = offsets.reduce((first, candidate) => (candidate.toMillis() < first.toMillis() ? candidate : first), local);
  return earliest.toJSDate();
}

/** Local midnight at the start of a date, and of the next date: the instants bounding a clinic day. */
export function clinicDayBounds(date: string, zone = CLINIC_ZONE): { start: Date; end: Date } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
}

/** Every local calendar date touched by [from, to). */
export function clinicDatesBetween(from: Date, to: Date, zone = CLINIC_ZONE): string[] {
  const dates: string[] = [];
  let day = DateTime.fromJSDate(from, { zone }).startOf('day');
  const end = DateTime.fromJSDate(to, { zone });
  while (day < end) {
    dates.push(day.toISODate()!);
    day = day.plus({ days: 1 });
  }
  return dates;
}
