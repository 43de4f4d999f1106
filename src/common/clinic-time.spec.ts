import fc from 'fast-check';
import { DateTime } from 'luxon';
import { addDays, clinicDatesBetween, clinicDayBounds, clinicInstant, daysBetween, localParts, offsetMinutes, toClinicIso, weekdayOf } from './clinic-time';

describe('clinic time (America/Denver)', () => {
  it('renders instants in the local offset, -07:00 in winter and -06:00 in summer', () => {
    expect(toClinicIso(new Date('2026-11-02T16:00:00Z'))).toBe('2026-11-02T09:00:00-07:00');
    expect(toClinicIso(new Date('2026-07-01T15:00:00Z'))).toBe('2026-07-01T09:00:00-06:00');
  });

  it('keeps 09:00 local across both DST changes of 2026', () => {
    expect(clinicInstant('2026-03-06', '09:00')?.toISOString()).toBe('2026-03-06T16:00:00.000Z');
    expect(clinicInstant('2026-03-09', '09:00')?.toISOString()).toBe('2026-03-09T15:00:00.000Z');
    expect(clinicInstant('2026-10-30', '09:00')?.toISOString()).toBe('2026-10-30T15:00:00.000Z');
    expect(clinicInstant('2026-11-02', '09:00')?.toISOString()).toBe('2026-11-02T16:00:00.000Z');
  });

  it('has no 02:30 on 8 March 2026 (spring forward)', () => {
    expect(clinicInstant('2026-03-08', '02:30')).toBeUndefined();
    expect(clinicInstant('2026-03-08', '03:30')?.toISOString()).toBe('2026-03-08T09:30:00.000Z');
  });

  it('takes the first of the two 01:30s on 1 November 2026 (fall back)', () => {
    expect(clinicInstant('2026-11-01', '01:30')?.toISOString()).toBe('2026-11-01T07:30:00.000Z');
  });

  it('bounds the 23- and 25-hour days', () => {
    const spring = clinicDayBounds('2026-03-08');
    expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(23);
    const fall = clinicDayBounds('2026-11-01');
    expect((fall.end.getTime() - fall.start.getTime()) / 3_600_000).toBe(25);
  });

  it('lists the local dates a span touches', () => {
    expect(clinicDatesBetween(new Date('2026-11-02T06:00:00Z'), new Date('2026-11-03T08:00:00Z'))).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    // A span ending at a local midnight does not touch the day that midnight starts; one starting at it does.
    expect(clinicDatesBetween(clinicInstant('2026-11-02', '00:00')!, clinicInstant('2026-11-04', '00:00')!)).toEqual(['2026-11-02', '2026-11-03']);
    expect(clinicDatesBetween(clinicInstant('2026-11-02', '00:00')!, clinicInstant('2026-11-02', '00:00')!)).toEqual([]);
    // Across both DST changes: the 23- and the 25-hour day each once.
    expect(clinicDatesBetween(clinicInstant('2026-03-07', '22:00')!, clinicInstant('2026-03-09', '01:00')!)).toEqual([
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
    ]);
    expect(clinicDatesBetween(clinicInstant('2026-11-01', '00:00')!, clinicInstant('2026-11-02', '00:00')!)).toEqual(['2026-11-01']);
  });

  it('counts calendar days across month, year, leap-day and DST boundaries', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-09', -2)).toBe('2026-03-07');
    expect(daysBetween('2026-10-30', '2026-11-02')).toBe(3);
    expect(daysBetween('2027-01-01', '2026-12-25')).toBe(-7);
    expect([weekdayOf('2026-11-02'), weekdayOf('2026-11-07'), weekdayOf('2026-11-08')]).toEqual([1, 6, 7]);
  });
});

describe('cached offsets agree with Luxon', () => {
  it('for any instant from 2025 to 2028 (across every DST change): offset, local parts and ISO rendering', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 31) }), (ms) => {
        const date = new Date(ms);
        const luxon = DateTime.fromJSDate(date, { zone: 'America/Denver' });
        expect(offsetMinutes(date)).toBe(luxon.offset);
        expect(toClinicIso(date)).toBe(luxon.toISO({ suppressMilliseconds: true }));
        expect(localParts(date)).toEqual({
          date: luxon.toISODate(),
          weekday: luxon.weekday,
          minutes: luxon.hour * 60 + luxon.minute,
          time: luxon.toFormat('HH:mm'),
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('on both sides of each 2026 change, to the minute', () => {
    for (const iso of ['2026-03-08T08:59:59.999Z', '2026-03-08T09:00:00Z', '2026-11-01T07:59:00Z', '2026-11-01T08:00:00Z', '2026-11-01T08:59:00Z']) {
      const date = new Date(iso);
      expect(toClinicIso(date)).toBe(DateTime.fromJSDate(date, { zone: 'America/Denver' }).toISO({ suppressMilliseconds: true }));
    }
  });
});
