import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { Access, body, param } from '../access/access.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { UuidParam } from '../common/params';
import { CourseOutcomesService } from './course-outcomes.service';
import { CourseReplanService } from './course-replan.service';
import { CoursesService } from './courses.service';
import { CourseViews } from './course-views.service';
import { CancelCourseDto, CourseResponse, CreateCourseDto, ReplanCourseDto } from './dto/course.dto';
import { CourseOutcomesResponse, OutcomeEntryResponse, RecordOutcomeDto } from './dto/outcome.dto';
import { ProtocolResponse } from './dto/protocol.dto';

/** Front desk books and cancels courses, providers may book (and override limits); nurses read. Admin passes everywhere. */
const READERS = ['front_desk', 'nurse', 'provider'] as const;

@ApiTags('courses')
@ApiBearerAuth()
@Controller()
export class CoursesController {
  constructor(
    private readonly courses: CoursesService,
    private readonly views: CourseViews,
    private readonly replans: CourseReplanService,
    private readonly outcomes: CourseOutcomesService,
  ) {}

  @Roles(...READERS)
  @Access.unscoped('the protocol catalogue: no clinic data')
  @Get('protocols')
  @ApiOkResponse({ type: [ProtocolResponse] })
  protocols(): ProtocolResponse[] {
    return this.courses.protocols();
  }

  @Roles('front_desk', 'provider')
  @Access({ patient: body('patientId'), location: [body('locationId'), body('alternateLocationIds')] })
  @Post('courses')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body: the first response again, nothing new created' })
  @ApiCreatedResponse({ type: CourseResponse, description: 'Every session booked, in one transaction' })
  @ApiOkResponse({ type: CourseResponse, description: 'dryRun: the plan; nothing stored' })
  async create(@Body() dto: CreateCourseDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<CourseResponse> {
    const course = await this.courses.create(dto, actor);
    if (dto.dryRun) void reply.status(200);
    return course;
  }

  @Roles(...READERS)
  @Access({ course: param('id') })
  @Get('courses/:id')
  @ApiOkResponse({ type: CourseResponse })
  get(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<CourseResponse> {
    return this.views.get(id, actor);
  }

  @Roles('front_desk')
  @Access({ course: param('id') })
  @Post('courses/:id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: CourseResponse, description: 'Every session still to come is cancelled' })
  cancel(@UuidParam('id') id: string, @Body() dto: CancelCourseDto, @CurrentActor() actor: Actor): Promise<CourseResponse> {
    return this.courses.cancel(id, dto.reason, actor);
  }

  @Roles('front_desk', 'provider')
  @Access({ course: param('id'), location: body('locationId') })
  @Post('courses/:id/replan')
  @HttpCode(200)
  @ApiOkResponse({ type: CourseResponse, description: 'The whole course, every session from fromSequence on moved (dryRun: as it would be; nothing stored)' })
  replan(@UuidParam('id') id: string, @Body() dto: ReplanCourseDto, @CurrentActor() actor: Actor): Promise<CourseResponse> {
    return this.replans.replan(id, dto, actor);
  }

  @Roles('nurse', 'provider')
  @Access({ course: param('id'), appointment: body('appointmentId') })
  @Post('courses/:id/outcomes')
  @ApiCreatedResponse({ type: OutcomeEntryResponse })
  recordOutcome(@UuidParam('id') id: string, @Body() dto: RecordOutcomeDto, @CurrentActor() actor: Actor): Promise<OutcomeEntryResponse> {
    return this.outcomes.record(id, dto, actor);
  }

  @Roles(...READERS)
  @Access({ course: param('id') })
  @Get('courses/:id/outcomes')
  @ApiOkResponse({ type: CourseOutcomesResponse })
  listOutcomes(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<CourseOutcomesResponse> {
    return this.outcomes.list(id, actor);
  }

  @Roles(...READERS)
  @Access({ patient: param('id') }, { filtered: "the patient's courses at the actor's clinics" })
  @Get('patients/:id/courses')
  @ApiOkResponse({ type: [CourseResponse] })
  forPatient(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<CourseResponse[]> {
    return this.views.listForPatient(id, actor);
  }
}
