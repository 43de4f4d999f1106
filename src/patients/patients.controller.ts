import { Body, Controller, Get, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { Access, body, param } from '../access/access.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { sendPage } from '../common/paging';
import { UuidParam } from '../common/params';
import { AuthorizationResponse, CreateAuthorizationDto } from './dto/authorization.dto';
import { EligibilityQueryDto, EligibilityResponse } from './dto/eligibility.dto';
import { CreateMedicationTrialDto, MedicationTrialResponse } from './dto/medication-trial.dto';
import { CreatePatientDto, PatientResponse, PatientSearchQueryDto, UpdatePatientDto } from './dto/patient.dto';
import { PatientsService } from './patients.service';

/** Front desk registers patients and their payer paperwork; clinical staff read them. Admin passes everywhere. */
const WRITERS = ['front_desk'] as const;
const READERS = ['front_desk', 'nurse', 'provider'] as const;

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Roles(...WRITERS)
  @Access({ location: body('preferredLocationId') })
  @Post()
  @ApiCreatedResponse({ type: PatientResponse })
  create(@Body() dto: CreatePatientDto, @CurrentActor() actor: Actor): Promise<PatientResponse> {
    return this.patients.create(dto, actor);
  }

  /** Sorted by last name, first name; when more match, the `x-next-cursor` header carries the next page's cursor. */
  @Roles(...READERS)
  @Access.filtered("patients of the actor's clinics; a search of at least 2 characters for non-admins")
  @Get()
  @ApiOkResponse({
    type: [PatientResponse],
    headers: { 'x-next-cursor': { description: 'Pass as `cursor` for the next page; absent on the last page', schema: { type: 'string' } } },
  })
  async search(
    @Query() query: PatientSearchQueryDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PatientResponse[]> {
    return sendPage(reply, await this.patients.search(query, actor));
  }

  @Roles(...READERS)
  @Access({ patient: param('id') })
  @Get(':id')
  @ApiOkResponse({ type: PatientResponse })
  get(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<PatientResponse> {
    return this.patients.read(id, actor);
  }

  @Roles(...WRITERS)
  @Access({ patient: param('id'), location: body('preferredLocationId') })
  @Patch(':id')
  @ApiOkResponse({ type: PatientResponse })
  update(@UuidParam('id') id: string, @Body() dto: UpdatePatientDto, @CurrentActor() actor: Actor): Promise<PatientResponse> {
    return this.patients.update(id, dto, actor);
  }

  @Roles(...WRITERS)
  @Access({ patient: param('id') })
  @Post(':id/medication-trials')
  @ApiCreatedResponse({ type: MedicationTrialResponse })
  addMedicationTrial(@UuidParam('id') id: string, @Body() dto: CreateMedicationTrialDto, @CurrentActor() actor: Actor): Promise<MedicationTrialResponse> {
    return this.patients.addMedicationTrial(id, dto, actor);
  }

  @Roles(...READERS)
  @Access({ patient: param('id') })
  @Get(':id/medication-trials')
  @ApiOkResponse({ type: [MedicationTrialResponse], description: 'Sorted by startedOn' })
  medicationTrials(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<MedicationTrialResponse[]> {
    return this.patients.listMedicationTrials(id, actor);
  }

  @Roles(...WRITERS)
  @Access({ patient: param('id') })
  @Post(':id/authorizations')
  @ApiCreatedResponse({ type: AuthorizationResponse })
  addAuthorization(@UuidParam('id') id: string, @Body() dto: CreateAuthorizationDto, @CurrentActor() actor: Actor): Promise<AuthorizationResponse> {
    return this.patients.addAuthorization(id, dto, actor);
  }

  @Roles(...READERS)
  @Access({ patient: param('id') })
  @Get(':id/authorizations')
  @ApiOkResponse({ type: [AuthorizationResponse], description: 'Sorted by validFrom' })
  authorizations(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<AuthorizationResponse[]> {
    return this.patients.listAuthorizations(id, actor);
  }

  @Roles(...READERS)
  @Access({ patient: param('id') })
  @Get(':id/eligibility')
  @ApiOkResponse({ type: EligibilityResponse })
  eligibility(@UuidParam('id') id: string, @Query() query: EligibilityQueryDto, @CurrentActor() actor: Actor): Promise<EligibilityResponse> {
    return this.patients.readEligibility(id, query.treatment, actor);
  }
}
