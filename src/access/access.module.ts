import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AccessRepository } from './access.repository';
import { ClinicScopeGuard } from './clinic-scope.guard';

/**
 * Clinic scoping (see ClinicScopeGuard and @Access). Imported after AuthModule, so that its global guard
 * runs after the AuthGuard has put the signed-in user on the request.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [AccessRepository, { provide: APP_GUARD, useClass: ClinicScopeGuard }],
})
export class AccessModule {}
