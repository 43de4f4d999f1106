/** The kinds of resource a clinic books, and a clinic's own lengths for appointment types. */

export const RESOURCE_KINDS = ['treatment_chair', 'tms_device', 'ect_suite', 'recovery_bay'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Per appointment type, a clinic's own default length (the label's minimums still hold). */
export type OccupancyOverrides = Partial<Record<string, { durationMinutes?: number; occupancyMinutes?: number }>>;
