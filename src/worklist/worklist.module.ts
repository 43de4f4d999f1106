import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LocationsModule } from '../locations/locations.module';
import { WorklistController } from './worklist.controller';
import { WorklistRepository } from './worklist.repository';
import { WorklistService } from './worklist.service';

/** The front desk's worklist; other modules add and resolve items through WorklistService. */
@Module({
  imports: [AuditModule, LocationsModule],
  controllers: [WorklistController],
  providers: [WorklistRepository, WorklistService],
  exports: [WorklistService],
})
export class WorklistModule {}
