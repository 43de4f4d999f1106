import { afterFailure, MAX_SEND_ATTEMPTS, retryDelaySeconds } from './retry-policy';

describe('retry policy', () => {
  it('backs off exponentially, capped at an hour', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(20)).toBe(3600);
  });

  it('retries until the last attempt, then fails', () => {
    const now = new Date('2027-08-02T16:00:00Z');
    expect(afterFailure(1, now)).toEqual({ status: 'pending', nextAttemptAt: new Date('2027-08-02T16:00:30Z') });
    expect(afterFailure(MAX_SEND_ATTEMPTS - 1, now).status).toBe('pending');
    expect(afterFailure(MAX_SEND_ATTEMPTS, now)).toEqual({ status: 'failed' });
  });
});
