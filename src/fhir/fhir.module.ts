import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { AuditModule } from '../audit/audit.module';
import { LocationsModule } from '../locations/locations.module';
import { PatientsModule } from '../patients/patients.module';
import { StaffModule } from '../staff/staff.module';
import { FhirDirectoryService } from './fhir-directory.service';
import { FhirSchedulingService } from './fhir-scheduling.service';
import { FhirSlotsService } from './fhir-slots.service';
import { FhirController } from './fhir.controller';
import { FhirService } from './fhir.service';

/**
 * FHIR R4 under /fhir/R4: the directory (Patient, Location, Practitioner, HealthcareService, Schedule) and
 * scheduling (Slot, Appointment, $find, $book) over the other modules' exported services: the same rules,
 * constraints, roles and audit as /api.
 */
@Module({
  imports: [AppointmentsModule, AuditModule, LocationsModule, PatientsModule, StaffModule],
  controllers: [FhirController],
  providers: [FhirDirectoryService, FhirSchedulingService, FhirSlotsService, FhirService],
})
export class FhirModule {}
