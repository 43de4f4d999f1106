import { DateTime } from 'luxon';
import { addDays, clinicInstant, formatWallTime, localParts } from '../../common/clinic-time';
import type { AppointmentType } from '../../appointments/domain/vocabulary';

/** What a text asks the patient to prepare, phrased without naming the treatment. */
export type Preparation = 'fasting_escort' | 'ride_home';

/**
 * `confirmation` (booked) and `rescheduled` go out at once; `<n>h` are the offsets before the start;
 * `evening_before` carries the preparation line the evening before.
 */
export type ReminderKind = 'confirmation' | 'rescheduled' | 'evening_before' | `${number}h`;

export interface ReminderPolicy {
  /** Hours before the start. Whole days are counted on the local calendar (48 h before 09:00 is 09:00 two days before, also across DST). */
  offsetsHours: readonly number[];
  /** Local wall time of the evening-before text. */
  eveningBeforeAt: string;
  /** Which appointment types get the evening-before text, and with which preparation line. */
  preparation: Readonly<Partial<Record<AppointmentType, Preparation>>>;
  /** Texts go out only in [allowedFrom, allowedUntil) patient-local. */
  allowedFrom: string;
  allowedUntil: string;
  /** A reminder due this soon after the confirmation adds nothing and is not planned. */
  minutesAfterConfirmation: number;
  /** Types whose patients get at most one text a local day (a daily TMS course). */
  oncePerDayTypes: readonly AppointmentType[];
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  offsetsHours: [48, 2],
  eveningBeforeAt: '18:00',
  preparation: { ect: 'fasting_escort', spravato: 'ride_home', ketamine: 'ride_home' },
  allowedFrom: '08:00',
  allowedUntil: '20:00',
  minutesAfterConfirmation: 60,
  oncePerDayTypes: ['tms'],
};

export interface PlanInput {
  type: AppointmentType;
  startsAt: Date;
  now: Date;
  /** The patient's zone; every patient of the group is in the clinics' zone. */
  zone: string;
  /** `resumed`: the patient opted back in; the appointment was announced before, so no confirmation, only what is still to come. */
  change: 'booked' | 'rescheduled' | 'resumed';
}

export interface PlannedReminder {
  kind: ReminderKind;
  sendAt: Date;
  /**
   * The patient-local date the text goes out on, for once-a-day types (null otherwise): the database
   * keeps one pending or sent text per patient and date (`uq_reminders_patient_daily`), across appointments.
   */
  dailyKey: string | null;
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * The instant of a local wall time on a local date. The planners' times (08:00, 18:00, 19:59, clinic
 * hours) never fall in a DST gap; one that did is resolved as Luxon does (moved forward).
 */
function atWallTime(date: string, minutes: number, zone: string): Date {
  const time = formatWallTime(minutes);
  return (
    clinicInstant(date, time, zone) ??
    DateTime.fromISO(date, { zone })
      .set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 })
      .toJSDate()
  );
}

/** Whether a text may go out at this instant (outside quiet hours, patient-local). */
export function isAllowedSendingTime(instant: Date, zone: string, policy: Pick<ReminderPolicy, 'allowedFrom' | 'allowedUntil'>): boolean {
  return latestAllowedAtOrBefore(instant, zone, policy).getTime() === instant.getTime();
}

/** The instant itself when texts are allowed then; otherwise the last allowed minute before it (19:59 that evening or the evening before). */
export function latestAllowedAtOrBefore(instant: Date, zone: string, policy: Pick<ReminderPolicy, 'allowedFrom' | 'allowedUntil'>): Date {
  const local = localParts(instant, zone);
  const minute = local.minutes;
  const from = minutesOf(policy.allowedFrom);
  const until = minutesOf(policy.allowedUntil);
  if (minute >= from && minute < until) return instant;
  const day = minute >= until ? local.date : addDays(local.date, -1);
  return atWallTime(day, until - 1, zone);
}

