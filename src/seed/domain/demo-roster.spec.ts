import { rosterShifts } from './demo-roster';

const WEEKDAYS_7_TO_19 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '07:00', closes: '19:00' }));
const iso = (shifts: Array<[Date, Date]>) => shifts.map(([s, e]) => [s.toISOString(), e.toISOString()]);

describe('rosterShifts', () => {
  it('keeps 07:00–19:00 local across the spring daylight-saving change', () => {
    // Fri 6 March 2026 (MST, -07:00) … Mon 9 March 2026 (MDT, -06:00).
    const sut = rosterShifts({ from: '2026-03-06', days: 4 }, WEEKDAYS_7_TO_19, new Set());
    expect(iso(sut)).toEqual([
      ['2026-03-06T14:00:00.000Z', '2026-03-07T02:00:00.000Z'],
      ['2026-03-09T13:00:00.000Z', '2026-03-10T01:00:00.000Z'],
    ]);
  });

  it('keeps 07:00–19:00 local across the autumn change', () => {
    const sut = rosterShifts({ from: '2026-10-30', days: 4 }, WEEKDAYS_7_TO_19, new Set());
    expect(iso(sut)).toEqual([
      ['2026-10-30T13:00:00.000Z', '2026-10-31T01:00:00.000Z'],
      ['2026-11-02T14:00:00.000Z', '2026-11-03T02:00:00.000Z'],
    ]);
  });

  it('skips weekends and closed dates', () => {
    // Mon 23 … Sun 29 November 2026; Thanksgiving and the day after are closed.
    const sut = rosterShifts({ from: '2026-11-23', days: 7 }, WEEKDAYS_7_TO_19, new Set(['2026-11-26', '2026-11-27']));
    expect(sut.map(([s]) => s.toISOString().slice(0, 10))).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
  });

  it('follows the hours of each weekday, and gives nothing on a weekday without hours', () => {
    const hours = [
      { weekday: 1, opens: '08:00', closes: '17:00' },
      { weekday: 6, opens: '09:00', closes: '13:00' },
    ];
    const sut = rosterShifts({ from: '2026-06-01', days: 7 }, hours, new Set());
    expect(iso(sut)).toEqual([
      ['2026-06-01T14:00:00.000Z', '2026-06-01T23:00:00.000Z'],
      ['2026-06-06T15:00:00.000Z', '2026-06-06T19:00:00.000Z'],
    ]);
  });

  it('covers 26 weeks with 130 weekday shifts when nothing is closed', () => {
    expect(rosterShifts({ from: '2026-01-05', days: 26 * 7 }, WEEKDAYS_7_TO_19, new Set())).toHaveLength(130);
  });
});
