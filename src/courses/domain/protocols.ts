import { APPOINTMENT_TYPE_DEFINITIONS, TMS_FIRST_SESSION_MINUTES } from '../../appointments/domain/appointment-types';
import type { Treatment } from '../../appointments/domain/vocabulary';

/**
 * The treatment-course protocols the clinics book (domain.md), as data: how many sessions, how long
 * each one holds its resource, and the cadence the planner follows. No I/O.
 */
/** [practice] A missed TMS session is added at the end of the course, on the next weekday after its last session, or up to a week later. */
export const TMS_MAKE_UP = { phase: 'make-up', minGapDays: 1, maxSlipDays: 6 } as const;

/** How far ahead a course may start (a year). */
export const COURSE_START_HORIZON_DAYS = 366;

export const PROTOCOL_CODES = ['tms-standard', 'tms-itbs', 'tms-deep', 'tms-accelerated', 'spravato-trd', 'spravato-mdsi', 'ketamine-iv', 'ect-index'] as const;
export type ProtocolCode = (typeof PROTOCOL_CODES)[number];

/** ISO weekdays the courses run on: the clinics' treatment days. */
export const COURSE_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5];

/**
 * Sessions one after another: each on the first preferred weekday at least `minGapDays` after the
 * previous one; when that day cannot take it, a later weekday up to `maxSlipDays` further (and, with
 * `withinDays`, no later than that many days after the phase's first session).
 */
export interface SpacedPhase {
  kind: 'spaced';
  phase: string;
  sessions: number;
  minGapDays: number;
  preferredWeekdays: readonly number[];
  maxSlipDays: number;
  withinDays?: number;
}

/**
 * Course weeks (7-day buckets): `perWeek[i]` sessions in week i, on the week's pattern days (see
 * WEEK_PATTERNS), every session inside its own week and at least `minGapDays` after the previous one.
 */
export interface WeeklyPhase {
  kind: 'weekly';
  phase: string;
  perWeek: readonly number[];
  minGapDays: number;
}

/** Accelerated TMS: `perDay` sessions a day, starts at least `minStartGapMinutes` apart, on consecutive weekdays, one device. */
export interface AcceleratedPhase {
  kind: 'accelerated';
  days: number;
  perDay: number;
  minStartGapMinutes: number;
}

export type PhaseRule = SpacedPhase | WeeklyPhase | AcceleratedPhase;

/** Pattern days, as offsets from the start of a course week, per number of sessions that week (Mon/Wed/Fri, Mon/Thu, Mon for a Monday start). */
export const WEEK_PATTERNS: Readonly<Record<number, readonly number[]>> = {
  0: [],
  1: [0],
  2: [0, 3],
  3: [0, 2, 4],
  4: [0, 1, 3, 4],
  5: [0, 1, 2, 3, 4],
};

export interface CourseOptions {
  /** ECT: number of index treatments (6–12). */
  totalSessions?: number;
  /** Spravato TRD: maintenance sessions after week 8 (one every `maintenanceEveryWeeks` weeks). */
  maintenanceWeeks?: number;
  /** Spravato TRD: maintenance after week 8 once a week (1, the default) or every 2 weeks (2). */
  maintenanceEveryWeeks?: number;
}

/** [label] Spravato from week 9: once a week or every 2 weeks. */
export const MAINTENANCE_EVERY_WEEKS = [1, 2] as const;

/** Course weeks of `sessions` sessions, one every `everyWeeks` weeks: [1, 0, 1, 0, 1] for 3 every 2 weeks. */
function everyWeeks(sessions: number, weeks: number): number[] {
  return Array.from({ length: sessions }, (_, i) => (i === sessions - 1 ? [1] : [1, ...Array(weeks - 1).fill(0)])).flat();
}

export interface ProtocolDefinition {
  code: ProtocolCode;
  treatment: Treatment;
  name: string;
  /** The default course length. */
  totalSessions: number;
  /** The clinical session (stimulation, dosing and monitoring, infusion, treatment in the suite). */
  sessionMinutes: number;
  /** What each session holds its resource for (the first TMS session: the motor-threshold visit). */
  occupancyMinutes: number;
  /** Booked length when it differs from the appointment type's default (else the clinic's default applies). */
  durationMinutes?: number;
  firstSessionMinutes?: number;
  cadence: string;
  /** Accepted `totalSessions` (ECT only). */
  totalSessionsRange?: { min: number; max: number };
  /** Accepted `maintenanceWeeks` (Spravato TRD only). */
  maintenanceWeeksRange?: { min: number; max: number };
  firstDoseMg?: number;
  doseMg?: number;
  /** ECT is given early in the morning (fasting from midnight): a later preferred time is warned about. */
  latestUsualTime?: string;
  /** Every session on the same device (accelerated TMS). */
  oneDevice?: boolean;
  phases(options: CourseOptions): PhaseRule[];
}

