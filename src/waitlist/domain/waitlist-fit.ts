import { localParts, wallMinutes } from '../../common/clinic-time';

/** A time of day a patient can come: a slot fits when its start is in [start, end) on one of the weekdays (all when absent). */
export interface TimeWindow {
  /** ISO weekdays, 1 = Monday. */
  weekdays?: number[];
  /** HH:mm, clinic-local. */
  start: string;
  end: string;
}

export interface WaitlistWish {
  locationIds: readonly string[];
  /** Clinic-local dates, inclusive. */
  fromDate: string;
  toDate: string;
  windows: readonly TimeWindow[];
}

export interface FreedSlot {
  locationId: string;
  startsAt: Date;
}

/** Whether a freed slot is one the patient asked for: their clinic, their dates, one of their times of day. */
export function fitsWish(wish: WaitlistWish, slot: FreedSlot, zone: string): boolean {
  if (!wish.locationIds.includes(slot.locationId)) return false;
  const local = localParts(slot.startsAt, zone);
  if (local.date < wish.fromDate || local.date > wish.toDate) return false;
  if (wish.windows.length === 0) return true;
  return wish.windows.some(
    (window) =>
      (!window.weekdays || window.weekdays.length === 0 || window.weekdays.includes(local.weekday)) &&
      local.minutes >= wallMinutes(window.start) &&
      local.minutes < wallMinutes(window.end),
  );
}

/** Why a window cannot be used (its field and message), or undefined. */
export function windowProblem(window: TimeWindow): string | undefined {
  if (wallMinutes(window.end) <= wallMinutes(window.start)) return 'end must be after start';
  if (window.weekdays && new Set(window.weekdays).size !== window.weekdays.length) return 'weekdays must not repeat';
  return undefined;
}
