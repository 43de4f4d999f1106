import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ClosureEvents } from './closure-events';
import { LocationsController } from './locations.controller';
import { LocationsRepository } from './locations.repository';
import { LocationsService } from './locations.service';

/** Clinics: resources, opening hours, closures (ClosureEvents tells other modules of them) and the clinic settings. */
@Module({
  imports: [AuditModule],
  controllers: [LocationsController],
  providers: [LocationsRepository, LocationsService, ClosureEvents],
  exports: [LocationsService, ClosureEvents],
})
export class LocationsModule {}
