import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LocationsModule } from '../locations/locations.module';
import { WorklistModule } from '../worklist/worklist.module';
import { AppointmentEvents } from './appointment-events';
import { AppointmentLookup } from './appointment-lookup.service';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsRepository } from './appointments.repository';
import { AppointmentsService } from './appointments.service';
import { AvailabilityService } from './availability.service';
import { BookingWriter } from './booking-writer.repository';
import { AppointmentStatusChanges } from './appointment-status.service';
import { BookingService } from './booking.service';
import { CalendarRepository } from './calendar.repository';
import { ClosureImpactService } from './closure-impact.service';
import { OccupancyOverrun } from './occupancy-overrun.service';
import { HoldService } from './hold.service';
import { HoldsRepository } from './holds.repository';

/**
 * Appointments: booking under the rules, availability, and the appointment API. Other modules use
 * BookingService (book and reschedule inside their transaction; the calendar for planning),
 * AppointmentStatusChanges (confirm, ask to move, cancel, no-show inside their transaction),
 * AppointmentLookup (find, lock, answer with an appointment), AppointmentEvents (react to changes,
 * write with a new booking), AvailabilityService (the free starts, by the same rules) and HoldService (hold a
 * slot for a while in the bookings' own exclusion constraint, release it, book it). The repositories stay
 * inside.
 */
@Module({
  imports: [AuditModule, LocationsModule, WorklistModule],
  controllers: [AppointmentsController],
  providers: [
    AppointmentsRepository,
    CalendarRepository,
    BookingWriter,
    AppointmentsService,
    AvailabilityService,
    BookingService,
    AppointmentStatusChanges,
    HoldsRepository,
    HoldService,
    AppointmentLookup,
    AppointmentEvents,
    OccupancyOverrun,
    ClosureImpactService,
  ],
  exports: [BookingService, AppointmentStatusChanges, HoldService, AppointmentLookup, AppointmentEvents, AvailabilityService],
})
export class AppointmentsModule {}
