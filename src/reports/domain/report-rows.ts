/** The rows each report's SQL returns, before rates are added. */

export interface PeriodColumns {
  locationId: string;
  /** First and last clinic-local date of the row's period (a week is cut at the range's ends). */
  periodStart: string;
  periodEnd: string;
}

export interface UtilizationRow extends PeriodColumns {
  kind: string;
  resourceId: string;
  resourceName: string;
  openMinutes: number;
  bookedMinutes: number;
  usedMinutes: number;
}

export interface HeatmapCell {
  locationId: string;
  kind: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** Clinic-local hour of day, 0–23. */
  hour: number;
  openMinutes: number;
  bookedMinutes: number;
  usedMinutes: number;
}

export interface AttendanceRow extends PeriodColumns {
  type: string;
  booked: number;
  completed: number;
  cancelled: number;
  lateCancelled: number;
  noShow: number;
  pending: number;
}

export interface CoursesRow extends PeriodColumns {
  protocol: string;
  treatment: string;
  started: number;
  completed: number;
  stopped: number;
  active: number;
  sessionsCompleted: number;
  /** Courses with a baseline and a later score on the scale that judges them. */
  withOutcomes: number;
  responded: number;
  remitted: number;
}

export interface RemsRow extends PeriodColumns {
  due: number;
  submittedOnTime: number;
  submittedLate: number;
  overdueNow: number;
  notYetDue: number;
}

export interface TextsRow extends PeriodColumns {
  sent: number;
  failed: number;
  suppressed: number;
  cancelled: number;
  pending: number;
  optOuts: number;
  confirmationsByReply: number;
  rescheduleRequestsByReply: number;
}

export interface WaitlistFillRow extends PeriodColumns {
  offers: number;
  accepted: number;
  slotsOffered: number;
  slotsFilled: number;
}
