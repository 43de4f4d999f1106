import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { LocationsModule } from '../locations/locations.module';
import { RemindersModule } from '../reminders/reminders.module';
import { WaitlistModule } from '../waitlist/waitlist.module';
import { WorklistModule } from '../worklist/worklist.module';
import { RepliesRepository } from './replies.repository';
import { RepliesService } from './replies.service';

/** What patients' replies to texts mean (confirm, reschedule, pick a time, answer an offer); heard through SmsInboundEvents. */
@Module({
  imports: [AppointmentsModule, LocationsModule, RemindersModule, WaitlistModule, WorklistModule],
  providers: [RepliesRepository, RepliesService],
})
export class RepliesModule {}
