import { pickAlternatives } from './alternatives';

const zone = 'America/Denver';
const at = (local: string) => new Date(`${local}-06:00`);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('pickAlternatives', () => {
  const current = at('2027-08-04T09:00:00'); // Wednesday 09:00

  it('offers one time a day on the days nearest the appointment, nearest the usual time, in time order', () => {
    const free = [
      at('2027-08-02T13:00:00'),
      at('2027-08-03T08:00:00'),
      at('2027-08-03T09:15:00'),
      at('2027-08-04T15:00:00'),
      at('2027-08-05T07:00:00'),
      at('2027-08-05T10:30:00'),
      at('2027-08-09T09:00:00'),
    ];
    expect(iso(pickAlternatives(free, { current, usualMinutes: 9 * 60, zone }))).toEqual(
      iso([at('2027-08-03T09:15:00'), at('2027-08-04T15:00:00'), at('2027-08-05T10:30:00')]),
    );
  });

  it('prefers the later day on a tie of distance, never offers the appointment’s own time, and offers fewer when fewer are free', () => {
    const free = [current, at('2027-08-03T09:00:00'), at('2027-08-05T09:00:00')];
    expect(iso(pickAlternatives(free, { current, usualMinutes: 9 * 60, zone, limit: 1 }))).toEqual(iso([at('2027-08-05T09:00:00')]));
    expect(pickAlternatives(free, { current, usualMinutes: 9 * 60, zone })).toHaveLength(2);
    expect(pickAlternatives([], { current, usualMinutes: 540, zone })).toEqual([]);
  });

  it('reads days and times on the clinic’s wall clock across the fall-back change (1 November 2026)', () => {
    const sunday = new Date('2026-11-01T16:00:00-07:00'); // 09:00 MST
    const saturday = new Date('2026-10-31T09:00:00-06:00'); // 09:00 MDT
    const monday = new Date('2026-11-02T09:30:00-07:00');
    expect(iso(pickAlternatives([saturday, monday], { current: sunday, usualMinutes: 9 * 60, zone }))).toEqual(iso([saturday, monday]));
  });
});
