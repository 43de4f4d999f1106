// The reports' rows (GET /api/reports/…) shaped for the charts and their tables: pure, tested in
// web/test/report-series.test.ts.

export interface HeatmapCell {
  kind: string;
  weekday: number;
  hour: number;
  openMinutes: number;
  bookedMinutes: number;
  utilization: number | null;
}

export interface AttendanceRow {
  periodStart: string;
  booked: number;
  completed: number;
  cancelled: number;
  lateCancelled: number;
  noShow: number;
  pending: number;
}

export interface RemsRow {
  periodStart: string;
  due: number;
  submittedOnTime: number;
  submittedLate: number;
  overdueNow: number;
  notYetDue: number;
}

export const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export const KIND_LABEL: Record<string, string> = {
  treatment_chair: 'Chairs',
  tms_device: 'TMS devices',
  ect_suite: 'ECT suite',
  recovery_bay: 'Recovery bays',
};

/** A share (0–1) as a whole percentage, or a dash when there is nothing to divide by. */
export const percent = (share: number | null | undefined): string => (share === null || share === undefined ? '–' : `${Math.round(share * 100)} %`);

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** The heatmap of one resource kind: the weekdays and hours the clinic was open, each cell's utilization. */
export function heatmapGrid(
  cells: readonly HeatmapCell[],
  kind: string,
): { weekdays: number[]; hours: number[]; at: (weekday: number, hour: number) => HeatmapCell | undefined } {
  const mine = cells.filter((c) => c.kind === kind);
  const weekdays = [...new Set(mine.map((c) => c.weekday))].sort((a, b) => a - b);
  const hours = [...new Set(mine.map((c) => c.hour))].sort((a, b) => a - b);
  const byKey = new Map(mine.map((c) => [`${c.weekday}:${c.hour}`, c]));
  return { weekdays, hours, at: (weekday, hour) => byKey.get(`${weekday}:${hour}`) };
}

/** The kinds a heatmap has, in the order the clinic would name them. */
export function heatmapKinds(cells: readonly HeatmapCell[]): string[] {
  const order = Object.keys(KIND_LABEL);
  return [...new Set(cells.map((c) => c.kind))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

export interface WeekAttendance {
  week: string;
  /** Appointments whose outcome is known (booked − pending): the rates' denominator. */
  decided: number;
  noShow: number;
  lateCancelled: number;
  noShowRate: number | null;
  lateCancellationRate: number | null;
}

/** No-shows and late cancellations per week, all appointment types together. */
export function attendanceTrend(rows: readonly AttendanceRow[]): WeekAttendance[] {
  const weeks = new Map<string, { decided: number; noShow: number; lateCancelled: number }>();
  for (const row of rows) {
    const week = weeks.get(row.periodStart) ?? { decided: 0, noShow: 0, lateCancelled: 0 };
    week.decided += row.booked - row.pending;
    week.noShow += row.noShow;
    week.lateCancelled += row.lateCancelled;
    weeks.set(row.periodStart, week);
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, w]) => ({ week, ...w, noShowRate: share(w.noShow, w.decided), lateCancellationRate: share(w.lateCancelled, w.decided) }));
}

/** REMS forms per week, all clinics of the report together. */
export function remsByWeek(rows: readonly RemsRow[]): RemsRow[] {
  const weeks = new Map<string, RemsRow>();
  for (const row of rows) {
    const week = weeks.get(row.periodStart) ?? { periodStart: row.periodStart, due: 0, submittedOnTime: 0, submittedLate: 0, overdueNow: 0, notYetDue: 0 };
    week.due += row.due;
    week.submittedOnTime += row.submittedOnTime;
    week.submittedLate += row.submittedLate;
    week.overdueNow += row.overdueNow;
    week.notYetDue += row.notYetDue;
    weeks.set(row.periodStart, week);
  }
  return [...weeks.values()].sort((a, b) => a.periodStart.localeCompare(b.periodStart));
}
