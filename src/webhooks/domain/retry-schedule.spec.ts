import { afterFailedAttempt, DELIVERY_WINDOW_HOURS } from './retry-schedule';

const queued = new Date('2026-11-01T08:00:00Z');
const plus = (seconds: number) => new Date(queued.getTime() + seconds * 1000);

describe('afterFailedAttempt', () => {
  it('spaces the retries out: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h', () => {
    let now = queued;
    const gaps: number[] = [];
    for (let attempts = 1; attempts <= 6; attempts++) {
      const next = afterFailedAttempt(attempts, queued, now);
      if (next.status !== 'pending') throw new Error(`gave up after ${attempts}`);
      gaps.push((next.nextAttemptAt.getTime() - now.getTime()) / 1000);
      now = next.nextAttemptAt;
    }
    expect(gaps).toEqual([5, 300, 1800, 7200, 18000, 36000]);
  });

  it('tries a last time at the 24-hour deadline, then gives up', () => {
    const seventh = afterFailedAttempt(7, queued, plus(17.6 * 3600));
    expect(seventh).toEqual({ status: 'pending', nextAttemptAt: plus(DELIVERY_WINDOW_HOURS * 3600) });
    expect(afterFailedAttempt(8, queued, plus(DELIVERY_WINDOW_HOURS * 3600))).toEqual({ status: 'failed' });
  });

  it('gives up at once when the first try is already past the window (the worker was down a day)', () => {
    expect(afterFailedAttempt(1, queued, plus(25 * 3600))).toEqual({ status: 'failed' });
  });
});
