import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/validation';
import { mean, rate } from '../domain/rates';
import { REPORT_FORMATS, REPORT_GROUPINGS, ReportFormat, ReportGrouping, ReportName } from '../domain/report-names';
import type { AttendanceRow, CoursesRow, HeatmapCell, RemsRow, TextsRow, UtilizationRow, WaitlistFillRow } from '../domain/report-rows';

export class ReportQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "One clinic; without it every clinic the caller may see (an admin's: all)" })
  @IsOptional()
  @IsUUID()
  locationId?: string;

  @ApiProperty({ example: '2026-03-01', description: 'First clinic-local date, inclusive' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ example: '2026-03-31', description: 'Last clinic-local date, inclusive (at most 366 days after from)' })
  @IsCalendarDate()
  to: string;

  @ApiPropertyOptional({ enum: REPORT_GROUPINGS, description: 'One row per local day or ISO week (Monday first); without it one row for the whole range' })
  @IsOptional()
  @IsIn(REPORT_GROUPINGS)
  groupBy?: ReportGrouping;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json', description: '`csv`: the rows as RFC 4180 CSV' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

/** What a report was asked, echoed with its rows. */
export class ReportHeader {
  @ApiProperty({ enum: ['utilization', 'attendance', 'courses', 'rems', 'texts'] }) report: ReportName;
  @ApiProperty({ example: '2026-03-01' }) from: string;
  @ApiProperty({ example: '2026-03-31' }) to: string;
  @ApiProperty({ enum: REPORT_GROUPINGS, nullable: true, type: String }) groupBy: ReportGrouping | null;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The clinics the rows cover' }) locationIds: string[];
  @ApiProperty({ example: '2026-04-01T08:00:00-06:00' }) generatedAt: string;
}

class PeriodRow {
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ example: '2026-03-02', description: 'First local date of the period' }) periodStart: string;
  @ApiProperty({ example: '2026-03-08', description: 'Last local date of the period (a week is cut at the range’s ends)' }) periodEnd: string;
}

export class UtilizationRowResponse extends PeriodRow {
  @ApiProperty({ example: 'treatment_chair' }) kind: string;
  @ApiProperty({ format: 'uuid' }) resourceId: string;
  @ApiProperty({ example: 'Chair 1' }) resourceName: string;
  @ApiProperty({ description: 'Minutes the clinic was open (closures excluded; a DST day counts its real length)' }) openMinutes: number;
  @ApiProperty({ description: 'Minutes held by appointments not cancelled (no-shows included), inside opening hours' }) bookedMinutes: number;
  @ApiProperty({ description: 'Minutes held by appointments the patient came to' }) usedMinutes: number;
  @ApiProperty({ nullable: true, type: Number, example: 0.7321, description: 'bookedMinutes / openMinutes' }) utilization: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 0.6512, description: 'usedMinutes / openMinutes' }) usedUtilization: number | null;
}

export class HeatmapCellResponse {
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ example: 'tms_device' }) kind: string;
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday' }) weekday: number;
  @ApiProperty({ minimum: 0, maximum: 23, description: 'Clinic-local hour' }) hour: number;
  @ApiProperty() openMinutes: number;
  @ApiProperty() bookedMinutes: number;
  @ApiProperty() usedMinutes: number;
  @ApiProperty({ nullable: true, type: Number }) utilization: number | null;
}

export class UtilizationReport extends ReportHeader {
  @ApiProperty({ type: [UtilizationRowResponse] }) rows: UtilizationRowResponse[];
  @ApiProperty({ type: [HeatmapCellResponse], description: 'The whole range by weekday and local hour, per resource kind (JSON only)' })
  heatmap: HeatmapCellResponse[];
}

export class AttendanceRowResponse extends PeriodRow {
  @ApiProperty({ example: 'spravato' }) type: string;
  @ApiProperty({ description: 'Appointments starting in the period, whatever became of them' }) booked: number;
  @ApiProperty({ description: 'Discharged' }) completed: number;
  @ApiProperty({ description: 'Cancelled (late ones included)' }) cancelled: number;
  @ApiProperty({ description: 'Cancelled less than 24 hours before the start' }) lateCancelled: number;
  @ApiProperty() noShow: number;
  @ApiProperty({ description: 'Still scheduled or under way: no outcome yet' }) pending: number;
  @ApiProperty({ nullable: true, type: Number, description: 'completed / (booked − pending)' }) completionRate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'cancelled / (booked − pending)' }) cancellationRate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'lateCancelled / (booked − pending)' }) lateCancellationRate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'noShow / (booked − pending)' }) noShowRate: number | null;
}

