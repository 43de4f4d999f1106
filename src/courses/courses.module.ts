import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { AuditModule } from '../audit/audit.module';
import { PatientsModule } from '../patients/patients.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CourseLifecycleService } from './course-lifecycle.service';
import { CoursePlanningService } from './course-planning.service';
import { CoursesController } from './courses.controller';
import { CoursesRepository } from './courses.repository';
import { CoursesService } from './courses.service';

/** Treatment courses: protocols, planning, booking a whole course in one transaction, and what follows a missed session. */
@Module({
  imports: [AppointmentsModule, PatientsModule, AuditModule, WebhooksModule],
  controllers: [CoursesController],
  providers: [CoursesRepository, CoursesService, CoursePlanningService, CourseLifecycleService],
})
export class CoursesModule {}