const TMS_DAILY: Omit<SpacedPhase, 'sessions'> = {
  kind: 'spaced',
  phase: 'induction',
  minGapDays: 1,
  preferredWeekdays: COURSE_WEEKDAYS,
  maxSlipDays: 6,
};

const tmsStandardPhases = (): PhaseRule[] => [
  { ...TMS_DAILY, sessions: 30 },
  { kind: 'weekly', phase: 'taper', perWeek: [3, 2, 1], minGapDays: 1 },
];

const minutesOf = (type: 'tms' | 'spravato' | 'ketamine' | 'ect') => APPOINTMENT_TYPE_DEFINITIONS[type].defaultMinutes;

export const PROTOCOLS: Readonly<Record<ProtocolCode, ProtocolDefinition>> = {
  'tms-standard': {
    code: 'tms-standard',
    treatment: 'tms',
    name: 'Standard rTMS (10 Hz)',
    totalSessions: 36,
    sessionMinutes: 19,
    occupancyMinutes: minutesOf('tms'),
    firstSessionMinutes: TMS_FIRST_SESSION_MINUTES,
    cadence: '5 a week (Mon–Fri) for 6 weeks, then 3, 2 and 1 a week over weeks 7–9 (36); the first session is the motor-threshold visit',
    phases: tmsStandardPhases,
  },
  'tms-itbs': {
    code: 'tms-itbs',
    treatment: 'tms',
    name: 'Intermittent theta-burst TMS (iTBS)',
    totalSessions: 36,
    sessionMinutes: 3,
    occupancyMinutes: 15,
    durationMinutes: 15,
    firstSessionMinutes: TMS_FIRST_SESSION_MINUTES,
    cadence: 'as standard rTMS: 5 a week for 6 weeks, then 3, 2 and 1 a week (36); 15-minute bookings',
    phases: tmsStandardPhases,
  },
  'tms-deep': {
    code: 'tms-deep',
    treatment: 'tms',
    name: 'Deep TMS (H1 coil)',
    totalSessions: 44,
    sessionMinutes: 20,
    occupancyMinutes: minutesOf('tms'),
    firstSessionMinutes: TMS_FIRST_SESSION_MINUTES,
    cadence: 'daily on weekdays for 4 weeks (20), then twice a week for 12 weeks (24) = 44',
    phases: () => [
      { ...TMS_DAILY, sessions: 20 },
      { kind: 'weekly', phase: 'continuation', perWeek: Array(12).fill(2), minGapDays: 2 },
    ],
  },
  'tms-accelerated': {
    code: 'tms-accelerated',
    treatment: 'tms',
    name: 'Accelerated TMS (SAINT)',
    totalSessions: 50,
    sessionMinutes: 10,
    occupancyMinutes: 15,
    durationMinutes: 15,
    firstSessionMinutes: TMS_FIRST_SESSION_MINUTES,
    cadence: '10 sessions a day, starts at least 60 minutes apart (≥ 50 minutes between sessions), on 5 consecutive weekdays = 50, on one device',
    oneDevice: true,
    phases: () => [{ kind: 'accelerated', days: 5, perDay: 10, minStartGapMinutes: 60 }],
  },
  'spravato-trd': {
    code: 'spravato-trd',
    treatment: 'spravato',
    name: 'Spravato, treatment-resistant depression',
    totalSessions: 12,
    sessionMinutes: 130,
    occupancyMinutes: minutesOf('spravato'),
    cadence:
      'weeks 1–4 twice a week, never on consecutive days (e.g. Mon/Thu); weeks 5–8 once a week; then maintenanceWeeks sessions once a week or every 2 weeks',
    maintenanceWeeksRange: { min: 0, max: 52 },
    firstDoseMg: 56,
    phases: (options) => [
      { kind: 'weekly', phase: 'induction', perWeek: [2, 2, 2, 2], minGapDays: 2 },
      {
        kind: 'weekly',
        phase: 'maintenance',
        perWeek: [1, 1, 1, 1, ...everyWeeks(options.maintenanceWeeks ?? 0, options.maintenanceEveryWeeks ?? 1)],
        minGapDays: 2,
      },
    ],
  },
  'spravato-mdsi': {
    code: 'spravato-mdsi',
    treatment: 'spravato',
    name: 'Spravato, depression with suicidal ideation',
    totalSessions: 8,
    sessionMinutes: 130,
    occupancyMinutes: minutesOf('spravato'),
    cadence: 'twice a week for 4 weeks, never on consecutive days; 84 mg',
    doseMg: 84,
    phases: () => [{ kind: 'weekly', phase: 'induction', perWeek: [2, 2, 2, 2], minGapDays: 2 }],
  },
  'ketamine-iv': {
    code: 'ketamine-iv',
    treatment: 'ketamine',
    name: 'IV ketamine induction series',
    totalSessions: 6,
    sessionMinutes: 40,
    occupancyMinutes: minutesOf('ketamine'),
    cadence: '6 infusions over 2–3 weeks (every other weekday), never on consecutive days',
    phases: () => [{ kind: 'spaced', phase: 'induction', sessions: 6, minGapDays: 2, preferredWeekdays: COURSE_WEEKDAYS, maxSlipDays: 6, withinDays: 21 }],
  },
  'ect-index': {
    code: 'ect-index',
    treatment: 'ect',
    name: 'ECT index course',
    totalSessions: 9,
    sessionMinutes: 30,
    occupancyMinutes: minutesOf('ect'),
    cadence: 'Monday / Wednesday / Friday, never on consecutive days, early morning; 9 treatments by default (6–12)',
    totalSessionsRange: { min: 6, max: 12 },
    latestUsualTime: '10:00',
    phases: (options) => [
      { kind: 'spaced', phase: 'index', sessions: options.totalSessions ?? 9, minGapDays: 2, preferredWeekdays: [1, 3, 5], maxSlipDays: 3 },
    ],
  },
};

