import { motorThresholdDueAt } from './motor-threshold';

describe('motorThresholdDueAt', () => {
  it('is null before the first measurement', () => {
    expect(motorThresholdDueAt(undefined, 7, 'America/Denver')).toBeNull();
  });

  it('is the interval after the last measurement, at the same local wall time across DST', () => {
    // 09:40 MST on Monday 8 March 2027 → 09:40 MDT on Monday 15 March 2027 (DST began on 14 March).
    const sut = motorThresholdDueAt(new Date('2027-03-08T09:40:00-07:00'), 7, 'America/Denver');
    expect(sut?.toISOString()).toBe('2027-03-15T15:40:00.000Z');
    expect(motorThresholdDueAt(new Date('2027-08-02T09:00:00-06:00'), 14, 'America/Denver')?.toISOString()).toBe('2027-08-16T15:00:00.000Z');
  });
});
