import { horizonRefusal, latestBookableStart } from './booking-horizon';

describe('booking horizon', () => {
  const now = new Date('2026-11-30T12:00:00Z');

  it('reaches exactly that many days ahead', () => {
    const latest = latestBookableStart(now, 400);
    expect(latest.toISOString()).toBe('2028-01-04T12:00:00.000Z');
    expect(horizonRefusal(latest, latest, 'America/Denver')).toBeUndefined();
    expect(horizonRefusal(new Date(latest.getTime() + 60_000), latest, 'America/Denver')).toMatchObject({ rule: 'booking-horizon' });
  });

  it('refuses the year 2190 and says until when bookings are open', () => {
    const sut = horizonRefusal(new Date('2190-01-06T16:00:00Z'), latestBookableStart(now, 400), 'America/Denver');
    expect(sut?.detail).toContain('2028-01-04T05:00:00-07:00');
  });
});
