import { DateTime } from 'luxon';

/** A public holiday the clinics close on, on the weekday it is observed. */
export interface ClinicHoliday {
  /** Clinic-local calendar date, YYYY-MM-DD. */
  date: string;
  name: string;
}

function date(year: number, month: number, day: number): DateTime {
  return DateTime.utc(year, month, day);
}

/** The n-th (1-based) given ISO weekday of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, weekday: number, n: number): DateTime {
  if (n > 0) {
    const first = date(year, month, 1);
    return first.plus({ days: ((weekday - first.weekday + 7) % 7) + (n - 1) * 7 });
  }
  const last = date(year, month, 1).endOf('month').startOf('day');
  return last.minus({ days: (last.weekday - weekday + 7) % 7 });
}

/**
 * A fixed-date holiday on a weekend is observed on the nearest weekday (Saturday → Friday, Sunday →
 * Monday), as federal holidays are: the clinics are closed on weekends anyway, so the closure that
 * matters is the observed one. New Year's Day on a Saturday is observed on 31 December before it.
 */
function observed(day: DateTime, name: string): ClinicHoliday {
  if (day.weekday === 6) return { date: day.minus({ days: 1 }).toISODate()!, name: `${name} (observed)` };
  if (day.weekday === 7) return { date: day.plus({ days: 1 }).toISODate()!, name: `${name} (observed)` };
  return { date: day.toISODate()!, name };
}

/** The US public holidays the clinics close on, for one year, sorted by date. */
export function clinicHolidays(year: number): ClinicHoliday[] {
  const thanksgiving = nthWeekday(year, 11, 4, 4);
  return [
    observed(date(year, 1, 1), "New Year's Day"),
    { date: nthWeekday(year, 5, 1, -1).toISODate()!, name: 'Memorial Day' },
    observed(date(year, 7, 4), 'Independence Day'),
    { date: nthWeekday(year, 9, 1, 1).toISODate()!, name: 'Labor Day' },
    { date: thanksgiving.toISODate()!, name: 'Thanksgiving Day' },
    { date: thanksgiving.plus({ days: 1 }).toISODate()!, name: 'Day after Thanksgiving' },
    observed(date(year, 12, 25), 'Christmas Day'),
  ].sort((a, b) => a.date.localeCompare(b.date));
}

/** Each year's holidays by date, computed once. */
const holidaysByYear = new Map<number, Map<string, string>>();

function holidaysOf(year: number): Map<string, string> {
  let byDate = holidaysByYear.get(year);
  if (!byDate) {
    byDate = new Map(clinicHolidays(year).map((h) => [h.date, h.name]));
    holidaysByYear.set(year, byDate);
  }
  return byDate;
}

/**
 * The public holiday the clinics close on that falls on a clinic-local date, in any year: a rule, not a
 * list of rows, so that a booking 400 days ahead meets next year's Memorial Day as this year's does.
 */
export function holidayOn(date: string): ClinicHoliday | undefined {
  const year = Number(date.slice(0, 4));
  // New Year's Day on a Saturday is observed on 31 December of the year before.
  for (const candidate of [year, year + 1]) {
    const name = holidaysOf(candidate).get(date);
    if (name) return { date, name };
  }
  return undefined;
}
