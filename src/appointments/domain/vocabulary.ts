/** The words every module uses for appointments, without the table behind them. */

export const APPOINTMENT_TYPES = ['spravato', 'ketamine', 'tms', 'ect', 'intake', 'follow_up'] as const;
export type AppointmentType = (typeof APPOINTMENT_TYPES)[number];

/** The appointment types that are treatments (courses, authorizations, eligibility). */
export const TREATMENTS = ['spravato', 'ketamine', 'tms', 'ect'] as const;
export type Treatment = (typeof TREATMENTS)[number];

export const APPOINTMENT_STATUSES = ['scheduled', 'checked_in', 'in_treatment', 'observing', 'discharged', 'cancelled', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Statuses that no longer hold a resource, the patient or a provider. */
export const RELEASED_STATUSES: readonly AppointmentStatus[] = ['cancelled', 'no_show'];

export const VISIT_MODES = ['inPerson', 'telehealth'] as const;
export type VisitMode = (typeof VISIT_MODES)[number];
