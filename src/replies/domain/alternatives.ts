import { daysBetween, localParts } from '../../common/clinic-time';

/** How many times a reply to R offers. */
export const MAX_ALTERNATIVES = 3;

/**
 * The times to offer a patient who asked to move an appointment, out of the free starts (each already
 * passing every booking rule): at most one a day, on the day nearest the appointment's (the later day on a
 * tie), at the start nearest the patient's usual time of day (the earlier on a tie); in time order.
 */
export function pickAlternatives(free: readonly Date[], options: { current: Date; usualMinutes: number; zone: string; limit?: number }): Date[] {
  const currentDate = localParts(options.current, options.zone).date;
  const bestOfDay = new Map<string, { start: Date; distance: number }>();
  for (const start of free) {
    if (start.getTime() === options.current.getTime()) continue;
    const local = localParts(start, options.zone);
    const distance = Math.abs(local.minutes - options.usualMinutes);
    const kept = bestOfDay.get(local.date);
    if (!kept || distance < kept.distance || (distance === kept.distance && start < kept.start)) bestOfDay.set(local.date, { start, distance });
  }
  const days = [...bestOfDay.keys()].sort((a, b) => {
    const da = Math.abs(daysBetween(currentDate, a));
    const db = Math.abs(daysBetween(currentDate, b));
    return da - db || (a < b ? 1 : -1);
  });
  return days
    .slice(0, options.limit ?? MAX_ALTERNATIVES)
    .map((day) => bestOfDay.get(day)!.start)
    .sort((a, b) => a.getTime() - b.getTime());
}
