import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, query } from '../access/access.decorators';
import { Roles } from '../auth/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { AttendanceReport, CoursesReport, RemsReport, ReportQueryDto, TextsReport, UtilizationReport } from './dto/report.dto';
import { RenderedReport, ReportsService } from './reports.service';

/** The JSON document, or the CSV text with its content type and file name. */
function send<T>(reply: FastifyReply, report: RenderedReport<T>): T | string {
  if (report.format === 'json') return report.body;
  void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${report.filename}"`);
  return report.body;
}

const CSV = { description: 'With `format=csv`: the rows as RFC 4180 CSV, one line per row, a header line first' };

@ApiTags('reports')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
// A clinic named is checked by the guard (another clinic is a 403); without one, a report covers the actor's clinics.
@Access({ location: query('locationId') }, { filtered: "without locationId, the SQL keeps to the actor's clinics (clinicScope)" })
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Roles('front_desk')
  @Get('utilization')
  @ApiOperation({ summary: 'Open, booked and used minutes per resource (and a weekday × hour heatmap)', description: CSV.description })
  @ApiOkResponse({ type: UtilizationReport })
  async utilization(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    return send(reply, await this.reports.utilization(query, actor));
  }

  @Roles('front_desk')
  @Get('attendance')
  @ApiOperation({ summary: 'Per appointment type: booked, completed, cancelled, late-cancelled, no-show, rates', description: CSV.description })
  @ApiOkResponse({ type: AttendanceReport })
  async attendance(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    return send(reply, await this.reports.attendance(query, actor));
  }

  @Roles('front_desk')
  @Get('courses')
  @ApiOperation({ summary: 'Courses started in the range per protocol: completed, stopped, sessions, response and remission', description: CSV.description })
  @ApiOkResponse({ type: CoursesReport })
  async courses(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    return send(reply, await this.reports.courses(query, actor));
  }

  @Roles('front_desk')
  @Get('rems')
  @ApiOperation({ summary: 'REMS monitoring forms due: submitted on time, late, overdue now', description: CSV.description })
  @ApiOkResponse({ type: RemsReport })
  async rems(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    return send(reply, await this.reports.rems(query, actor));
  }

  @Roles('front_desk')
  @Get('texts')
  @ApiOperation({ summary: 'Texts sent, failed, suppressed; opt-outs; replies and waitlist fill', description: CSV.description })
  @ApiOkResponse({ type: TextsReport })
  async texts(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    return send(reply, await this.reports.texts(query, actor));
  }
}
