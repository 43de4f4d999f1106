// Clinic-local dates and times with the platform's Intl (no time library in the bundle). Every clinic
// is in America/Denver today; the zone comes from the location (`timezone`), never from the browser.

export const DEFAULT_ZONE = 'America/Denver';

const partsCache = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = partsCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsCache.set(zone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date, zone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** The zone's offset from UTC at that instant, in minutes (Denver in summer: -360). */
export function offsetMinutes(instant: Date, zone: string): number {
  const w = wallClock(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The clinic-local calendar date of an instant, YYYY-MM-DD. */
export function clinicDate(instant: Date | string, zone = DEFAULT_ZONE): string {
  const w = wallClock(new Date(instant), zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The clinic-local wall time of an instant, HH:mm. */
export function clinicTime(instant: Date | string, zone = DEFAULT_ZONE): string {
  const w = wallClock(new Date(instant), zone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** Minutes after local midnight of the instant's own local day. */
export function clinicMinutes(instant: Date | string, zone = DEFAULT_ZONE): number {
  const w = wallClock(new Date(instant), zone);
  return w.hour * 60 + w.minute;
}

export function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function fromMinutes(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * The instant a local wall time on a local date names, as ISO-8601 with the zone's offset
 * (`2027-08-02T09:00:00-06:00`), or null when that wall time does not exist (a spring-forward gap).
 * An ambiguous time (the repeated hour in autumn) is its first occurrence.
 */
export function clinicInstant(date: string, time: string, zone = DEFAULT_ZONE): string | null {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wallAsUtc = Date.UTC(y, mo - 1, d, h, mi);
  // Try the offsets in force around that wall time; the earlier instant first (ambiguous hour).
  const candidates = [offsetMinutes(new Date(wallAsUtc - 86_400_000 / 2), zone), offsetMinutes(new Date(wallAsUtc + 86_400_000 / 2), zone)];
  const instants = [...new Set(candidates)].map((offset) => wallAsUtc - offset * 60_000).sort((a, b) => a - b);
  for (const t of instants) {
    const offset = offsetMinutes(new Date(t), zone);
    if (wallAsUtc - offset * 60_000 === t) {
      const sign = offset < 0 ? '-' : '+';
      return `${date}T${time}:00${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
    }
  }
  return null;
}

/** YYYY-MM-DD plus whole days (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** "Monday 2 August 2027" */
export function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** Whole minutes from `now` until `instant` (negative once it has passed). */
export function minutesUntil(instant: Date | string, now: Date): number {
  return Math.ceil((new Date(instant).getTime() - now.getTime()) / 60_000) || 0;
}
