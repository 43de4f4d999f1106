import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LocationsModule } from '../locations/locations.module';
import { AppointmentEvents } from './appointment-events';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsRepository } from './appointments.repository';
import { AppointmentsService } from './appointments.service';
import { AvailabilityService } from './availability.service';
import { BookingService } from './booking.service';

@Module({
  imports: [AuditModule, LocationsModule],
  controllers: [AppointmentsController],
  providers: [AppointmentsRepository, AppointmentsService, AvailabilityService, BookingService, AppointmentEvents],
  exports: [AppointmentsRepository, AppointmentsService, AvailabilityService, BookingService, AppointmentEvents],
})
export class AppointmentsModule {}
