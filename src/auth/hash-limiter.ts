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

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
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
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}
