import { Body, Controller, createParamDecorator, ExecutionContext, Get, HttpCode, Param, PipeTransform, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Appointment, Bundle, CapabilityStatement, HealthcareService, Location, Patient, Practitioner, Schedule, Slot } from '@medplum/fhirtypes';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, param, query } from '../access/access.decorators';
import { Public, Roles } from '../auth/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { NotFound } from '../common/problems';
import { type RawQuery, UUID } from './domain/search-params';
import { FhirService } from './fhir.service';

/** The request's path and query, for a Bundle's self link. */
const RequestPath = createParamDecorator((_: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<FastifyRequest>().url);

/** A resource id in the path: one that cannot exist is a 404, as FHIR answers an unknown id. */
class FhirIdPipe implements PipeTransform<string, string> {
  constructor(
    private readonly type: string,
    private readonly shape: RegExp = UUID,
  ) {}

  transform(value: string): string {
    if (!this.shape.test(value)) throw new NotFound(this.type, value.slice(0, 64));
    return value.toLowerCase();
  }
}

const Id = (type: string, shape?: RegExp) => Param('id', new FhirIdPipe(type, shape));

const READERS = ['front_desk', 'nurse', 'provider'] as const;
const OPERATION_BODY = {
  description: 'A FHIR Parameters resource',
  schema: { type: 'object', properties: { resourceType: { type: 'string', example: 'Parameters' } } },
};

/**
 * FHIR R4 under /fhir/R4 (application/fhir+json; errors are OperationOutcomes): read and search, and the IHE
 * ITI Scheduling operations. Same bearer tokens, roles and audit as /api.
 */
@ApiTags('fhir')
@ApiBearerAuth()
@Controller('fhir/R4')
export class FhirController {
  constructor(private readonly fhir: FhirService) {}

  @Public()
  @Get('metadata')
  @ApiOperation({ summary: 'The CapabilityStatement: exactly what this server supports' })
  metadata(): CapabilityStatement {
    return this.fhir.metadata();
  }

  @Roles(...READERS)
  @Access.filtered("PatientsService.search: the patients of the actor's clinics")
  @Get('Patient')
  searchPatients(@Query() query: RawQuery, @CurrentActor() actor: Actor, @RequestPath() path: string): Promise<Bundle<Patient>> {
    return this.fhir.directory.searchPatients(query, actor, this.fhir.directory.urlOf(path));
  }

  @Roles(...READERS)
  @Access({ patient: param('id') })
  @Get('Patient/:id')
  readPatient(@Id('Patient') id: string, @CurrentActor() actor: Actor): Promise<Patient> {
    return this.fhir.directory.readPatient(id, actor);
  }

  @Roles(...READERS)
  @Access.unscoped('the FHIR directory: clinics, resources, staff, services, schedules and free/busy slots; no patient data')
  @Get('Location')
  searchLocations(@Query() query: RawQuery, @RequestPath() path: string): Promise<Bundle<Location>> {
    return this.fhir.directory.searchLocations(query, this.fhir.directory.urlOf(path));
  }

  @Roles(...READERS)
  @Access.unscoped('the FHIR directory: clinics, resources, staff, services, schedules and free/busy slots; no patient data')
  @Get('Location/:id')
  readLocation(@Id('Location') id: string): Promise<Location> {
    return this.fhir.directory.readLocation(id);
  }

  @Roles(...READERS)
  @Access.unscoped('the FHIR directory: clinics, resources, staff, services, schedules and free/busy slots; no patient data')
  @Get('Practitioner')
  searchPractitioners(@Query() query: RawQuery, @RequestPath() path: string): Promise<Bundle<Practitioner>> {
    return this.fhir.directory.searchPractitioners(query, this.fhir.directory.urlOf(path));
  }

  @Roles(...READERS)
  @Access.unscoped('the FHIR directory: clinics, resources, staff, services, schedules and free/busy slots; no patient data')
  @Get('Practitioner/:id')
  readPractitioner(@Id('Practitioner') id: string): Promise<Practitioner> {
    return this.fhir.directory.readPractitioner(id);
  }

  @Roles(...READERS)
  @Access.unscoped('the FHIR directory: clinics, resources, staff, services, schedules and free/busy slots; no patient data')
  @Get('HealthcareService')
  searchHealthcareServices(@Query() query: RawQuery, @RequestPath() path: string): Promise<Bundle<HealthcareService>> {
    return this.fhir.directory.searchHealthcareServices(query, this.fhir.directory.urlOf(path));
  }

  @Roles(...READERS)
  @Access.unscoped('the FHIR directory: clinics, resources, staff, services, schedules and free/busy slots; no patient data')
  @Get('HealthcareService/:id')
  readHealthcareService(@Id('HealthcareService', /^[a-z-]{1,20}$/) id: string): Promise<HealthcareService> {
    return this.fhir.directory.readHealthcareService(id);
  }

  @Roles(...READERS)
  @Access.unscoped('the FHIR directory: clinics, resources, staff, services, schedules and free/busy slots; no patient data')
  @Get('Schedule')
  searchSchedules(@Query() query: RawQuery, @RequestPath() path: string): Promise<Bundle<Schedule>> {
    return this.fhir.directory.searchSchedules(query, this.fhir.directory.urlOf(path));
  }

  @Roles(...READERS)
  @Access.unscoped('the FHIR directory: clinics, resources, staff, services, schedules and free/busy slots; no patient data')
  @Get('Schedule/:id')
  readSchedule(@Id('Schedule') id: string): Promise<Schedule> {
    return this.fhir.directory.readSchedule(id);
  }

  @Roles(...READERS)
  @Access.unscoped('the FHIR directory: clinics, resources, staff, services, schedules and free/busy slots; no patient data')
  @Get('Slot')
  searchSlots(@Query() query: RawQuery, @RequestPath() path: string): Promise<Bundle<Slot>> {
    return this.fhir.slots.searchSlots(query, this.fhir.directory.urlOf(path));
  }

  @Roles(...READERS)
  @Access.unscoped('the FHIR directory: clinics, resources, staff, services, schedules and free/busy slots; no patient data')
  @Get('Slot/:id')
  readSlot(@Id('Slot', /^[0-9a-f-]{36}\.[a-z-]+\.\d{9,11}$/) id: string): Promise<Slot> {
    return this.fhir.slots.readSlot(id);
  }

  @Roles(...READERS)
  @Access({ patient: query('patient'), location: query('location') }, { filtered: "the appointments at the actor's clinics" })
  @Get('Appointment')
  searchAppointments(@Query() query: RawQuery, @CurrentActor() actor: Actor, @RequestPath() path: string): Promise<Bundle<Appointment>> {
    return this.fhir.scheduling.searchAppointments(query, actor, this.fhir.directory.urlOf(path));
  }

  @Roles(...READERS)
  @Access({ appointment: param('id') })
  @Get('Appointment/:id')
  readAppointment(@Id('Appointment') id: string, @CurrentActor() actor: Actor): Promise<Appointment> {
    return this.fhir.scheduling.readAppointment(id, actor);
  }

  @Roles(...READERS)
  @Access.filtered("FhirSchedulingService.find: ClinicAccess on the Parameters, proposals at the actor's clinics")
  @Post('Appointment/$find')
  @HttpCode(200)
  @ApiOperation({ summary: 'IHE ITI-115: proposed appointments (start, end, service-type; location, patient, practitioner optional)' })
  @ApiBody(OPERATION_BODY)
  @ApiOkResponse({ description: 'A Bundle of proposed Appointments' })
  find(@Body() body: unknown, @CurrentActor() actor: Actor, @RequestPath() path: string): Promise<Bundle<Appointment>> {
    return this.fhir.find(body, actor, path);
  }

  @Roles(...READERS)
  @Access({ patient: query('patient'), location: query('location') }, { filtered: "proposals at the actor's clinics" })
  @Get('Appointment/$find')
  @ApiOperation({ summary: 'IHE ITI-115 as a GET: the same parameters in the query' })
  findByQuery(@Query() query: RawQuery, @CurrentActor() actor: Actor, @RequestPath() path: string): Promise<Bundle<Appointment>> {
    return this.fhir.findByQuery(query, actor, path);
  }

  /**
   * 201 with the booked Appointment and its Location; a refusal is an OperationOutcome 409 naming the rule.
   * The Appointment `$hold` answered books the held slot; the same Appointment `cancelled` lets the hold go (200).
   */
  @Roles('front_desk', 'provider')
  @Access.filtered("FhirSchedulingService.book: ClinicAccess on the proposed Appointment's patient and clinic")
  @Post('Appointment/$book')
  @ApiOperation({
    summary:
      'IHE ITI-117: book one of the Appointments $find proposed (parameter appointment), under every booking rule; the pending Appointment $hold answered books the held slot, and the same Appointment cancelled lets the hold go (200)',
  })
  @ApiBody(OPERATION_BODY)
  @ApiCreatedResponse({ description: 'The booked Appointment' })
  @ApiOkResponse({ description: 'The hold let go: the Appointment cancelled' })
  async book(@Body() body: unknown, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<Appointment> {
    const { appointment, created } = await this.fhir.book(body, actor);
    if (created) void reply.header('location', `${this.fhir.directory.base}/Appointment/${appointment.id}`);
    else void reply.status(200);
    return appointment;
  }

  /** 200 with the Appointment `pending`: the hold's id, its expiry in an extension; a refusal is an OperationOutcome 409 naming the rule. */
  @Roles('front_desk', 'provider')
  @Access.filtered("FhirSchedulingService.hold: ClinicAccess on the proposed Appointment's patient and clinic")
  @Post('Appointment/$hold')
  @HttpCode(200)
  @ApiOperation({
    summary: 'IHE ITI-116: hold one of the Appointments $find proposed (parameter appointment) for FHIR_HOLD_MINUTES, if it could be booked now',
  })
  @ApiBody(OPERATION_BODY)
  @ApiOkResponse({ description: 'The Appointment pending, with the hold expiry in the extension urn:clinic-scheduler:fhir:hold-expires' })
  hold(@Body() body: unknown, @CurrentActor() actor: Actor): Promise<Appointment> {
    return this.fhir.hold(body, actor);
  }
}
