/** Who is due for a session and has none booked (domain.md: boosters, maintenance, unfinished courses). Pure. */
import { addDays, weekdayOf } from '../../common/clinic-time';
import type { Treatment } from '../../appointments/domain/vocabulary';

export const RECALL_REASONS = ['ketamine-booster', 'spravato-maintenance', 'maintenance-ect', 'tms-sessions-remaining'] as const;
export type RecallReason = (typeof RECALL_REASONS)[number];

/** How far back a last session still makes a patient one of the clinic's to recall (boosters, maintenance). */
export const RECALL_LOOKBACK_DAYS = 180;
/** [label] Spravato induction is 8 sessions (4 weeks twice a week): after it, maintenance. */
export const SPRAVATO_INDUCTION_SESSIONS = 8;
/** [practice] Maintenance ECT follows an index course (6–12 treatments), every 1–4 weeks: recalled from a week on. */
export const ECT_INDEX_MINIMUM = 6;
export const MAINTENANCE_ECT_EVERY_DAYS = 7;

/** A patient's last session of a treatment (discharged), and what came with it. */
export interface TreatmentHistory {
  patientId: string;
  treatment: Exclude<Treatment, 'tms'>;
  lastSessionAt: Date;
  /** Clinic-local date of the last session. */
  lastSessionDate: string;
  /** Sessions of the treatment done (discharged). */
  sessionsDone: number;
  /** Something of the treatment is booked after the last session. */
  bookedAhead: boolean;
  course: { id: string; protocol: string; status: string; phase: string | undefined; maintenanceEveryWeeks?: number } | null;
}

/** An active TMS course and how far it got. */
export interface TmsCourseProgress {
  patientId: string;
  courseId: string;
  totalSessions: number;
  sessionsDone: number;
  bookedAhead: boolean;
  lastSessionAt: Date | null;
  lastSessionDate: string | null;
}

export interface Recall {
  patientId: string;
  treatment: Treatment;
  reason: RecallReason;
  lastSessionAt: Date | null;
  /** Clinic-local date from which the session is due. */
  dueFrom: string;
  /** Ketamine boosters: the end of the booster window. */
  dueBy?: string;
  overdue: boolean;
  courseId?: string;
}

export interface RecallSettings {
  ketamineBoosterMinWeeks: number;
  ketamineBoosterMaxWeeks: number;
}

/**
 * Ketamine: a booster from `min` weeks after the last infusion (overdue after `max`); listed once it is due.
 * Spravato: past induction (a maintenance session, or 8 done) with nothing booked: the next maintenance
 * session, a week (or the course's 2 weeks) after the last. ECT: after an index course (6 done), maintenance
 * from a week on. Nothing is recalled when a session of the treatment is booked ahead.
 */
export function recallFor(history: TreatmentHistory, settings: RecallSettings, today: string): Recall | undefined {
  if (history.bookedAhead) return undefined;
  const base = {
    patientId: history.patientId,
    treatment: history.treatment,
    lastSessionAt: history.lastSessionAt,
    ...(history.course ? { courseId: history.course.id } : {}),
  };
  if (history.treatment === 'ketamine') {
    const dueFrom = addDays(history.lastSessionDate, 7 * settings.ketamineBoosterMinWeeks);
    const dueBy = addDays(history.lastSessionDate, 7 * settings.ketamineBoosterMaxWeeks);
    if (today < dueFrom) return undefined;
    return { ...base, reason: 'ketamine-booster', dueFrom, dueBy, overdue: today > dueBy };
  }
  if (history.treatment === 'spravato') {
    const inMaintenance = history.course?.phase === 'maintenance' || history.sessionsDone >= SPRAVATO_INDUCTION_SESSIONS;
    if (!inMaintenance) return undefined;
    const dueFrom = addDays(history.lastSessionDate, 7 * (history.course?.maintenanceEveryWeeks ?? 1));
    return { ...base, reason: 'spravato-maintenance', dueFrom, overdue: today > dueFrom };
  }
  if (history.sessionsDone < ECT_INDEX_MINIMUM) return undefined;
  const dueFrom = addDays(history.lastSessionDate, MAINTENANCE_ECT_EVERY_DAYS);
  return { ...base, reason: 'maintenance-ect', dueFrom, overdue: today > dueFrom };
}

/** A TMS course neither done nor cancelled with sessions left and nothing booked: due from the next weekday after its last session. */
export function tmsRecallFor(course: TmsCourseProgress, today: string): Recall | undefined {
  if (course.bookedAhead || course.sessionsDone >= course.totalSessions) return undefined;
  let dueFrom = course.lastSessionDate ? addDays(course.lastSessionDate, 1) : today;
  while (weekdayOf(dueFrom) > 5) dueFrom = addDays(dueFrom, 1);
  return {
    patientId: course.patientId,
    treatment: 'tms',
    reason: 'tms-sessions-remaining',
    lastSessionAt: course.lastSessionAt,
    dueFrom,
    overdue: today > dueFrom,
    courseId: course.courseId,
  };
}
