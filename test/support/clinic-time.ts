import { addDays, clinicInstant, toClinicIso, weekdayOf } from '../../src/common/clinic-time';

/** Calendar-date arithmetic, and `HH:mm` of minutes since local midnight (`formatWallTime(7 * 60 + 15)` is `07:15`). */
export { addDays, formatWallTime, weekdayOf } from '../../src/common/clinic-time';

/**
 * The instant of a clinic-local wall time on a clinic-local date, written as the API writes instants:
 * `at('2027-08-02', '09:00')` is `2027-08-02T09:00:00-06:00` (MDT) and `at('2027-01-04', '09:00')` is
 * `2027-01-04T09:00:00-07:00` (MST). The offset is America/Denver's on that date, never a constant.
 * A wall time that does not exist (the spring-forward gap) throws: a test asking for it has a typo.
 */
export function at(date: string, time: string): string {
  const instant = clinicInstant(date, time);
  if (!instant) throw new Error(`${date} ${time} does not exist in the clinics' time zone (spring-forward gap)`);
  return toClinicIso(instant);
}

/** The same instant as a Date, for code that takes one (clocks, domain functions). */
export function atDate(date: string, time: string): Date {
  return new Date(at(date, time));
}

/** The `days` calendar dates from `from` on, or only the weekdays (Monday to Friday) among them. */
export function datesFrom(from: string, days: number, which: 'every day' | 'weekdays' = 'every day'): string[] {
  const dates = Array.from({ length: days }, (_, i) => addDays(from, i));
  return which === 'weekdays' ? dates.filter((date) => weekdayOf(date) <= 5) : dates;
}
