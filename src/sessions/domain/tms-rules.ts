/** TMS session records: plausible values, and when the motor threshold must be measured. */
import { FieldProblem, Range } from './vitals';

export const TMS_LIMITS = {
  /** Resting motor threshold, % of the device's maximum output. */
  motorThresholdPercent: { min: 10, max: 100 },
  /** Stimulation intensity, % of the motor threshold (iTBS 80–120, standard 110–120, deep up to 120+). */
  intensityPercent: { min: 50, max: 150 },
  /** Pulses in one session (iTBS 600, standard 3000, SAINT 1800 per session). */
  pulses: { min: 1, max: 10_000 },
} as const satisfies Record<string, Range>;

export interface TmsValues {
  motorThresholdPercent?: number | null;
  intensityPercent: number;
  pulses: number;
}

export function tmsErrors(values: TmsValues): FieldProblem[] {
  const errors: FieldProblem[] = [];
  for (const field of Object.keys(TMS_LIMITS) as Array<keyof typeof TMS_LIMITS>) {
    const value = values[field];
    if (value === undefined || value === null) continue;
    const { min, max } = TMS_LIMITS[field];
    if (!Number.isInteger(value) || value < min || value > max) errors.push({ field, message: `${field} must be a whole number from ${min} to ${max}` });
  }
  return errors;
}

/**
 * The first session of a course is where the motor threshold is measured: sequence 1 of a booked course,
 * or a session with no earlier TMS record in the same course (sessions booked without a course count as
 * one course of their own).
 */
export function isFirstSessionOfCourse(sequence: number | null, earlierRecordsInCourse: number): boolean {
  return sequence === 1 || earlierRecordsInCourse === 0;
}
