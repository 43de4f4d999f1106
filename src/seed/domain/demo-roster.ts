import { addDays, CLINIC_ZONE, clinicInstant, weekdayOf } from '../../common/clinic-time';

export interface RosterHours {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local wall times, HH:mm. */
  opens: string;
  closes: string;
}

export interface RosterRange {
  /** First clinic-local date, YYYY-MM-DD. */
  from: string;
  /** Number of days from `from`. */
  days: number;
}

/**
 * One shift per open day covering the clinic's opening hours, [startsAt, endsAt) as instants: each
 * day's local opening and closing time converted on its own, so shifts stay at 07:00–19:00 local across
 * daylight-saving changes. Weekdays without hours and closed dates get no shift.
 */
export function rosterShifts(range: RosterRange, hours: ReadonlyArray<RosterHours>, closedDates: ReadonlySet<string>, zone = CLINIC_ZONE): Array<[Date, Date]> {
  const byWeekday = new Map(hours.map((h) => [h.weekday, h]));
  const shifts: Array<[Date, Date]> = [];
  for (let i = 0; i < range.days; i++) {
    const date = addDays(range.from, i);
    const open = byWeekday.get(weekdayOf(date));
    if (!open || closedDates.has(date)) continue;
    const startsAt = clinicInstant(date, open.opens, zone);
    const endsAt = clinicInstant(date, open.closes, zone);
    if (startsAt && endsAt && endsAt > startsAt) shifts.push([startsAt, endsAt]);
  }
  return shifts;
}
