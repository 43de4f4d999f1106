import { describe, expect, it } from 'vitest';
import { addDays, clinicDate, clinicInstant, clinicMinutes, clinicTime, minutesUntil, weekdayOf } from '../src/time';

describe('clinic time (America/Denver)', () => {
  it('names a local wall time with the offset in force that day', () => {
    expect(clinicInstant('2027-08-02', '09:00')).toBe('2027-08-02T09:00:00-06:00');
    expect(clinicInstant('2026-12-01', '07:30')).toBe('2026-12-01T07:30:00-07:00');
  });

  it('has no 02:30 on the spring-forward day and takes the first 01:30 on the fall-back day', () => {
    expect(clinicInstant('2026-03-08', '02:30')).toBeNull();
    expect(clinicInstant('2026-03-08', '03:30')).toBe('2026-03-08T03:30:00-06:00');
    expect(clinicInstant('2026-11-01', '01:30')).toBe('2026-11-01T01:30:00-06:00');
    expect(clinicInstant('2026-11-01', '02:30')).toBe('2026-11-01T02:30:00-07:00');
  });

  it('reads instants back as local dates, times and minutes of the day', () => {
    expect(clinicDate('2027-08-03T04:30:00Z')).toBe('2027-08-02');
    expect(clinicTime('2027-08-02T15:05:00Z')).toBe('09:05');
    expect(clinicMinutes('2027-08-02T11:15:00-06:00')).toBe(11 * 60 + 15);
    for (const time of ['00:00', '07:00', '12:45', '23:59']) {
      expect(clinicTime(clinicInstant('2027-01-15', time)!)).toBe(time);
    }
  });

  it('counts calendar days and weekdays without a zone', () => {
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(weekdayOf('2027-08-02')).toBe(1);
    expect(weekdayOf('2027-08-08')).toBe(7);
  });

  it('counts whole minutes until an instant, rounding up', () => {
    const now = new Date('2027-08-02T15:00:30Z');
    expect(minutesUntil('2027-08-02T15:02:00Z', now)).toBe(2);
    expect(minutesUntil('2027-08-02T15:00:00Z', now)).toBe(0);
  });
});
