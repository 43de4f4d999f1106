/** Vital signs: what is physiologically possible, and which entries still count after corrections. */

/** Tablets' clocks drift a little: a reading or a dose may be stamped up to this far ahead of the service clock. */
export const CLOCK_SKEW_MINUTES = 2;

/** Whether a time a nurse entered lies in the future (beyond the clocks' drift). */
export function stampedInFuture(at: Date, now: Date): boolean {
  return at.getTime() > now.getTime() + CLOCK_SKEW_MINUTES * 60_000;
}

export const VITALS_TIMEPOINTS = ['pre_dose', 'post_dose_40', 'intra', 'discharge', 'other'] as const;
export type VitalsTimepoint = (typeof VITALS_TIMEPOINTS)[number];

export interface Range {
  min: number;
  max: number;
}

/**
 * Outside these a value is a typing error, not a patient: refused as bad input. Wide on purpose: an
 * alarming but real value (SpO2 82, systolic 210) must be recordable.
 */
export const VITAL_LIMITS = {
  systolic: { min: 50, max: 300 },
  diastolic: { min: 20, max: 200 },
  heartRate: { min: 20, max: 250 },
  spo2: { min: 50, max: 100 },
  respiratoryRate: { min: 4, max: 60 },
  /** MOAA/S: 0 (no response to a painful stimulus) to 5 (responds readily to the name spoken normally). */
  sedationScore: { min: 0, max: 5 },
  /** CADSS: 23 items scored 0–4. */
  dissociationScore: { min: 0, max: 92 },
} as const satisfies Record<string, Range>;

export type VitalField = keyof typeof VITAL_LIMITS;

export interface VitalValues {
  systolic: number;
  diastolic: number;
  heartRate: number;
  spo2: number;
  respiratoryRate?: number | null;
  sedationScore?: number | null;
  dissociationScore?: number | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Every impossible value, each naming its field; empty when the reading is plausible. */
export function vitalsErrors(values: VitalValues): FieldProblem[] {
  const errors: FieldProblem[] = [];
  for (const field of Object.keys(VITAL_LIMITS) as VitalField[]) {
    const value = values[field];
    if (value === undefined || value === null) continue;
    const { min, max } = VITAL_LIMITS[field];
    if (!Number.isInteger(value) || value < min || value > max) {
      errors.push({ field, message: `${field} must be a whole number from ${min} to ${max}` });
    }
  }
  if (errors.length === 0 && values.diastolic >= values.systolic) {
    errors.push({ field: 'diastolic', message: 'diastolic must be lower than systolic' });
  }
  return errors;
}

export interface VitalsReading extends VitalValues {
  id: string;
  timepoint: VitalsTimepoint;
  takenAt: Date;
  /** The entry this one corrects (and replaces). */
  correctsId: string | null;
  /** The clinician's judgement whether dissociation has resolved (Spravato discharge vitals). */
  dissociationResolved?: boolean | null;
  /** Why the reading was taken outside its window (a late 40-minute BP); it counts all the same. */
  deviationReason?: string | null;
}

/** The entries no later correction replaces: what the rules and the REMS form read. */
export function effectiveReadings<T extends VitalsReading>(readings: readonly T[]): T[] {
  const corrected = new Set(readings.map((r) => r.correctsId).filter((id): id is string => id !== null));
  return readings.filter((r) => !corrected.has(r.id)).sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
}

/** The latest effective reading at a timepoint, if any. */
export function latestAt<T extends VitalsReading>(effective: readonly T[], timepoint: VitalsTimepoint): T | undefined {
  const matching = effective.filter((r) => r.timepoint === timepoint);
  return matching[matching.length - 1];
}
