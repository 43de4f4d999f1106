import { clinicHolidays, holidayOn } from './holidays';

describe('clinicHolidays', () => {
  it('lists the 2026 closures on the days they are observed', () => {
    expect(clinicHolidays(2026)).toEqual([
      { date: '2026-01-01', name: "New Year's Day" },
      { date: '2026-05-25', name: 'Memorial Day' },
      { date: '2026-07-03', name: 'Independence Day (observed)' },
      { date: '2026-09-07', name: 'Labor Day' },
      { date: '2026-11-26', name: 'Thanksgiving Day' },
      { date: '2026-11-27', name: 'Day after Thanksgiving' },
      { date: '2026-12-25', name: 'Christmas Day' },
    ]);
  });

  it('lists the 2027 closures, Christmas on a Saturday observed the Friday before', () => {
    expect(clinicHolidays(2027)).toEqual([
      { date: '2027-01-01', name: "New Year's Day" },
      { date: '2027-05-31', name: 'Memorial Day' },
      { date: '2027-07-05', name: 'Independence Day (observed)' },
      { date: '2027-09-06', name: 'Labor Day' },
      { date: '2027-11-25', name: 'Thanksgiving Day' },
      { date: '2027-11-26', name: 'Day after Thanksgiving' },
      { date: '2027-12-24', name: 'Christmas Day (observed)' },
    ]);
  });

  it('observes a Saturday New Year on the Friday before, in the previous calendar year', () => {
    expect(clinicHolidays(2022)[0]).toEqual({ date: '2021-12-31', name: "New Year's Day (observed)" });
  });

  it('always puts the Monday holidays on Mondays and Thanksgiving on the fourth Thursday', () => {
    for (let year = 2024; year <= 2040; year++) {
      const byName = new Map(clinicHolidays(year).map((h) => [h.name.replace(' (observed)', ''), h.date]));
      const weekday = (d: string) => new Date(`${d}T12:00:00Z`).getUTCDay();
      expect(weekday(byName.get('Memorial Day')!)).toBe(1);
      expect(Number(byName.get('Memorial Day')!.slice(8))).toBeGreaterThan(24);
      expect(weekday(byName.get('Labor Day')!)).toBe(1);
      expect(Number(byName.get('Labor Day')!.slice(8))).toBeLessThanOrEqual(7);
      expect(weekday(byName.get('Thanksgiving Day')!)).toBe(4);
      expect(Number(byName.get('Thanksgiving Day')!.slice(8))).toBeGreaterThanOrEqual(22);
      expect(Number(byName.get('Thanksgiving Day')!.slice(8))).toBeLessThanOrEqual(28);
      for (const holiday of clinicHolidays(year)) expect([0, 6]).not.toContain(weekday(holiday.date));
    }
  });
});

describe('holidayOn', () => {
  it('knows the holidays of every year, not only the seeded ones', () => {
    expect(holidayOn('2028-05-29')).toEqual({ date: '2028-05-29', name: 'Memorial Day' });
    expect(holidayOn('2031-11-28')).toEqual({ date: '2031-11-28', name: 'Day after Thanksgiving' });
    expect(holidayOn('2028-05-30')).toBeUndefined();
  });

  it("finds a Saturday New Year's Day observed on 31 December of the year before", () => {
    expect(holidayOn('2021-12-31')).toEqual({ date: '2021-12-31', name: "New Year's Day (observed)" });
    expect(holidayOn('2022-01-01')).toBeUndefined();
  });
});
