import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ACCESS, AccessDeclaration } from '../access/access.decorators';
import { idsAt, ScopedRequest, sourcesOf } from '../access/request-targets';
import { DomainError, Forbidden, Unauthorized } from '../common/problems';
import { AppConfig } from '../config/app-config';
import { notify } from '../database/notification-listener';
import { ACCOUNT_CHANNEL, sessionEnded } from '../staff/domain/account-changes';
import { Role } from '../staff/domain/roles';
import { CLINICAL, IS_PUBLIC, ROLES, SESSION_SETUP } from './auth.decorators';
import { AccessClaims, AuthService, restrictionOf } from './auth.service';
import { SessionStates } from './session-states.service';
import { SessionsRepository } from './sessions.repository';

export { Unauthorized } from '../common/problems';

/** last_seen_at is written at most this often per session (and more often when the idle timeout is short). */
const TOUCH_EVERY_MS = 30_000;

/**
 * Global guard: every route needs a valid bearer token unless marked @Public. The token only names the
 * person and the session; who they are now (active, role, clinics, MFA, forced password change) and
 * whether the session still lives (logout, idle, reuse, revocation) are read from the database on every
 * request (SessionStates), so a change applies to the very next request on every instance. Then `@Roles` (admin
 * passes except on `@ClinicalAct`) and the session's restriction. Clinic scoping follows in ClinicScopeGuard.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly touchEveryMs: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly states: SessionStates,
    private readonly sessions: SessionsRepository,
    private readonly auth: AuthService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.touchEveryMs = Math.min(TOUCH_EVERY_MS, (config.idleTimeoutSeconds * 1000) / 4);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<ScopedRequest & { headers: Record<string, string | undefined> }>();
    const match = /^Bearer ([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+)$/.exec(request.headers.authorization ?? '');
    if (!match) throw new Unauthorized('A bearer token is required (Authorization: Bearer <accessToken>).');
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(match[1], { algorithms: ['HS256'] });
    } catch {
      throw new Unauthorized('The bearer token is invalid or expired.', '/problems/token-expired');
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || !/^[0-9a-f-]{36}$/.test(claims.sid)) {
      throw new Unauthorized('The bearer token is invalid.');
    }

    const now = new Date();
    // The patients the route's @Access names: whether this person may see them is read with the session
    // (ClinicScopeGuard, next, judges with it; the same snapshot a separate query would read a moment later).
    const patientIds = idsAt(request, sourcesOf(this.reflector.getAllAndOverride<AccessDeclaration | undefined>(ACCESS, targets), 'patient'));
    const state = await this.states.get(claims.sid, patientIds);
    const ended = state ? this.auth.endedBecause(state, now) : 'unknown';
    if (!state || state.staffId !== claims.sub || ended) {
      if (state && ended === 'idle') await this.endIdle(claims.sid, now);
      throw new Unauthorized(`The session has ended${ended && ended !== 'unknown' ? ` (${ended})` : ''}: sign in again.`, '/problems/session-ended');
    }
    if (now.getTime() - state.lastSeenAt.getTime() >= this.touchEveryMs) {
      await this.sessions.touch(state.sessionId, now);
    }
    if (patientIds.length) request.namedPatients = { asked: new Set(patientIds), visible: new Set(state.visiblePatientIds) };
    request.user = {
      id: state.staffId,
      email: state.email,
      name: state.name,
      role: state.role,
      locationIds: state.locationIds,
      sessionId: state.sessionId,
      mfaEnabled: state.mfaEnabled,
    };

    const restriction = restrictionOf(state, this.config.mfaRequiredRoles);
    if (restriction && !this.reflector.getAllAndOverride<boolean>(SESSION_SETUP, targets)) {
      throw new DomainError(
        403,
        'Forbidden',
        restriction === 'mfa-setup-required'
          ? `The ${state.role} role must use a second factor: set it up (POST /api/auth/mfa/setup, then /api/auth/mfa/confirm) before anything else.`
          : 'The password was reset: change it (POST /api/auth/password) before anything else.',
        { type: `/problems/${restriction}` },
      );
    }

    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    const clinical = this.reflector.getAllAndOverride<boolean>(CLINICAL, targets) ?? false;
    const adminPasses = state.role === 'admin' && !clinical;
    if (allowed && !adminPasses && !allowed.includes(state.role)) {
      throw new Forbidden(
        clinical
          ? `This is a clinical act: it needs one of the roles ${allowed.join(', ')} (not admin).`
          : `This action needs one of the roles: ${['admin', ...allowed].join(', ')}.`,
      );
    }
    return true;
  }

  private async endIdle(sessionId: string, now: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (await this.sessions.end(manager, sessionId, 'idle', now)) await notify(manager, ACCOUNT_CHANNEL, sessionEnded(sessionId));
    });
  }
}