export class AttendanceReport extends ReportHeader {
  @ApiProperty({ type: [AttendanceRowResponse] }) rows: AttendanceRowResponse[];
}

export class CoursesRowResponse extends PeriodRow {
  @ApiProperty({ example: 'tms-standard' }) protocol: string;
  @ApiProperty({ example: 'tms' }) treatment: string;
  @ApiProperty({ description: 'Courses whose first day is in the period' }) started: number;
  @ApiProperty({ description: 'Of those, completed' }) completed: number;
  @ApiProperty({ description: 'Of those, cancelled (stopped)' }) stopped: number;
  @ApiProperty({ description: 'Of those, still running' }) active: number;
  @ApiProperty({ description: 'Sessions those courses have completed (discharged)' }) sessionsCompleted: number;
  @ApiProperty({ nullable: true, type: Number, description: 'sessionsCompleted / started' }) sessionsCompletedPerCourse: number | null;
  @ApiProperty({
    description: 'Courses with a baseline and a later score on the scale that judges them (MADRS, else HAM-D17, else PHQ-9)',
  })
  withOutcomes: number;
  @ApiProperty({ description: 'Of those, latest score ≥ 50 % below the baseline' }) responded: number;
  @ApiProperty({ description: 'Of those, latest score at or under the scale’s remission threshold' }) remitted: number;
  @ApiProperty({ nullable: true, type: Number, description: 'responded / withOutcomes' }) responseRate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'remitted / withOutcomes' }) remissionRate: number | null;
}

export class CoursesReport extends ReportHeader {
  @ApiProperty({ type: [CoursesRowResponse] }) rows: CoursesRowResponse[];
}

export class RemsRowResponse extends PeriodRow {
  @ApiProperty({ description: 'Monitoring forms falling due in the period (7 days after the dose)' }) due: number;
  @ApiProperty({ description: 'Submitted by the due time' }) submittedOnTime: number;
  @ApiProperty({ description: 'Submitted after it' }) submittedLate: number;
  @ApiProperty({ description: 'Not submitted and past due now' }) overdueNow: number;
  @ApiProperty({ description: 'Not submitted, not due yet' }) notYetDue: number;
  @ApiProperty({ nullable: true, type: Number, description: 'submittedOnTime / (due − notYetDue)' }) onTimeRate: number | null;
}

export class RemsReport extends ReportHeader {
  @ApiProperty({ type: [RemsRowResponse] }) rows: RemsRowResponse[];
}

export class TextsRowResponse extends PeriodRow {
  @ApiProperty({ description: 'Texts planned for the period and handed to the provider' }) sent: number;
  @ApiProperty() failed: number;
  @ApiProperty({ description: 'Not sent: the patient had not opted in' }) suppressed: number;
  @ApiProperty({ description: 'Not sent: the appointment moved or was cancelled' }) cancelled: number;
  @ApiProperty({ description: 'Still to go' }) pending: number;
  @ApiProperty({ description: 'STOP replies' }) optOuts: number;
  @ApiProperty({ description: 'Appointments confirmed by a reply (C, YES …)' }) confirmationsByReply: number;
  @ApiProperty({ description: 'Reschedule requests by a reply (R)' }) rescheduleRequestsByReply: number;
  @ApiProperty({ description: 'Waitlist offers sent' }) waitlistOffers: number;
  @ApiProperty({ description: 'Of those, accepted (YES)' }) waitlistAccepted: number;
  @ApiProperty({ description: 'Freed slots offered (a slot offered to several patients in turn counts once)' }) waitlistSlotsOffered: number;
  @ApiProperty({ description: 'Of those, filled by an offer' }) waitlistSlotsFilled: number;
  @ApiProperty({ nullable: true, type: Number, description: 'waitlistSlotsFilled / waitlistSlotsOffered' }) waitlistFillRate: number | null;
}

export class TextsReport extends ReportHeader {
  @ApiProperty({ type: [TextsRowResponse] }) rows: TextsRowResponse[];
}

