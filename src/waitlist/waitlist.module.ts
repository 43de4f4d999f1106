import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { AuditModule } from '../audit/audit.module';
import { LocationsModule } from '../locations/locations.module';
import { PatientsModule } from '../patients/patients.module';
import { RemindersModule } from '../reminders/reminders.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { WorklistModule } from '../worklist/worklist.module';
import { WaitlistOffers } from './waitlist-offers.service';
import { WaitlistController } from './waitlist.controller';
import { WaitlistRepository } from './waitlist.repository';
import { WaitlistService } from './waitlist.service';

/**
 * The waitlist: entries, and the offers that fill freed slots (held through HoldService, texted through the
 * outbox, run on the job queue). Exports WaitlistOffers for the replies module (YES / NO to an offer).
 */
@Module({
  imports: [AppointmentsModule, AuditModule, LocationsModule, PatientsModule, RemindersModule, WebhooksModule, WorklistModule],
  controllers: [WaitlistController],
  providers: [WaitlistRepository, WaitlistOffers, WaitlistService],
  exports: [WaitlistOffers],
})
export class WaitlistModule {}
