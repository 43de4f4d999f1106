import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CredentialsModule } from '../auth/credentials.module';
import { LocationsModule } from '../locations/locations.module';
import { ShiftsRepository } from './shifts.repository';
import { StaffController } from './staff.controller';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';

@Module({
  imports: [AuditModule, LocationsModule, CredentialsModule],
  controllers: [StaffController],
  providers: [StaffRepository, ShiftsRepository, StaffService],
  exports: [StaffService],
})
export class StaffModule {}
