import type { ResourceKind } from '../../locations/domain/resources';
import type { OccupancyOverrides } from '../../locations/domain/resources';
import type { AppointmentType } from './vocabulary';

export type SegmentKind = 'treatment' | 'recovery';

interface SegmentTemplate {
  kind: SegmentKind;
  resourceKind: ResourceKind;
  /** Minutes from the appointment's start. */
  offset: number;
  minutes: number;
}

/**
 * What one appointment type holds, in minutes from its start. The last segment absorbs a longer
 * duration (a longer observation or recovery); `minimumMinutes` is the floor a shorter one may not pass.
 */
export interface AppointmentTypeDefinition {
  type: AppointmentType;
  defaultMinutes: number;
  minimumMinutes: number;
  maximumMinutes: number;
  segments: SegmentTemplate[];
  /** Observation or recovery (counts against nurse capacity): from this offset to the end. */
  observationFrom?: number;
  /** Spravato: the first device is given this many minutes after the start; a prescriber must be on site from then to the end. */
  doseOffset?: number;
  /** Intake and follow-up: a provider's time, no room. */
  needsProvider: boolean;
}

/** Spravato: 15 min prep, devices at +15/+20/+25, ≥ 120 min observation after the last one, discharge. */
const SPRAVATO_PREP = 15;
const SPRAVATO_LAST_DEVICE = 10;
const SPRAVATO_OBSERVATION = 120;

export const APPOINTMENT_TYPE_DEFINITIONS: Record<AppointmentType, AppointmentTypeDefinition> = {
  spravato: {
    type: 'spravato',
    defaultMinutes: 150,
    // [label] discharge never earlier than 120 min after the last device.
    minimumMinutes: SPRAVATO_PREP + SPRAVATO_LAST_DEVICE + SPRAVATO_OBSERVATION,
    maximumMinutes: 300,
    segments: [{ kind: 'treatment', resourceKind: 'treatment_chair', offset: 0, minutes: 150 }],
    observationFrom: SPRAVATO_PREP,
    doseOffset: SPRAVATO_PREP,
    needsProvider: false,
  },
  ketamine: {
    type: 'ketamine',
    defaultMinutes: 105,
    minimumMinutes: 75,
    maximumMinutes: 240,
    segments: [{ kind: 'treatment', resourceKind: 'treatment_chair', offset: 0, minutes: 105 }],
    // 10 min prep + ~45 min infusion, then recovery.
    observationFrom: 55,
    needsProvider: false,
  },
  tms: {
    type: 'tms',
    defaultMinutes: 30,
    minimumMinutes: 10,
    maximumMinutes: 120,
    segments: [{ kind: 'treatment', resourceKind: 'tms_device', offset: 0, minutes: 30 }],
    needsProvider: false,
  },
  ect: {
    type: 'ect',
    defaultMinutes: 75,
    minimumMinutes: 45,
    maximumMinutes: 180,
    segments: [
      { kind: 'treatment', resourceKind: 'ect_suite', offset: 0, minutes: 30 },
      { kind: 'recovery', resourceKind: 'recovery_bay', offset: 30, minutes: 45 },
    ],
    observationFrom: 30,
    needsProvider: false,
  },
  intake: {
    type: 'intake',
    defaultMinutes: 60,
    minimumMinutes: 15,
    maximumMinutes: 180,
    segments: [],
    needsProvider: true,
  },
  follow_up: {
    type: 'follow_up',
    defaultMinutes: 30,
    minimumMinutes: 10,
    maximumMinutes: 120,
    segments: [],
    needsProvider: true,
  },
};

/** The first TMS session of a course: motor threshold and coil mapping. */
export const TMS_FIRST_SESSION_MINUTES = 75;

export interface Interval {
  start: Date;
  end: Date;
}

export interface PlannedSegment extends Interval {
  kind: SegmentKind;
  resourceKind: ResourceKind;
}

export interface AppointmentPlan {
  type: AppointmentType;
  startsAt: Date;
  endsAt: Date;
  occupancy: Interval;
  segments: PlannedSegment[];
  observation?: Interval;
  /** Spravato: when a prescriber must be on site (dosing and monitoring). */
  prescriberWindow?: Interval;
  needsProvider: boolean;
}

