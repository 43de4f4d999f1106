import { readFileSync } from 'node:fs';
import { Clock } from './clock';

/**
 * For browser tests of the built service only: "now" is the instant written in a file, read on every
 * call (a test-only cost), so a test can stop time and move it (a Spravato discharge refused at 119
 * minutes, accepted at 120) without a route that could set the time. Write the file atomically (a
 * temporary file renamed over it), or a request may read it half-written. Never in production: the
 * configuration refuses TEST_CLOCK_FILE when NODE_ENV=production.
 */
export class FileClock extends Clock {
  constructor(private readonly path: string) {
    super();
    FileClock.read(path);
  }

  /** The instant in the file; throws when it is missing or not an ISO-8601 instant with an offset. */
  static read(path: string): Date {
    const text = readFileSync(path, 'utf8').trim();
    const instant = new Date(text);
    if (!/(Z|[+-]\d\d:\d\d)$/.test(text) || Number.isNaN(instant.getTime())) {
      throw new Error(`${path} must hold one ISO-8601 instant with an offset, got "${text.slice(0, 60)}"`);
    }
    return instant;
  }

  now(): Date {
    return FileClock.read(this.path);
  }
}
