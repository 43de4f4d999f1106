/** [practice] The TMS motor threshold is measured at the first session and again every so many days. Pure. */
import { DateTime } from 'luxon';

/** The default re-measurement interval (a clinic setting: locations.motor_threshold_interval_days). */
export const MOTOR_THRESHOLD_INTERVAL_DAYS = 7;

/**
 * When the threshold is due again: `intervalDays` after the last measurement, at the same clinic-local wall
 * time (across a DST change too); null before the first measurement.
 */
export function motorThresholdDueAt(lastMeasuredAt: Date | undefined, intervalDays: number, zone: string): Date | null {
  if (!lastMeasuredAt) return null;
  return DateTime.fromJSDate(lastMeasuredAt, { zone }).plus({ days: intervalDays }).toJSDate();
}