/** The CSV columns of each report, in order: the rows' fields. */
export const REPORT_COLUMNS: Record<ReportName, readonly string[]> = {
  utilization: [
    'locationId',
    'periodStart',
    'periodEnd',
    'kind',
    'resourceId',
    'resourceName',
    'openMinutes',
    'bookedMinutes',
    'usedMinutes',
    'utilization',
    'usedUtilization',
  ],
  attendance: [
    'locationId',
    'periodStart',
    'periodEnd',
    'type',
    'booked',
    'completed',
    'cancelled',
    'lateCancelled',
    'noShow',
    'pending',
    'completionRate',
    'cancellationRate',
    'lateCancellationRate',
    'noShowRate',
  ],
  courses: [
    'locationId',
    'periodStart',
    'periodEnd',
    'protocol',
    'treatment',
    'started',
    'completed',
    'stopped',
    'active',
    'sessionsCompleted',
    'sessionsCompletedPerCourse',
    'withOutcomes',
    'responded',
    'remitted',
    'responseRate',
    'remissionRate',
  ],
  rems: ['locationId', 'periodStart', 'periodEnd', 'due', 'submittedOnTime', 'submittedLate', 'overdueNow', 'notYetDue', 'onTimeRate'],
  texts: [
    'locationId',
    'periodStart',
    'periodEnd',
    'sent',
    'failed',
    'suppressed',
    'cancelled',
    'pending',
    'optOuts',
    'confirmationsByReply',
    'rescheduleRequestsByReply',
    'waitlistOffers',
    'waitlistAccepted',
    'waitlistSlotsOffered',
    'waitlistSlotsFilled',
    'waitlistFillRate',
  ],
};

export const toUtilizationRow = (row: UtilizationRow): UtilizationRowResponse => ({
  ...row,
  utilization: rate(row.bookedMinutes, row.openMinutes),
  usedUtilization: rate(row.usedMinutes, row.openMinutes),
});

export const toHeatmapCell = (cell: HeatmapCell): HeatmapCellResponse => ({ ...cell, utilization: rate(cell.bookedMinutes, cell.openMinutes) });

export function toAttendanceRow(row: AttendanceRow): AttendanceRowResponse {
  const decided = row.booked - row.pending;
  return {
    ...row,
    completionRate: rate(row.completed, decided),
    cancellationRate: rate(row.cancelled, decided),
    lateCancellationRate: rate(row.lateCancelled, decided),
    noShowRate: rate(row.noShow, decided),
  };
}

export const toCoursesRow = (row: CoursesRow): CoursesRowResponse => ({
  ...row,
  sessionsCompletedPerCourse: mean(row.sessionsCompleted, row.started),
  responseRate: rate(row.responded, row.withOutcomes),
  remissionRate: rate(row.remitted, row.withOutcomes),
});

export const toRemsRow = (row: RemsRow): RemsRowResponse => ({ ...row, onTimeRate: rate(row.submittedOnTime, row.due - row.notYetDue) });

/**
 * The texts rows with the waitlist's offers of the same clinic and period beside them (a period with offers
 * and no texts gets a row of its own).
 */
export function toTextsRows(texts: TextsRow[], waitlist: WaitlistFillRow[]): TextsRowResponse[] {
  const key = (row: { locationId: string; periodStart: string }) => `${row.periodStart} ${row.locationId}`;
  const offers = new Map(waitlist.map((row) => [key(row), row]));
  const empty = { sent: 0, failed: 0, suppressed: 0, cancelled: 0, pending: 0, optOuts: 0, confirmationsByReply: 0, rescheduleRequestsByReply: 0 };
  const rows = new Map<string, TextsRow>(texts.map((row) => [key(row), row]));
  for (const row of waitlist) {
    if (!rows.has(key(row))) rows.set(key(row), { locationId: row.locationId, periodStart: row.periodStart, periodEnd: row.periodEnd, ...empty });
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, row]) => {
      const w = offers.get(k);
      return {
        ...row,
        waitlistOffers: w?.offers ?? 0,
        waitlistAccepted: w?.accepted ?? 0,
        waitlistSlotsOffered: w?.slotsOffered ?? 0,
        waitlistSlotsFilled: w?.slotsFilled ?? 0,
        waitlistFillRate: rate(w?.slotsFilled ?? 0, w?.slotsOffered ?? 0),
      };
    });
}
