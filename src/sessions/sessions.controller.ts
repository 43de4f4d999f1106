import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppointmentResponse } from '../appointments/dto/appointment.dto';
import { ClinicalAct, Roles } from '../auth/auth.decorators';
import { Access, param, query } from '../access/access.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { UuidParam } from '../common/params';
import { ClearanceQueueService } from './clearance-queue.service';
import { DosingService } from './dosing.service';
import { ClearanceQueueQuery, WaitingClearanceResponse } from './dto/clearance-queue.dto';
import {
  DischargeDto,
  DosedAppointmentResponse,
  DosingClearanceDto,
  DosingClearanceResponse,
  ObservationEntryResponse,
  RecordDoseDto,
  SessionResponse,
  TmsRecordDto,
  TmsRecordResponse,
} from './dto/session.dto';
import { RecordVitalsDto, VitalsResponse } from './dto/vitals.dto';
import { ObservationService } from './observation.service';
import { SessionWorkflowService } from './session-workflow.service';
import { VitalsService } from './vitals.service';

const OUT_OF_ORDER = { description: 'A workflow rule refuses it: `rule` names it, `currentStatus` gives the status' };

/**
 * The session at the chair: nurses and providers (front desk reads appointment statuses only). Every write
 * here is a clinical act (@ClinicalAct): an admin may read it, not chart it.
 */
@ApiTags('sessions')
@ApiBearerAuth()
@Controller()
export class SessionsController {
  constructor(
    private readonly workflow: SessionWorkflowService,
    private readonly vitals: VitalsService,
    private readonly dosing: DosingService,
    private readonly observation: ObservationService,
    private readonly clearances: ClearanceQueueService,
  ) {}

