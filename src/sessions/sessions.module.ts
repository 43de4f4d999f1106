import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { AuditModule } from '../audit/audit.module';
import { ClearanceQueueRepository } from './clearance-queue.repository';
import { ClearanceQueueService } from './clearance-queue.service';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { DosingService } from './dosing.service';
import { MotorThresholds } from './motor-thresholds.service';
import { ObservationRepository } from './observation.repository';
import { ObservationService } from './observation.service';
import { RemsController } from './rems/rems.controller';
import { RemsRepository } from './rems/rems.repository';
import { RemsService } from './rems/rems.service';
import { SessionStatus } from './session-status';
import { SessionWorkflowService } from './session-workflow.service';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { VitalsService } from './vitals.service';

/**
 * The session at the chair (check-in to discharge, vitals, Spravato doses, TMS records) and the REMS forms.
 * Exports MotorThresholds (when a course last measured the TMS motor threshold) for the course view.
 */
@Module({
  imports: [AppointmentsModule, AuditModule, WebhooksModule],
  controllers: [SessionsController, RemsController],
  providers: [
    SessionsRepository,
    ObservationRepository,
    ClearanceQueueRepository,
    ClearanceQueueService,
    RemsRepository,
    SessionStatus,
    SessionWorkflowService,
    VitalsService,
    DosingService,
    ObservationService,
    RemsService,
    MotorThresholds,
  ],
  exports: [MotorThresholds],
})
export class SessionsModule {}