export function sessionsOfPhase(rule: PhaseRule): number {
  if (rule.kind === 'spaced') return rule.sessions;
  if (rule.kind === 'weekly') return rule.perWeek.reduce((sum, n) => sum + n, 0);
  return rule.days * rule.perDay;
}

/** The course length with its options. */
export function totalSessionsOf(protocol: ProtocolDefinition, options: CourseOptions = {}): number {
  return protocol.phases(options).reduce((sum, rule) => sum + sessionsOfPhase(rule), 0);
}

/** The options a booked course was planned with, from what it stored. */
export function storedCourseOptions(
  protocol: ProtocolDefinition,
  totalSessions: number,
  settings: { maintenanceWeeks?: number; maintenanceEveryWeeks?: number },
): CourseOptions {
  return {
    ...(protocol.totalSessionsRange ? { totalSessions } : {}),
    ...(settings.maintenanceWeeks !== undefined ? { maintenanceWeeks: settings.maintenanceWeeks } : {}),
    ...(settings.maintenanceEveryWeeks !== undefined ? { maintenanceEveryWeeks: settings.maintenanceEveryWeeks } : {}),
  };
}

/** Phase name of a session (1-based); sessions past the course's length are make-up sessions. */
export function phaseOf(protocol: ProtocolDefinition, sequence: number, options: CourseOptions = {}): string {
  let before = 0;
  for (const rule of protocol.phases(options)) {
    const count = sessionsOfPhase(rule);
    if (sequence <= before + count) {
      return rule.kind === 'accelerated' ? `accelerated-day-${Math.ceil((sequence - before) / rule.perDay)}` : rule.phase;
    }
    before += count;
  }
  return 'make-up';
}

/** A generous span of the course in days, to load the calendar once: its nominal length plus slack. */
export function nominalSpanDays(protocol: ProtocolDefinition, options: CourseOptions = {}): number {
  let days = 0;
  for (const rule of protocol.phases(options)) {
    if (rule.kind === 'weekly') days += rule.perWeek.length * 7;
    else if (rule.kind === 'accelerated') days += 7;
    else days += Math.ceil((rule.sessions * 7) / Math.min(rule.preferredWeekdays.length, Math.ceil(5 / rule.minGapDays)));
  }
  return days;
}

/** What one session is booked as (the appointment's length and the TMS motor-threshold visit). */
export function sessionBooking(protocol: ProtocolDefinition, sequence: number): { firstOfCourse: boolean; durationMinutes?: number; plannedDoseMg?: number } {
  const firstOfCourse = protocol.treatment === 'tms' && sequence === 1;
  const plannedDoseMg = protocol.doseMg ?? (sequence === 1 ? protocol.firstDoseMg : undefined);
  return {
    firstOfCourse,
    ...(firstOfCourse || protocol.durationMinutes === undefined ? {} : { durationMinutes: protocol.durationMinutes }),
    ...(plannedDoseMg !== undefined ? { plannedDoseMg } : {}),
  };
}