  @Roles('nurse', 'provider')
  @Access({ appointment: param('id') })
  @ClinicalAct()
  @Post('appointments/:id/check-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'scheduled → checked_in, on the day of the appointment (clinic-local)' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiConflictResponse(OUT_OF_ORDER)
  checkIn(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<AppointmentResponse> {
    return this.workflow.checkIn(id, actor);
  }

  @Roles('nurse', 'provider')
  @Access({ appointment: param('id') })
  @ClinicalAct()
  @Post('appointments/:id/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'checked_in → in_treatment: the ketamine infusion, ECT treatment, TMS session or visit starts' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiConflictResponse(OUT_OF_ORDER)
  start(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<AppointmentResponse> {
    return this.workflow.start(id, actor);
  }

  @Roles('nurse', 'provider')
  @Access({ appointment: param('id') })
  @ClinicalAct()
  @Post('appointments/:id/treatment-end')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ketamine: the infusion ends; ECT: the patient moves to the recovery bay',
    description: 'in_treatment → observing; earliestDischargeAt = now + the recovery time (30 minutes by default)',
  })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiConflictResponse(OUT_OF_ORDER)
  endTreatment(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<AppointmentResponse> {
    return this.workflow.endTreatment(id, actor);
  }

  @Roles('nurse', 'provider')
  @Access({ appointment: param('id') })
  @ClinicalAct()
  @Post('appointments/:id/vitals')
  @ApiOperation({ summary: 'Append a vitals entry (a correction names the entry it replaces in correctsId)' })
  @ApiCreatedResponse({ type: VitalsResponse })
  @ApiConflictResponse(OUT_OF_ORDER)
  recordVitals(@UuidParam('id') id: string, @Body() dto: RecordVitalsDto, @CurrentActor() actor: Actor): Promise<VitalsResponse> {
    return this.vitals.record(id, dto, actor);
  }

  @Roles('nurse', 'provider')
  @Access({ appointment: param('id') })
  @Get('appointments/:id/vitals')
  @ApiOperation({ summary: 'Every vitals entry in the order taken, corrected ones marked superseded' })
  @ApiOkResponse({ type: [VitalsResponse] })
  listVitals(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<VitalsResponse[]> {
    return this.vitals.list(id, actor);
  }

  @Roles('provider')
  @Access({ appointment: param('id') })
  @ClinicalAct()
  @Post('appointments/:id/dosing-clearance')
  @ApiOperation({ summary: "Spravato: a provider's decision to dose despite a latest pre-dose BP above 140/90" })
  @ApiCreatedResponse({ type: DosingClearanceResponse })
  @ApiConflictResponse(OUT_OF_ORDER)
  clearDosing(@UuidParam('id') id: string, @Body() dto: DosingClearanceDto, @CurrentActor() actor: Actor): Promise<DosingClearanceResponse> {
    return this.dosing.clear(id, dto, actor);
  }

  @Roles('provider')
  @Access({ location: query('locationId') })
  @Get('dosing-clearances/waiting')
  @ApiOperation({
    summary: "Spravato sessions of a clinic's day waiting for a provider's dosing clearance",
    description:
      'Checked in or in treatment, latest pre-dose BP above 140/90 and not cleared; by appointment time. Names the patient, the chair and the reading (audited per patient).',
  })
  @ApiOkResponse({ type: [WaitingClearanceResponse] })
  waitingClearances(@Query() clearanceQuery: ClearanceQueueQuery, @CurrentActor() actor: Actor): Promise<WaitingClearanceResponse[]> {
    return this.clearances.waiting(clearanceQuery, actor);
  }

  @Roles('nurse', 'provider')
  @Access({ appointment: param('id') })
  @ClinicalAct()
  @Post('appointments/:id/doses')
  @ApiOperation({
    summary: 'Spravato: record the dose; checked_in or in_treatment → observing',
    description:
      'Needs REMS enrolment, pre-dose vitals and, above 140/90, a dosing clearance. Devices are 5 minutes apart from administeredAt; ' +
      'earliestDischargeAt = last device + 120 minutes. Opens the REMS Patient Monitoring Form.',
  })
  @ApiCreatedResponse({ type: DosedAppointmentResponse })
  @ApiConflictResponse(OUT_OF_ORDER)
  dose(@UuidParam('id') id: string, @Body() dto: RecordDoseDto, @CurrentActor() actor: Actor): Promise<DosedAppointmentResponse> {
    return this.dosing.dose(id, dto, actor);
  }

  @Roles('nurse', 'provider')
  @Access({ appointment: param('id') })
  @ClinicalAct()
  @Post('appointments/:id/discharge')
  @HttpCode(200)
  @ApiOperation({
    summary: '→ discharged once every condition of the treatment is met',
    description:
      'Spravato: not before earliestDischargeAt, BP 30–60 min after the first device, discharge vitals (sedation and dissociation resolved), ride. ' +
      'Ketamine: recovery time, discharge vitals, ride. ECT: recovery-bay time, named adult escort. TMS: the session record. ' +
      'A 409 names the first unmet rule; when several are unmet, `unmet` lists them all.',
  })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiConflictResponse(OUT_OF_ORDER)
  discharge(@UuidParam('id') id: string, @Body() dto: DischargeDto, @CurrentActor() actor: Actor): Promise<AppointmentResponse> {
    return this.workflow.discharge(id, dto, actor);
  }

  @Roles('nurse', 'provider')
  @Access({ appointment: param('id') })
  @ClinicalAct()
  @Post('appointments/:id/tms-record')
  @ApiOperation({ summary: 'TMS: the session record; the first session of a course must give the motor threshold' })
  @ApiCreatedResponse({ type: TmsRecordResponse })
  @ApiConflictResponse(OUT_OF_ORDER)
  recordTms(@UuidParam('id') id: string, @Body() dto: TmsRecordDto, @CurrentActor() actor: Actor): Promise<TmsRecordResponse> {
    return this.workflow.recordTms(id, dto, actor);
  }

  @Roles('nurse', 'provider')
  @Access({ appointment: param('id') })
  @Get('appointments/:id/session')
  @ApiOperation({ summary: 'The steps of the session so far: check-in, start, dose, clearances, TMS record, discharge, next vitals due' })
  @ApiOkResponse({ type: SessionResponse })
  session(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<SessionResponse> {
    return this.workflow.summary(id, actor);
  }

  @Roles('front_desk', 'nurse', 'provider')
  @Access({ location: param('id') })
  @Get('locations/:id/observation')
  @ApiOperation({
    summary: 'Patients in observation or recovery (and ketamine infusions under way)',
    description:
      'overrunsNextBooking: the resource will not be free by its next booking, taking it free at max(now, earliestDischargeAt) + 10 minutes ' +
      '(a running ketamine infusion: start + 40 + 30 minutes). No clinical values: front desk sees it to move the next booking.',
  })
  @ApiOkResponse({ type: [ObservationEntryResponse] })
  observationBoard(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<ObservationEntryResponse[]> {
    return this.observation.board(id, actor);
  }
}
