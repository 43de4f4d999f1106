import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { Access, body, param, query } from '../access/access.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { UuidParam } from '../common/params';
import { AppointmentsService } from './appointments.service';
import { AvailabilityService } from './availability.service';
import {
  AppointmentResponse,
  AvailabilityQuery,
  AvailableSlotResponse,
  CancelAppointmentDto,
  NoShowDto,
  CreateAppointmentDto,
  ListAppointmentsQuery,
  RescheduleAppointmentDto,
} from './dto/appointment.dto';

@ApiTags('appointments')
@ApiBearerAuth()
@Controller()
export class AppointmentsController {
  constructor(
    private readonly appointments: AppointmentsService,
    private readonly availability: AvailabilityService,
  ) {}

  @Roles('front_desk', 'provider')
  @Access({ patient: body('patientId'), location: body('locationId'), course: body('courseId') })
  @Post('appointments')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body: the first response again, nothing new created' })
  @ApiCreatedResponse({ type: AppointmentResponse })
  create(@Body() dto: CreateAppointmentDto, @CurrentActor() actor: Actor): Promise<AppointmentResponse> {
    return this.appointments.create(dto, actor);
  }

  @Roles('front_desk', 'nurse', 'provider')
  @Access({ location: query('locationId'), patient: query('patientId') }, { filtered: "a patient's appointments at the actor's clinics" })
  @Get('appointments')
  @ApiOkResponse({ type: [AppointmentResponse] })
  list(@Query() query: ListAppointmentsQuery, @CurrentActor() actor: Actor): Promise<AppointmentResponse[]> {
    return this.appointments.list(query, actor);
  }

  @Roles('front_desk', 'nurse', 'provider')
  @Access({ appointment: param('id') })
  @Get('appointments/:id')
  @ApiOkResponse({ type: AppointmentResponse })
  get(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<AppointmentResponse> {
    return this.appointments.get(id, actor);
  }

  @Roles('front_desk', 'provider')
  @Access({ appointment: param('id') })
  @Patch('appointments/:id')
  @ApiOkResponse({ type: AppointmentResponse })
  reschedule(@UuidParam('id') id: string, @Body() dto: RescheduleAppointmentDto, @CurrentActor() actor: Actor): Promise<AppointmentResponse> {
    return this.appointments.reschedule(id, dto, actor);
  }

  @Roles('front_desk')
  @Access({ appointment: param('id') })
  @Post('appointments/:id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: AppointmentResponse })
  cancel(@UuidParam('id') id: string, @Body() dto: CancelAppointmentDto, @CurrentActor() actor: Actor): Promise<AppointmentResponse> {
    return this.appointments.cancel(id, dto.reason, actor);
  }

  @Roles('front_desk', 'nurse', 'provider')
  @Access({ appointment: param('id') })
  @Post('appointments/:id/no-show')
  @HttpCode(200)
  @ApiOkResponse({ type: AppointmentResponse })
  noShow(@UuidParam('id') id: string, @Body() dto: NoShowDto, @CurrentActor() actor: Actor): Promise<AppointmentResponse> {
    return this.appointments.noShow(id, dto.reason ?? null, actor);
  }

  @Roles('front_desk', 'nurse', 'provider')
  @Access({ location: query('locationId'), patient: query('patientId') })
  @Get('availability')
  @ApiOkResponse({ type: [AvailableSlotResponse] })
  available(@Query() query: AvailabilityQuery, @CurrentActor() actor: Actor): Promise<AvailableSlotResponse[]> {
    return this.availability.list(query, actor);
  }
}