/**
 * How far apart a course's sessions must be, as the planner places them: whole days between sessions
 * (the phase's `minGapDays`; a TMS make-up as TMS_MAKE_UP says), or, for accelerated TMS, minutes
 * between starts. A session added to the course by hand (no sequence) keeps the smallest gap of any phase.
 */
export type SessionSpacing = { kind: 'days'; minGapDays: number } | { kind: 'minutes'; minStartGapMinutes: number };

export function sessionSpacing(protocol: ProtocolDefinition, sequence: number | null, options: CourseOptions = {}): SessionSpacing {
  const rules = protocol.phases(options);
  const accelerated = rules.find((rule): rule is AcceleratedPhase => rule.kind === 'accelerated');
  if (accelerated) return { kind: 'minutes', minStartGapMinutes: accelerated.minStartGapMinutes };
  const gaps = rules.map((rule) => (rule as SpacedPhase | WeeklyPhase).minGapDays);
  if (sequence === null) return { kind: 'days', minGapDays: Math.min(...gaps) };
  let before = 0;
  for (const [index, rule] of rules.entries()) {
    before += sessionsOfPhase(rule);
    if (sequence <= before) return { kind: 'days', minGapDays: gaps[index] };
  }
  return { kind: 'days', minGapDays: protocol.treatment === 'tms' ? TMS_MAKE_UP.minGapDays : gaps[gaps.length - 1] };
}

/** Whole days two sessions of a course must be apart: the larger gap of their two phases. */
export function requiredGapDays(protocol: ProtocolDefinition, a: number | null, b: number | null, options: CourseOptions = {}): number {
  const gap = (sequence: number | null) => {
    const spacing = sessionSpacing(protocol, sequence, options);
    return spacing.kind === 'days' ? spacing.minGapDays : 0;
  };
  return Math.max(gap(a), gap(b));
}

/**
 * The phases that place the given sessions of a course (a replan from a later session): each phase
 * keeps only the sessions listed (by sequence; those before the replan and those released are left
 * out), a weekly phase keeps its later weeks (and the empty weeks between them, so "every 2 weeks"
 * stays so) but not the weeks before its first listed session, and sessions past the protocol's length
 * (TMS make-ups) come last, spaced as make-ups are. Accelerated TMS is replanned by whole days only.
 */
export function tailPhases(protocol: ProtocolDefinition, options: CourseOptions, sequences: readonly number[]): PhaseRule[] | { error: string } {
  const wanted = new Set(sequences);
  const tail: PhaseRule[] = [];
  let next = 1;
  for (const rule of protocol.phases(options)) {
    const first = next;
    next += sessionsOfPhase(rule);
    const inPhase = (sequence: number) => sequence >= first && sequence < next && wanted.has(sequence);
    if (rule.kind === 'spaced') {
      const count = sequences.filter(inPhase).length;
      if (count) tail.push({ ...rule, sessions: count });
    } else if (rule.kind === 'weekly') {
      const weeks: number[] = [];
      let sequence = first;
      for (const count of rule.perWeek) {
        const kept = Array.from({ length: count }, (_, k) => sequence + k).filter(inPhase).length;
        const started = weeks.some((w) => w > 0) || kept > 0;
        if (started) weeks.push(kept);
        sequence += count;
      }
      while (weeks.length && weeks[weeks.length - 1] === 0) weeks.pop();
      if (weeks.length) tail.push({ ...rule, perWeek: weeks });
    } else {
      const kept = sequences.filter(inPhase);
      if (!kept.length) continue;
      const days = Math.ceil(kept.length / rule.perDay);
      if ((kept[0] - first) % rule.perDay !== 0 || kept.length !== days * rule.perDay) {
        return {
          error: `an accelerated course is replanned by whole days: from the first session of a day (1, ${1 + rule.perDay}, ${1 + 2 * rule.perDay}, …)`,
        };
      }
      tail.push({ ...rule, days });
    }
  }
  const extra = sequences.filter((sequence) => sequence >= next).length;
  if (extra) {
    tail.push({
      kind: 'spaced',
      phase: TMS_MAKE_UP.phase,
      sessions: extra,
      minGapDays: TMS_MAKE_UP.minGapDays,
      preferredWeekdays: COURSE_WEEKDAYS,
      maxSlipDays: TMS_MAKE_UP.maxSlipDays,
    });
  }
  return tail;
}
