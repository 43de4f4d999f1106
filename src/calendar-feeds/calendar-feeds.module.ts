import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { AuditModule } from '../audit/audit.module';
import { LocationsModule } from '../locations/locations.module';
import { StaffModule } from '../staff/staff.module';
import { CalendarFeedsController, IcalController } from './calendar-feeds.controller';
import { CalendarFeedsRepository } from './calendar-feeds.repository';
import { CalendarFeedsService } from './calendar-feeds.service';

/** iCalendar feeds per staff member, resource or clinic, behind an unguessable, revocable token. */
@Module({
  imports: [AppointmentsModule, AuditModule, LocationsModule, StaffModule],
  controllers: [CalendarFeedsController, IcalController],
  providers: [CalendarFeedsRepository, CalendarFeedsService],
})
export class CalendarFeedsModule {}
