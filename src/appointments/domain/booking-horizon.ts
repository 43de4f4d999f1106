/** How far ahead anything may be booked. Pure. */
import { toClinicIso } from '../../common/clinic-time';

/** Bookings reach this many days ahead unless BOOKING_HORIZON_DAYS says otherwise. */
export const DEFAULT_BOOKING_HORIZON_DAYS = 400;

/** The latest start a booking may have now. */
export function latestBookableStart(now: Date, horizonDays: number): Date {
  return new Date(now.getTime() + horizonDays * 86_400_000);
}

/** Why a start is too far ahead, or undefined. */
export function horizonRefusal(startsAt: Date, latestStart: Date, zone: string): { rule: 'booking-horizon'; detail: string } | undefined {
  if (startsAt.getTime() <= latestStart.getTime()) return undefined;
  return { rule: 'booking-horizon', detail: `Nothing can be booked to start after ${toClinicIso(latestStart, zone)}: the booking horizon.` };
}
