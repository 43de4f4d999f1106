import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from '../audit/audit.module';
import { AppConfig } from '../config/app-config';
import { AccountsController } from './accounts.controller';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { CredentialsModule } from './credentials.module';
import { CredentialsRepository } from './credentials.repository';
import { LoginThrottleRepository } from './login-throttle.repository';
import { LoginThrottle } from './login-throttle.service';
import { SessionStates } from './session-states.service';
import { SessionsRepository } from './sessions.repository';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject, made once: given the secret as a string, jsonwebtoken tries it as a public key on every
        // verify (createPublicKey, which throws) before making a secret key of it, ~10 % of the service's CPU
        // in the booking run (BENCHMARKS.md, booking).
        secret: createSecretKey(Buffer.from(config.jwtSecret)),
        signOptions: { algorithm: 'HS256', expiresIn: config.accessTokenSeconds, issuer: 'clinic-scheduler' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'clinic-scheduler' },
      }),
    }),
    AuditModule,
    CredentialsModule,
  ],
  controllers: [AuthController, AccountsController],
  providers: [
    AuthService,
    CredentialsRepository,
    SessionsRepository,
    SessionStates,
    LoginThrottleRepository,
    LoginThrottle,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
