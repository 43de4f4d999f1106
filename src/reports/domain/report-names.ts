/** The reports a clinic director reads (api.md v2 "Reports"), and how their rows are grouped in time. */

export const REPORT_NAMES = ['utilization', 'attendance', 'courses', 'rems', 'texts'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** `day`: one row per clinic-local date; `week`: per ISO week (Monday first), cut at the range's ends. */
export const REPORT_GROUPINGS = ['day', 'week'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A report spans at most this many days: a year and a day, so a whole leap year fits. */
export const MAX_REPORT_DAYS = 366;

export function isReportName(name: string): name is ReportName {
  return (REPORT_NAMES as readonly string[]).includes(name);
}
