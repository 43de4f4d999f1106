import { DateTime } from 'luxon';

/** Every clinic of the group is in Mountain Time. */
export const CLINIC_ZONE = 'America/Denver';

/*
 * A zone's UTC offset changes only at its transitions, which fall on whole hours; looking it up through
 * Intl (what Luxon does) costs tens of microseconds. Offsets are remembered per zone and 15-minute UTC
 * bucket, so the hot paths (availability, planning, responses) do it once per bucket.
 */
const BUCKET_MS = 15 * 60_000;
/** Per zone, offsets by bucket number (a number key: building a string key per call cost more than the lookup). */
const offsets = new Map<string, Map<number, number>>();

/** The zone's UTC offset in minutes at an instant (e.g. -420 for MST, -360 for MDT). */
export function offsetMinutes(date: Date, zone = CLINIC_ZONE): number {
  let byBucket = offsets.get(zone);
  if (!byBucket) offsets.set(zone, (byBucket = new Map()));
  const bucket = Math.floor(date.getTime() / BUCKET_MS);
  let offset = byBucket.get(bucket);
  if (offset === undefined) {
    if (byBucket.size >= 100_000) byBucket.clear();
    offset = DateTime.fromJSDate(date, { zone }).offset;
    byBucket.set(bucket, offset);
  }
  return offset;
}

export interface LocalParts {
  /** YYYY-MM-DD */
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
  /** HH:mm */
  time: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local calendar date, weekday and wall time of an instant. */
export function localParts(date: Date, zone = CLINIC_ZONE): LocalParts {
  const shifted = new Date(date.getTime() + offsetMinutes(date, zone) * 60_000);
  const hours = shifted.getUTCHours();
  const minutes = shifted.getUTCMinutes();
  return {
    date: `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`,
    weekday: shifted.getUTCDay() || 7,
    minutes: hours * 60 + minutes,
    time: `${pad(hours)}:${pad(minutes)}`,
  };
}

/** An instant rendered in the clinic's local offset: 2026-11-02T09:00:00-07:00. */
export function toClinicIso(date: Date, zone = CLINIC_ZONE): string {
  const offset = offsetMinutes(date, zone);
  const shifted = new Date(date.getTime() + offset * 60_000);
  const iso = shifted.toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ, in local wall time
  const wall = shifted.getUTCMilliseconds() ? iso.slice(0, 23) : iso.slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The clinic-local calendar date (YYYY-MM-DD) of an instant. */
export function clinicDateOf(date: Date, zone = CLINIC_ZONE): string {
  return localParts(date, zone).date;
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

/** "HH:mm" of minutes since local midnight (the inverse of wallMinutes). */
export function formatWallTime(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * The instant of a local wall time on a local date. A wall time that does not exist (the spring-forward
 * gap, e.g. 02:30 on 2026-03-08) gives undefined; one that occurs twice (01:30 on 2026-11-01) gives the
 * first occurrence (daylight time).
 */
/** Remembered instants by zone, date and time (nested maps: building one string key per call cost more than the lookups). */
const instants = new Map<string, Map<string, Map<string, number | null>>>();
let instantCount = 0;

export function clinicInstant(date: string, time: string, zone = CLINIC_ZONE): Date | undefined {
  let byDate = instants.get(zone);
  if (!byDate) instants.set(zone, (byDate = new Map()));
  let byTime = byDate.get(date);
  if (!byTime) byDate.set(date, (byTime = new Map()));
  let cached = byTime.get(time);
  if (cached === undefined) {
    if (++instantCount >= 100_000) {
      instants.clear();
      instantCount = 0;
    }
    cached = resolveLocal(date, time, zone)?.getTime() ?? null;
    byTime.set(time, cached);
  }
  return cached === null ? undefined : new Date(cached);
}

function resolveLocal(date: string, time: string, zone: string): Date | undefined {
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
  // From the date of `from` to the date of the last instant before `to` (a local midnight at `to` starts no date).
  const dates: string[] = [];
  const last = localParts(new Date(to.getTime() - 1), zone).date;
  for (let day = localParts(from, zone).date; day <= last; day = addDays(day, 1)) dates.push(day);
  return dates;
}