/** The instant itself when texts are allowed then; otherwise the first allowed minute after it (08:00). */
export function earliestAllowedAtOrAfter(instant: Date, zone: string, policy: Pick<ReminderPolicy, 'allowedFrom' | 'allowedUntil'>): Date {
  const local = localParts(instant, zone);
  const minute = local.minutes;
  const from = minutesOf(policy.allowedFrom);
  const until = minutesOf(policy.allowedUntil);
  if (minute >= from && minute < until) return instant;
  const day = minute < from ? local.date : addDays(local.date, 1);
  return atWallTime(day, from, zone);
}

/** `hours` before `start`: whole days on the local calendar (same wall time), the rest in elapsed hours. */
export function offsetBefore(start: Date, hours: number, zone: string): Date {
  const days = Math.floor(hours / 24);
  const rest = (hours - days * 24) * 3_600_000;
  const local = localParts(start, zone);
  // The same wall time `days` earlier (seconds carried over: offsets are whole minutes), then elapsed hours.
  const sameWallTime = clinicInstant(addDays(local.date, -days), local.time, zone);
  if (!sameWallTime)
    return DateTime.fromJSDate(start, { zone })
      .minus({ days })
      .minus({ hours: hours - days * 24 })
      .toJSDate();
  return new Date(sameWallTime.getTime() + (start.getTime() % 60_000) - rest);
}

function localDate(instant: Date, zone: string): string {
  return localParts(instant, zone).date;
}

/**
 * The texts of one appointment:
 * - the confirmation at once (the first allowed minute when booked in quiet hours);
 * - each offset before the start, and the evening before for types with a preparation line, moved to
 *   the latest allowed minute before them when due in quiet hours;
 * - nothing at or after the start, nothing whose time has already passed (except the confirmation),
 *   nothing within `minutesAfterConfirmation` of the confirmation;
 * - at most one reminder per local day (the evening-before text wins, else the one nearest the start);
 *   for once-a-day types the confirmation counts too, and the database keeps it to one across appointments.
 */
export function planReminders(input: PlanInput, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): PlannedReminder[] {
  const { startsAt, now, zone } = input;
  const oncePerDay = policy.oncePerDayTypes.includes(input.type);

  const confirmationAt = earliestAllowedAtOrAfter(now, zone, policy);
  const confirmation =
    input.change !== 'resumed' && confirmationAt < startsAt
      ? { kind: (input.change === 'booked' ? 'confirmation' : 'rescheduled') as ReminderKind, sendAt: confirmationAt }
      : undefined;

  const candidates: Array<{ kind: ReminderKind; sendAt: Date }> = [];
  for (const hours of [...new Set(policy.offsetsHours)]) {
    if (!(hours > 0)) continue;
    candidates.push({ kind: `${hours}h`, sendAt: latestAllowedAtOrBefore(offsetBefore(startsAt, hours, zone), zone, policy) });
  }
  if (policy.preparation[input.type]) {
    const nominal = atWallTime(addDays(localParts(startsAt, zone).date, -1), minutesOf(policy.eveningBeforeAt), zone);
    candidates.push({ kind: 'evening_before', sendAt: latestAllowedAtOrBefore(nominal, zone, policy) });
  }

  const quietAfterConfirmation = confirmation ? confirmation.sendAt.getTime() + policy.minutesAfterConfirmation * 60_000 : -Infinity;
  const timely = candidates.filter((c) => c.sendAt.getTime() >= now.getTime() && c.sendAt < startsAt && c.sendAt.getTime() >= quietAfterConfirmation);

  const byDay = new Map<string, { kind: ReminderKind; sendAt: Date }>();
  for (const candidate of timely) {
    const day = localDate(candidate.sendAt, zone);
    const kept = byDay.get(day);
    const better =
      !kept || (candidate.kind === 'evening_before' && kept.kind !== 'evening_before') || (kept.kind !== 'evening_before' && candidate.sendAt > kept.sendAt);
    if (better) byDay.set(day, candidate);
  }
  if (confirmation && oncePerDay) byDay.delete(localDate(confirmation.sendAt, zone));

  const planned = [...(confirmation ? [confirmation] : []), ...byDay.values()].sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime());
  return planned.map((p) => ({ ...p, dailyKey: oncePerDay ? localDate(p.sendAt, zone) : null }));
}
