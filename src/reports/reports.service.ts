import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor, clinicScope } from '../common/actor';
import { toClinicIso } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { Forbidden, InvalidInput } from '../common/problems';
import { LocationsService } from '../locations/locations.service';
import { CsvValue, reportCsv } from './domain/report-csv';
import { ReportName } from './domain/report-names';
import { rangeProblem } from './domain/report-range';
import {
  AttendanceReport,
  CoursesReport,
  REPORT_COLUMNS,
  ReportHeader,
  ReportQueryDto,
  RemsReport,
  TextsReport,
  toAttendanceRow,
  toCoursesRow,
  toHeatmapCell,
  toRemsRow,
  toTextsRows,
  toUtilizationRow,
  UtilizationReport,
} from './dto/report.dto';
import { ReportScope, ReportsRepository } from './reports.repository';

/** A report as asked for: the JSON document, or its rows as CSV with a file name. */
export type RenderedReport<T> = { format: 'json'; body: T } | { format: 'csv'; body: string; filename: string };

/**
 * The five reports a clinic director reads. Each is computed by SQL on the read connection, for the
 * clinics the caller may see, then audited (who read which report of which clinics) on the primary.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly locations: LocationsService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async utilization(query: ReportQueryDto, actor: Actor): Promise<RenderedReport<UtilizationReport>> {
    const scope = await this.scopeOf(query, actor);
    const [rows, heatmap] = await Promise.all([this.reports.utilizationByResource(scope), this.reports.utilizationHeatmap(scope)]);
    return this.render('utilization', query, scope, actor, { rows: rows.map(toUtilizationRow), heatmap: heatmap.map(toHeatmapCell) });
  }

  async attendance(query: ReportQueryDto, actor: Actor): Promise<RenderedReport<AttendanceReport>> {
    const scope = await this.scopeOf(query, actor);
    return this.render('attendance', query, scope, actor, { rows: (await this.reports.attendanceByType(scope)).map(toAttendanceRow) });
  }

  async courses(query: ReportQueryDto, actor: Actor): Promise<RenderedReport<CoursesReport>> {
    const scope = await this.scopeOf(query, actor);
    return this.render('courses', query, scope, actor, { rows: (await this.reports.coursesByProtocol(scope)).map(toCoursesRow) });
  }

  async rems(query: ReportQueryDto, actor: Actor): Promise<RenderedReport<RemsReport>> {
    const scope = await this.scopeOf(query, actor);
    return this.render('rems', query, scope, actor, { rows: (await this.reports.remsTimeliness(scope)).map(toRemsRow) });
  }

  async texts(query: ReportQueryDto, actor: Actor): Promise<RenderedReport<TextsReport>> {
    const scope = await this.scopeOf(query, actor);
    const [texts, waitlist] = await Promise.all([this.reports.textsActivity(scope), this.reports.waitlistFill(scope)]);
    return this.render('texts', query, scope, actor, { rows: toTextsRows(texts, waitlist) });
  }

  /**
   * The clinics the report covers: the one asked for, or every clinic the caller may see (an admin: all;
   * front desk: their own). The route's @Access has already refused another clinic (403); the check here
   * keeps the service safe when called otherwise.
   */
  private async scopeOf(query: ReportQueryDto, actor: Actor): Promise<ReportScope> {
    const problem = rangeProblem(query.from, query.to);
    if (problem) throw InvalidInput.field(problem.field, problem.message);
    if (query.locationId) await this.locations.findOrFail(query.locationId);
    const allowed = clinicScope(actor);
    if (query.locationId && allowed && !allowed.includes(query.locationId)) {
      throw new Forbidden(`You may read reports only for your own clinics; location ${query.locationId} is not one of them.`);
    }
    const locationIds = query.locationId ? [query.locationId] : (allowed ?? (await this.locations.list()).map((location) => location.id));
    return { locationIds: [...locationIds].sort(), from: query.from, to: query.to, groupBy: query.groupBy, now: this.clock.now() };
  }

  private async render<T extends { rows: Array<object> }>(
    name: ReportName,
    query: ReportQueryDto,
    scope: ReportScope,
    actor: Actor,
    content: T,
  ): Promise<RenderedReport<ReportHeader & T>> {
    const format = query.format ?? 'json';
    // Aggregates only, no patient rows; still, who looked at which clinic's figures is worth keeping.
    await this.audit.record(undefined, actor, 'report.read', 'report', name, {
      locationIds: scope.locationIds,
      from: scope.from,
      to: scope.to,
      groupBy: scope.groupBy ?? null,
      format,
    });
    if (format === 'csv') {
      return {
        format,
        body: reportCsv(REPORT_COLUMNS[name], content.rows as Array<Record<string, CsvValue>>),
        filename: `${name}-${scope.from}-${scope.to}.csv`,
      };
    }
    const header: ReportHeader = {
      report: name,
      from: scope.from,
      to: scope.to,
      groupBy: scope.groupBy ?? null,
      locationIds: scope.locationIds,
      generatedAt: toClinicIso(scope.now),
    };
    return { format, body: { ...header, ...content } };
  }
}
