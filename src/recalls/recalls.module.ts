import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LocationsModule } from '../locations/locations.module';
import { RecallsController } from './recalls.controller';
import { RecallsRepository } from './recalls.repository';
import { RecallsService } from './recalls.service';

/** Recalls: patients due for a booster, maintenance or the rest of a TMS course, with nothing booked (GET /api/recalls). */
@Module({
  imports: [AuditModule, LocationsModule],
  controllers: [RecallsController],
  providers: [RecallsRepository, RecallsService],
})
export class RecallsModule {}
