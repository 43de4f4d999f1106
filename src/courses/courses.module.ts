import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { AuditModule } from '../audit/audit.module';
import { PatientsModule } from '../patients/patients.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { SessionsModule } from '../sessions/sessions.module';
import { CourseOutcomesService } from './course-outcomes.service';
import { CourseReplanService } from './course-replan.service';
import { CourseLifecycleService } from './course-lifecycle.service';
import { CoursePlanningService } from './course-planning.service';
import { CoursesController } from './courses.controller';
import { CoursesRepository } from './courses.repository';
import { CoursesService } from './courses.service';
import { CourseViews } from './course-views.service';

/**
 * Treatment courses: protocols, planning, booking a whole course in one transaction, replanning its later
 * sessions, what follows a missed session, and the outcome scores recorded over a course.
 */
@Module({
  imports: [AppointmentsModule, PatientsModule, AuditModule, WebhooksModule, SessionsModule],
  controllers: [CoursesController],
  providers: [CoursesRepository, CoursesService, CourseViews, CoursePlanningService, CourseLifecycleService, CourseOutcomesService, CourseReplanService],
})
export class CoursesModule {}
