import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { InvalidInput } from '../common/problems';
import { passwordProblem } from './domain/password-policy';
import { HashLimiter } from './hash-limiter';
import { hashPassword, verifyPassword } from './password-hasher';

/** Words for temporary passwords: four of them and two digits, easy to read out and to type. */
const WORDS =
  'amber anchor apple arrow aspen basil beacon birch bison breeze cactus canyon cedar cello cobalt comet coral cricket dahlia delta ember falcon fern fjord garnet glacier granite harbor hazel heron indigo iris jasper juniper kestrel lagoon lantern lilac maple marble meadow mesa nectar nimbus oak olive opal orchid otter pebble pepper pine plume prairie quartz quill raven reef river saffron sage sequoia sierra sparrow spruce summit tamarack thistle tundra velvet willow yarrow zephyr'.split(
    ' ',
  );

/** Setting and checking passwords: the policy, and scrypt through the per-instance hashing bound. */
@Injectable()
export class PasswordService {
  private readonly limiter: HashLimiter;
  /** Compared against when an email is unknown, so both paths cost the same. */
  private dummy?: Promise<string>;

  constructor(config: AppConfig) {
    // Each slot hashes at most half the time: a flood of logins leaves the CPU to everything else.
    this.limiter = new HashLimiter(config.passwordHashConcurrency, config.passwordHashQueue, 1);
  }

  /** A 400 naming `field` when the password may not be set. */
  assertAcceptable(password: string, email: string | undefined, field: string): void {
    const problem = passwordProblem(password, email);
    if (problem) throw InvalidInput.field(field, `${field} ${problem}`);
  }

  /** A 503 at once when the hashing queue is full, so a flood costs no database work either. */
  assertRoom(): void {
    this.limiter.assertRoom();
  }

  hash(password: string): Promise<string> {
    return this.limiter.run(() => hashPassword(password));
  }

  /** False for a wrong password and for no stored hash (at the same cost). */
  async verify(password: string, stored: string | null | undefined): Promise<boolean> {
    this.dummy ??= hashPassword('not-a-real-password-0');
    const hash = stored ?? (await this.dummy);
    const valid = await this.limiter.run(() => verifyPassword(password, hash));
    return valid && !!stored;
  }

  /** A random passphrase that meets the policy (~ 60 bits), to be changed at the next login. */
  temporaryPassword(email: string): string {
    for (;;) {
      const words = Array.from({ length: 4 }, () => WORDS[randomInt(WORDS.length)]);
      const candidate = `${words.join('-')}-${randomInt(10, 100)}`;
      if (!passwordProblem(candidate, email)) return candidate;
    }
  }
}
