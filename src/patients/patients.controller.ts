import { Body, Controller, Get, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { UuidParam } from '../common/params';
import { AuthorizationResponse, CreateAuthorizationDto, toAuthorizationResponse } from './dto/authorization.dto';
import { EligibilityQueryDto, EligibilityResponse, toEligibilityResponse } from './dto/eligibility.dto';
import { CreateMedicationTrialDto, MedicationTrialResponse, toMedicationTrialResponse } from './dto/medication-trial.dto';
import { CreatePatientDto, PatientResponse, PatientSearchQueryDto, toPatientResponse, UpdatePatientDto } from './dto/patient.dto';
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
  @Post()
  @ApiCreatedResponse({ type: PatientResponse })
  async create(@Body() dto: CreatePatientDto, @CurrentActor() actor: Actor): Promise<PatientResponse> {
    return toPatientResponse(await this.patients.create(dto, actor));
  }

  /** Sorted by last name, first name; when more match, the `x-next-cursor` header carries the next page's cursor. */
  @Roles(...READERS)
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
    const page = await this.patients.search(query, actor);
    if (page.nextCursor) void reply.header('x-next-cursor', page.nextCursor);
    return page.patients.map(toPatientResponse);
  }

  @Roles(...READERS)
  @Get(':id')
  @ApiOkResponse({ type: PatientResponse })
  async get(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<PatientResponse> {
    return toPatientResponse(await this.patients.read(id, actor));
  }

  @Roles(...WRITERS)
  @Patch(':id')
  @ApiOkResponse({ type: PatientResponse })
  async update(@UuidParam('id') id: string, @Body() dto: UpdatePatientDto, @CurrentActor() actor: Actor): Promise<PatientResponse> {
    return toPatientResponse(await this.patients.update(id, dto, actor));
  }

  @Roles(...WRITERS)
  @Post(':id/medication-trials')
  @ApiCreatedResponse({ type: MedicationTrialResponse })
  async addMedicationTrial(@UuidParam('id') id: string, @Body() dto: CreateMedicationTrialDto, @CurrentActor() actor: Actor): Promise<MedicationTrialResponse> {
    return toMedicationTrialResponse(await this.patients.addMedicationTrial(id, dto, actor));
  }

  @Roles(...READERS)
  @Get(':id/medication-trials')
  @ApiOkResponse({ type: [MedicationTrialResponse], description: 'Sorted by startedOn' })
  async medicationTrials(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<MedicationTrialResponse[]> {
    return (await this.patients.listMedicationTrials(id, actor)).map(toMedicationTrialResponse);
  }

  @Roles(...WRITERS)
  @Post(':id/authorizations')
  @ApiCreatedResponse({ type: AuthorizationResponse })
  async addAuthorization(@UuidParam('id') id: string, @Body() dto: CreateAuthorizationDto, @CurrentActor() actor: Actor): Promise<AuthorizationResponse> {
    return toAuthorizationResponse(await this.patients.addAuthorization(id, dto, actor));
  }

  @Roles(...READERS)
  @Get(':id/authorizations')
  @ApiOkResponse({ type: [AuthorizationResponse], description: 'Sorted by validFrom' })
  async authorizations(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<AuthorizationResponse[]> {
    return (await this.patients.listAuthorizations(id, actor)).map(toAuthorizationResponse);
  }

  @Roles(...READERS)
  @Get(':id/eligibility')
  @ApiOkResponse({ type: EligibilityResponse })
  async eligibility(@UuidParam('id') id: string, @Query() query: EligibilityQueryDto, @CurrentActor() actor: Actor): Promise<EligibilityResponse> {
    return toEligibilityResponse(await this.patients.readEligibility(id, query.treatment, actor));
  }
}
