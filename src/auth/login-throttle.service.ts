import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { TryLater } from '../common/problems';
import { LoginThrottleRepository } from './login-throttle.repository';

/**
 * Failed logins per account (the email tried) and per client address within a sliding window, counted in
 * PostgreSQL so that every instance sees the same attempts. Past the limit: 429 with Retry-After until
 * the window has moved past enough failures. A throttled attempt costs no password hash.
 */
@Injectable()
export class LoginThrottle {
  private failuresSincePrune = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly failures: LoginThrottleRepository,
  ) {}

  async check(account: string, address: string, now: Date): Promise<void> {
    const windowMs = this.config.loginFailureWindowSeconds * 1000;
    const limits = { account: this.config.loginMaxFailuresPerAccount, address: this.config.loginMaxFailuresPerAddress };
    const recent = await this.failures.recent(account, address, new Date(now.getTime() - windowMs), limits);
    const waits: number[] = [];
    if (recent.account.count >= limits.account && recent.account.pivot) waits.push(recent.account.pivot.getTime() + windowMs - now.getTime());
    if (recent.address.count >= limits.address && recent.address.pivot) waits.push(recent.address.pivot.getTime() + windowMs - now.getTime());
    if (waits.length) {
      throw new TryLater(
        429,
        'Too many failed sign-ins for this account or from this address; try again later.',
        Math.max(...waits) / 1000,
        '/problems/login-throttled',
      );
    }
  }

  async recordFailure(account: string, address: string, now: Date): Promise<void> {
    await this.failures.record(account, address, now);
    if (++this.failuresSincePrune >= 100) {
      this.failuresSincePrune = 0;
      await this.failures.pruneBefore(new Date(now.getTime() - 2 * this.config.loginFailureWindowSeconds * 1000));
    }
  }

  forget(account: string): Promise<void> {
    return this.failures.forgetAccount(account);
  }
}
