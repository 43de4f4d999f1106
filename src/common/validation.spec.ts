import { isCalendarDate, parseOffsetDateTime } from './validation';

describe('parseOffsetDateTime', () => {
  it.each([
    ['2026-11-02T09:00:00-07:00', '2026-11-02T16:00:00.000Z'],
    ['2026-11-02T16:00:00Z', '2026-11-02T16:00:00.000Z'],
    ['2026-11-02T09:00-07:00', '2026-11-02T16:00:00.000Z'],
    ['2026-03-08T03:30:00-06:00', '2026-03-08T09:30:00.000Z'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseOffsetDateTime(input)?.toISOString()).toBe(expected);
  });

  it.each(['2026-11-02T09:00:00', '2026-11-02', '2026-02-30T09:00:00Z', '2026-11-02T25:00:00Z', 'tomorrow', '', 42, null])(
    'refuses %p (no offset, impossible or not a string)',
    (input) => {
      expect(parseOffsetDateTime(input)).toBeUndefined();
    },
  );
});

describe('isCalendarDate', () => {
  it('accepts real dates and refuses impossible ones', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-01-01')).toBe(false);
  });
});
