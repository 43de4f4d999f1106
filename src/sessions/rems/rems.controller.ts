import { Body, Controller, Get, Header, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access, param, query } from '../../access/access.decorators';
import { ClinicalAct, Roles } from '../../auth/auth.decorators';
import { Actor, CurrentActor } from '../../common/actor';
import { UuidParam } from '../../common/params';
import type { RemsForm } from '../domain/rems-form';
import { PendingRemsFormResponse, PendingRemsQuery, RemsAnswersDto, RemsCsvQuery, RemsFormResponse } from './dto/rems.dto';
import { RemsService } from './rems.service';

/** Spravato REMS Patient Monitoring Forms: providers (and admin) only. */
@ApiTags('rems')
@ApiBearerAuth()
@Roles('provider')
@Controller()
export class RemsController {
  constructor(private readonly rems: RemsService) {}

  @Access({ appointment: param('id') })
  @Get('appointments/:id/rems-form')
  @ApiOperation({ summary: 'The form of a Spravato session: built from the chart until submitted, then as submitted' })
  @ApiOkResponse({ type: RemsFormResponse })
  get(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<RemsForm> {
    return this.rems.get(id, actor);
  }

  @Access({ appointment: param('id') })
  @ClinicalAct()
  @Patch('appointments/:id/rems-form')
  @ApiOperation({ summary: 'Answer what the chart cannot know (medications, respiratory depression, adverse events, ready-at)' })
  @ApiOkResponse({ type: RemsFormResponse })
  @ApiConflictResponse({ description: 'rems-form-submitted' })
  update(@UuidParam('id') id: string, @Body() dto: RemsAnswersDto, @CurrentActor() actor: Actor): Promise<RemsForm> {
    return this.rems.update(id, dto, actor);
  }

  @Access({ appointment: param('id') })
  @ClinicalAct()
  @Post('appointments/:id/rems-form/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit (and freeze) the form; the body may carry last answers', description: 'Records who submitted it and when' })
  @ApiOkResponse({ type: RemsFormResponse })
  @ApiConflictResponse({ description: 'rems-form-incomplete (with `missing`), rems-form-submitted' })
  submit(@UuidParam('id') id: string, @Body() dto: RemsAnswersDto, @CurrentActor() actor: Actor): Promise<RemsForm> {
    return this.rems.submit(id, dto, actor);
  }

  @Access({ location: query('locationId') }, { filtered: "without locationId, the forms of the actor's clinics" })
  @Get('rems/pending')
  @ApiOperation({ summary: 'Forms not yet submitted, soonest due first; overdue ones marked' })
  @ApiOkResponse({ type: [PendingRemsFormResponse] })
  pending(@Query() pendingQuery: PendingRemsQuery, @CurrentActor() actor: Actor): Promise<PendingRemsFormResponse[]> {
    return this.rems.pending(pendingQuery.locationId, actor);
  }

  @Access({ location: query('locationId') })
  @Get('rems/forms.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="rems-forms.csv"')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: "Every form of a clinic's sessions between two local dates, as CSV for filing" })
  @ApiOkResponse({ description: 'RFC 4180 CSV, one line per session', schema: { type: 'string' } })
  csv(@Query() csvQuery: RemsCsvQuery, @CurrentActor() actor: Actor): Promise<string> {
    return this.rems.csv(csvQuery, actor);
  }
}
