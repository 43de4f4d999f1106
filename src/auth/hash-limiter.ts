import { TryLater } from '../common/problems';

/**
 * Bounds the password hashes one instance computes at once. Each scrypt costs ~50 ms of CPU and 16 MB; a
 * login flood without a bound runs them all at once and starves every other request (booking p99 went to
 * 1.5 s). At most `concurrency` run; up to `queue` wait in line; anyone beyond gets a 503 with Retry-After
 * at once rather than piling up.
 */
export class HashLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  /**
   * `restRatio`: after a hash that took t ms its slot rests another t × restRatio ms before the next one
   * starts, so that hashing uses at most 1 / (1 + restRatio) of a core per slot however hard it is pushed
   * (a login takes one hash; clinics sign in a few times a minute).
   */
  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
    private readonly restRatio = 0,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.concurrency) {
      this.active++;
    } else {
      if (this.waiting.length >= this.queue) {
        throw new TryLater(503, 'Too many sign-ins are being checked right now; try again in a moment.', 1, '/problems/login-busy');
      }
      // The slot is handed over by the one finishing, so `active` stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    const started = performance.now();
    try {
      return await work();
    } finally {
      if (this.restRatio > 0) await new Promise((resolve) => setTimeout(resolve, (performance.now() - started) * this.restRatio));
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Refuses at once (the same 503) when a new hash would have to be turned away anyway: before any other work. */
  assertRoom(): void {
    if (this.active >= this.concurrency && this.waiting.length >= this.queue) {
      throw new TryLater(503, 'Too many sign-ins are being checked right now; try again in a moment.', 1, '/problems/login-busy');
    }
  }

  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}