export interface PlanOptions {
  durationMinutes?: number;
  /** TMS: the course's first session, which includes the motor threshold. */
  firstOfCourse?: boolean;
  overrides?: OccupancyOverrides;
  /** Telehealth visits hold no room. */
  telehealth?: boolean;
}

/**
 * No appointment holds anything longer than this (every type's maximumMinutes is well under it): a search
 * for what overlaps a moment needs to look back no further.
 */
export const LONGEST_HOLD_MINUTES = 8 * 60;

export class PlanError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const addMinutes = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

/** The default visit length of a type at a location (its configured override, else the default). */
export function defaultMinutesFor(type: AppointmentType, options: Pick<PlanOptions, 'firstOfCourse' | 'overrides'> = {}): number {
  if (type === 'tms' && options.firstOfCourse) return TMS_FIRST_SESSION_MINUTES;
  return options.overrides?.[type]?.occupancyMinutes ?? APPOINTMENT_TYPE_DEFINITIONS[type].defaultMinutes;
}

/** Computes when every resource is held for an appointment of `type` starting at `start`. */
export function planAppointment(type: AppointmentType, start: Date, options: PlanOptions = {}): AppointmentPlan {
  const definition = APPOINTMENT_TYPE_DEFINITIONS[type];
  const minutes = options.durationMinutes ?? defaultMinutesFor(type, options);
  if (minutes < definition.minimumMinutes || minutes > definition.maximumMinutes) {
    throw new PlanError(
      'durationMinutes',
      `a ${type} appointment lasts ${definition.minimumMinutes} to ${definition.maximumMinutes} minutes` +
        (type === 'spravato' ? ' (at least 120 minutes of observation after the last device)' : ''),
    );
  }
  const end = addMinutes(start, minutes);
  const templates = options.telehealth ? [] : definition.segments;
  const segments = templates.map((template, index) => {
    const isLast = index === templates.length - 1;
    return {
      kind: template.kind,
      resourceKind: template.resourceKind,
      start: addMinutes(start, template.offset),
      end: isLast ? end : addMinutes(start, template.offset + template.minutes),
    };
  });
  return {
    type,
    startsAt: start,
    endsAt: end,
    occupancy: { start, end },
    segments,
    observation: definition.observationFrom !== undefined ? { start: addMinutes(start, definition.observationFrom), end } : undefined,
    prescriberWindow: definition.doseOffset !== undefined ? { start: addMinutes(start, definition.doseOffset), end } : undefined,
    needsProvider: definition.needsProvider,
  };
}

/** The parts of a calendar the rules may look at: staff shifts, observation windows, provider visits. */
export interface CalendarNeeds {
  shifts: boolean;
  observations: boolean;
  providerVisits: boolean;
  /** The patient's treatments near the slot (treatment frequency, course spacing). */
  patientTreatments: boolean;
  /** Only the segments of resources of these kinds (absent: every kind). */
  resourceKinds?: readonly ResourceKind[];
}

/** Which parts of a calendar the rules look at for a type (see evaluateSlot). */
export function calendarNeedsOf(type: AppointmentType): CalendarNeeds {
  const definition = APPOINTMENT_TYPE_DEFINITIONS[type];
  const observes = definition.observationFrom !== undefined;
  return {
    // Nurse capacity (observation), a prescriber on site (Spravato), the provider of a visit.
    shifts: observes || definition.doseOffset !== undefined || definition.needsProvider,
    observations: observes,
    providerVisits: definition.needsProvider,
    patientTreatments: !definition.needsProvider,
  };
}

/**
 * What a read that judges one type needs (booking, availability, course planning): besides
 * calendarNeedsOf, only the segments of the resource kinds the type holds, since the rules never look at
 * another kind's. A TMS booking at a clinic of 12 resources reads its 2 devices' segments, not 12.
 */
export function planningNeedsOf(type: AppointmentType): CalendarNeeds {
  return { ...calendarNeedsOf(type), resourceKinds: [...new Set(APPOINTMENT_TYPE_DEFINITIONS[type].segments.map((s) => s.resourceKind))] };
}
