/** How often a patient may have a treatment (domain.md "Treatment frequency"). Pure. */
import { addDays } from '../../common/clinic-time';
import type { AppointmentType } from './vocabulary';

export const TREATMENT_FREQUENCY = {
  /**
   * At most one of these in total per patient per clinic-local day: two Spravato sessions on one day are
   * never right [label]; one ketamine infusion and one ECT treatment a day at most [practice].
   */
  oncePerDay: ['spravato', 'ketamine', 'ect'] as readonly AppointmentType[],
  /** [label] Spravato at most twice in any 7 consecutive days; a third needs a provider's documented reason. */
  spravatoPerSevenDays: 2,
} as const;

/**
 * The group of treatments a patient has at most one of a day: `treatment` (Spravato, ketamine, ECT
 * together), `tms` (standard TMS: only an accelerated course has several sessions a day), or null. Stored
 * on the appointment so that a unique index holds the daily limit under concurrent bookings.
 */
export type DailyLimitGroup = 'treatment' | 'tms';

export function dailyLimitGroup(type: AppointmentType, accelerated: boolean): DailyLimitGroup | null {
  if (TREATMENT_FREQUENCY.oncePerDay.includes(type)) return 'treatment';
  if (type === 'tms' && !accelerated) return 'tms';
  return null;
}

/** One of the patient's treatment appointments (not cancelled, not a no-show) near the slot. */
export interface TreatmentVisit {
  appointmentId: string;
  type: AppointmentType;
  /** Clinic-local date. */
  date: string;
  startsAt: Date;
  courseId: string | null;
  sequence: number | null;
  /** A session of an accelerated TMS course (several a day). */
  accelerated: boolean;
}

export interface FrequencyCandidate {
  type: AppointmentType;
  date: string;
  accelerated: boolean;
}

export interface FrequencyRefusal {
  rule: 'treatment-frequency';
  detail: string;
  /** The appointments that make the limit. */
  appointmentIds: string[];
}

const NAMES: Partial<Record<AppointmentType, string>> = { spravato: 'Spravato', ketamine: 'IV ketamine', ect: 'ECT', tms: 'TMS' };

/** One Spravato, ketamine or ECT treatment a day in total; one standard TMS session a day. Never overridden. */
export function sameDayRefusal(candidate: FrequencyCandidate, visits: readonly TreatmentVisit[]): FrequencyRefusal | undefined {
  const group = dailyLimitGroup(candidate.type, candidate.accelerated);
  if (!group) return undefined;
  const clash = visits.filter((v) => v.date === candidate.date && dailyLimitGroup(v.type, v.accelerated) === group);
  if (!clash.length) return undefined;
  const detail =
    group === 'tms'
      ? `The patient already has a TMS session on ${candidate.date}: standard TMS is given once a day (only an accelerated course has several sessions a day).`
      : `The patient already has a ${NAMES[clash[0].type]} treatment on ${candidate.date}: at most one Spravato, ketamine or ECT treatment a day.`;
  return { rule: 'treatment-frequency', detail, appointmentIds: clash.map((v) => v.appointmentId) };
}

/**
 * [label] Spravato at most twice in any 7 consecutive days (induction is twice a week, then weekly or
 * every 2 weeks). A provider may book a third with a documented reason: the caller decides whether it may.
 */
export function sevenDayRefusal(candidate: FrequencyCandidate, visits: readonly TreatmentVisit[]): FrequencyRefusal | undefined {
  if (candidate.type !== 'spravato') return undefined;
  const limit = TREATMENT_FREQUENCY.spravatoPerSevenDays;
  const spravato = visits.filter((v) => v.type === 'spravato');
  // Fewer than the limit in all: no window can be full (availability asks this of every start).
  if (spravato.length < limit) return undefined;
  for (let offset = -6; offset <= 0; offset++) {
    const from = addDays(candidate.date, offset);
    const to = addDays(from, 6);
    const inWindow = spravato.filter((v) => v.date >= from && v.date <= to);
    if (inWindow.length + 1 > limit) {
      return {
        rule: 'treatment-frequency',
        detail:
          `The patient already has ${inWindow.length} Spravato sessions from ${from} to ${to}: at most ${limit} in any 7 days. ` +
          'A provider may book it with an override and a reason.',
        appointmentIds: inWindow.map((v) => v.appointmentId),
      };
    }
  }
  return undefined;
}
