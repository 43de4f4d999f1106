import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor, AuthenticatedUser } from '../common/actor';
import { InvalidInput, NotFound, RuleViolation, TryLater, Unauthorized } from '../common/problems';
import { AppConfig } from '../config/app-config';
import { notify } from '../database/notification-listener';
import { ACCOUNT_CHANNEL, sessionEnded, staffChanged } from '../staff/domain/account-changes';
import { Credentials, CredentialsRepository } from './credentials.repository';
import { acceptedStep, newTotpSecret, totpUrl } from './domain/totp';
import { ChangePasswordDto, LoginDto, LoginResponse, MeResponse, MfaSetupResponse, SessionRestriction, TemporaryPasswordResponse } from './dto/auth.dto';
import { LoginThrottle } from './login-throttle.service';
import { PasswordService } from './password.service';
import { open, seal } from './secret-box';
import { SessionState, SessionsRepository } from './sessions.repository';

/** What the controller sets as the refresh cookie. */
export interface IssuedSession {
  response: LoginResponse;
  refreshToken: string;
  /** Seconds the cookie may live: until the session's absolute end. */
  refreshMaxAge: number;
}

/** The claims of an access token: whose, and which session (checked against the database on every request). */
export interface AccessClaims {
  sub: string;
  sid: string;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** What, if anything, a live session is limited to until its person has done it. */
export function restrictionOf(
  state: Pick<SessionState, 'passwordChangeRequired' | 'mfaEnabled' | 'role'>,
  mfaRoles: readonly string[],
): SessionRestriction | undefined {
  if (state.passwordChangeRequired) return 'password-change-required';
  if (!state.mfaEnabled && mfaRoles.includes(state.role)) return 'mfa-setup-required';
  return undefined;
}

/**
 * Sign-in and sessions: login (throttled, audited, with TOTP), rotating refresh tokens with reuse
 * detection, logout, password change and MFA enrolment; and the administrator's resets. Every change to
 * a person's sessions or credentials is announced on `account_changes`, so that every instance's guard
 * stops trusting what it cached.
 */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly credentials: CredentialsRepository,
    private readonly sessions: SessionsRepository,
    private readonly throttle: LoginThrottle,
    private readonly passwords: PasswordService,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Runs `work` in a transaction that announces `payload` on `account_changes` at commit, for whoever
   * listens (the guard itself reads the database on every request and needs no notice).
   */
  private announcing<T>(payload: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const value = await work(manager);
      await notify(manager, ACCOUNT_CHANNEL, payload);
      return value;
    });
  }

  async login(dto: LoginDto, address: string, requestId: string | null): Promise<IssuedSession> {
    const now = new Date();
    const account = dto.email.trim().toLowerCase();
    const anonymous: Actor = { id: null, role: 'anonymous', requestId, locationIds: [] };
    const failed = async (reason: string, person: Credentials | undefined, count: boolean) => {
      if (count) await this.throttle.recordFailure(account, address, now);
      const actor = person ? { ...anonymous, id: person.id, role: person.role } : anonymous;
      await this.audit.record(undefined, actor, 'auth.login.failed', 'staff', person?.id ?? null, { reason, address });
    };

    this.passwords.assertRoom();
    try {
      await this.throttle.check(account, address, now);
    } catch (error) {
      await failed('throttled', undefined, false);
      throw error;
    }
    const person = await this.credentials.findActiveByEmail(account);
    if (person?.lockedAt) {
      await failed('locked', person, false);
      throw new TryLater(
        429,
        'This account is locked after too many failed sign-ins; an administrator must reset its password.',
        3600,
        '/problems/account-locked',
      );
    }
    const valid = await this.passwords.verify(dto.password, person?.passwordHash);
    if (!person || !valid) {
      if (person) await this.credentials.recordFailure(person.id, this.config.loginLockAfterFailures, now);
      await failed(person ? 'password' : 'unknown-account', person, true);
      throw new Unauthorized('The email or password is wrong.');
    }

    let mfaStep: number | undefined;
    if (person.mfaSecret) {
      if (!dto.otp) {
        await failed('mfa-required', person, false);
        throw new Unauthorized('This account uses a second factor: send the current code of the authenticator app as otp.', '/problems/mfa-required');
      }
      mfaStep = acceptedStep(this.openSecret(person.mfaSecret), dto.otp, now, person.mfaLastStep);
      if (mfaStep === undefined) {
        await this.credentials.recordFailure(person.id, this.config.loginLockAfterFailures, now);
        await failed('mfa-invalid', person, true);
        throw new Unauthorized('The code is wrong or was already used.', '/problems/mfa-invalid');
      }
    }

    await this.throttle.forget(account);
    return this.dataSource.transaction(async (manager) => {
      await this.credentials.recordSuccess(manager, person.id);
      if (mfaStep !== undefined) await this.credentials.setMfaStep(manager, person.id, mfaStep);
      const sessionId = await this.sessions.create(manager, {
        staffId: person.id,
        now,
        expiresAt: new Date(now.getTime() + this.config.sessionMaxSeconds * 1000),
        clientAddress: address,
      });
      const state = (await this.sessions.findState(sessionId, manager))!;
      const restriction = restrictionOf(state, this.config.mfaRequiredRoles);
      await this.audit.record(manager, { ...anonymous, id: person.id, role: person.role }, 'auth.login', 'staff', person.id, {
        sessionId,
        address,
        mfa: mfaStep !== undefined,
        ...(restriction ? { restriction } : {}),
      });
      return this.issue(manager, state, now);
    });
  }

  /** A new access token and the next refresh token; the one presented is spent. */
  async refresh(token: string | undefined, requestId: string | null): Promise<IssuedSession> {
    if (!token || !/^[A-Za-z0-9_-]{40,60}$/.test(token)) throw new Unauthorized('No refresh cookie: sign in again.');
    const now = new Date();
    const outcome = await this.dataSource.transaction(async (manager) => {
      const claim = await this.sessions.claimRefreshToken(manager, hashToken(token));
      if (!claim) return { error: 'The refresh token is not valid: sign in again.' };
      const state = await this.sessions.findState(claim.sessionId, manager);
      if (!state) return { error: 'The session has ended: sign in again.' };
      const actor: Actor = { id: state.staffId, role: state.role, requestId, locationIds: state.locationIds };
      if (claim.usedAt) {
        // A spent token again: someone holds a copy. End the session, and with it every token it issued.
        if (await this.sessions.end(manager, state.sessionId, 'refresh-reuse', now)) {
          await notify(manager, ACCOUNT_CHANNEL, sessionEnded(state.sessionId));
          await this.audit.record(manager, actor, 'auth.refresh.reuse', 'staff', state.staffId, { sessionId: state.sessionId });
        }
        return { error: 'This refresh token was already used: the session has been ended. Sign in again.' };
      }
      const ended = this.endedBecause(state, now);
      if (ended) {
        if (ended === 'idle' && (await this.sessions.end(manager, state.sessionId, 'idle', now))) {
          await notify(manager, ACCOUNT_CHANNEL, sessionEnded(state.sessionId));
        }
        return { error: `The session has ended (${ended}): sign in again.` };
      }
      await this.sessions.markRefreshTokenUsed(manager, hashToken(token), now);
      return { issued: await this.issue(manager, state, now) };
    });
    if (!outcome.issued) throw new Unauthorized(outcome.error!);
    return outcome.issued;
  }

  async logout(user: AuthenticatedUser, actor: Actor): Promise<void> {
    await this.announcing(sessionEnded(user.sessionId), async (manager) => {
      if (await this.sessions.end(manager, user.sessionId, 'logout', new Date())) {
        await this.audit.record(manager, actor, 'auth.logout', 'staff', user.id, { sessionId: user.sessionId });
      }
    });
  }

  me(user: AuthenticatedUser, restriction: SessionRestriction | undefined): MeResponse {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      locationIds: user.locationIds,
      mfaEnabled: user.mfaEnabled,
      ...(restriction ? { restriction } : {}),
    };
  }

  /** Ends the person's other sessions; this one goes on (and is no longer limited to changing the password). */
  async changePassword(user: AuthenticatedUser, dto: ChangePasswordDto, address: string, actor: Actor): Promise<void> {
    const now = new Date();
    const person = await this.credentials.findById(user.id);
    if (!person) throw new Unauthorized('The account no longer exists.');
    if (!(await this.passwords.verify(dto.currentPassword, person.passwordHash))) {
      await this.throttle.recordFailure(person.email, address, now);
      await this.audit.record(undefined, actor, 'auth.password.change.failed', 'staff', user.id, { reason: 'current-password', address });
      throw InvalidInput.field('currentPassword', 'currentPassword is wrong');
    }
    if (dto.newPassword === dto.currentPassword) throw InvalidInput.field('newPassword', 'newPassword must differ from the current password');
    this.passwords.assertAcceptable(dto.newPassword, person.email, 'newPassword');
    const passwordHash = await this.passwords.hash(dto.newPassword);
    await this.announcing(staffChanged(user.id), async (manager) => {
      await this.credentials.setPassword(manager, user.id, passwordHash, { required: false });
      const ended = await this.sessions.endOthers(manager, user.id, user.sessionId, 'password-change', now);
      await this.audit.record(manager, actor, 'auth.password.change', 'staff', user.id, { endedSessions: ended.length });
    });
  }

  /** A new secret (replacing one set up and not confirmed); its otpauth URL is shown this once. */
  async setUpMfa(user: AuthenticatedUser, actor: Actor): Promise<MfaSetupResponse> {
    if (user.mfaEnabled) {
      throw new RuleViolation(
        'mfa-already-enabled',
        'A second factor is already on for this account; an administrator can reset it (POST /api/staff/{id}/mfa-reset).',
      );
    }
    const secret = newTotpSecret();
    await this.dataSource.transaction(async (manager) => {
      await this.credentials.setPendingMfa(manager, user.id, seal(secret, this.config.mfaEncryptionKey));
      await this.audit.record(manager, actor, 'auth.mfa.setup', 'staff', user.id);
    });
    return { otpauthUrl: totpUrl(secret, user.email) };
  }

  async confirmMfa(user: AuthenticatedUser, otp: string, address: string, actor: Actor): Promise<MeResponse> {
    const now = new Date();
    await this.announcing(staffChanged(user.id), async (manager) => {
      const person = await this.credentials.findById(user.id, manager, true);
      if (!person?.mfaPendingSecret) throw new RuleViolation('mfa-not-set-up', 'Call POST /api/auth/mfa/setup first.');
      const step = acceptedStep(this.openSecret(person.mfaPendingSecret), otp, now, null);
      if (step === undefined) {
        await this.throttle.recordFailure(person.email, address, now);
        throw InvalidInput.field('otp', 'otp is not the current code of the authenticator app');
      }
      await this.credentials.enableMfa(manager, user.id, now, step);
      await this.audit.record(manager, actor, 'auth.mfa.enable', 'staff', user.id);
    });
    return this.me({ ...user, mfaEnabled: true }, undefined);
  }

  /** An administrator's reset: a temporary password the person must change at the next login; their sessions end. */
  async resetPassword(staffId: string, actor: Actor): Promise<TemporaryPasswordResponse> {
    const person = await this.credentials.findById(staffId);
    if (!person) throw new NotFound('Staff member', staffId);
    const temporaryPassword = this.passwords.temporaryPassword(person.email);
    const passwordHash = await this.passwords.hash(temporaryPassword);
    await this.announcing(staffChanged(staffId), async (manager) => {
      await this.credentials.setPassword(manager, staffId, passwordHash, { required: true, endSessionsAt: new Date() });
      await this.audit.record(manager, actor, 'staff.password-reset', 'staff', staffId);
    });
    await this.throttle.forget(person.email);
    return { temporaryPassword };
  }

  /** A lost or replaced phone: the second factor is removed and the person's sessions end; they set it up again at the next login. */
  async resetMfa(staffId: string, actor: Actor): Promise<void> {
    await this.announcing(staffChanged(staffId), async (manager) => {
      if (!(await this.credentials.findById(staffId, manager, true))) throw new NotFound('Staff member', staffId);
      await this.credentials.clearMfa(manager, staffId, new Date());
      await this.audit.record(manager, actor, 'staff.mfa-reset', 'staff', staffId);
    });
  }

  /** Why a session can no longer be used, if it cannot. Idle time is judged on real time, as token expiry is. */
  endedBecause(state: SessionState, now: Date): string | undefined {
    if (state.endedAt) return 'ended';
    if (!state.active) return 'deactivated';
    if (state.sessionsNotBefore && state.createdAt < state.sessionsNotBefore) return 'revoked';
    if (state.expiresAt <= now) return 'expired';
    if (now.getTime() - state.lastSeenAt.getTime() > this.config.idleTimeoutSeconds * 1000) return 'idle';
    return undefined;
  }

  private async issue(manager: EntityManager, state: SessionState, now: Date): Promise<IssuedSession> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.sessions.insertRefreshToken(manager, state.sessionId, hashToken(refreshToken), now);
    const claims: AccessClaims = { sub: state.staffId, sid: state.sessionId };
    const accessToken = await this.jwt.signAsync(claims);
    const restriction = restrictionOf(state, this.config.mfaRequiredRoles);
    return {
      response: {
        accessToken,
        expiresIn: this.config.accessTokenSeconds,
        user: { id: state.staffId, email: state.email, name: state.name, role: state.role },
        ...(restriction ? { restriction } : {}),
      },
      refreshToken,
      refreshMaxAge: Math.max(1, Math.floor((state.expiresAt.getTime() - now.getTime()) / 1000)),
    };
  }

  private openSecret(sealed: string): string {
    const secret = open(sealed, this.config.mfaEncryptionKey);
    if (!secret)
      throw new Unauthorized('The second factor cannot be checked (the encryption key changed); an administrator must reset it.', '/problems/mfa-invalid');
    return secret;
  }
}
