import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AccessRepository } from './access.repository';
import { ClinicAccess } from './clinic-access.service';
import { ClinicScopeGuard } from './clinic-scope.guard';

/**
 * Clinic scoping (see ClinicScopeGuard and @Access; ClinicAccess for services that must check ids the
 * guard cannot read). Imported after AuthModule, so that its global guard runs after the AuthGuard has put
 * the signed-in user on the request.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [AccessRepository, ClinicAccess, { provide: APP_GUARD, useClass: ClinicScopeGuard }],
  exports: [ClinicAccess],
})
export class AccessModule {}
