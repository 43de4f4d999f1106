import { Module } from '@nestjs/common';
import { AuditTrail } from './audit-trail.service';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';

/** The append-only audit log. Other modules record through AuditTrail; the repository stays inside. */
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditTrail],
  exports: [AuditTrail],
})
export class AuditModule {}
