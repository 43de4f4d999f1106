import { fitsWish, windowProblem } from './waitlist-fit';

const zone = 'America/Denver';
const wish = { locationIds: ['aurora', 'louisville'], fromDate: '2027-08-02', toDate: '2027-08-06', windows: [] };
const at = (local: string) => new Date(`${local}-06:00`);

describe('fitsWish', () => {
  it('takes a slot at one of the clinics, within the dates (inclusive, clinic-local)', () => {
    const sut = (locationId: string, local: string) => fitsWish(wish, { locationId, startsAt: at(local) }, zone);
    expect([sut('aurora', '2027-08-02T07:00:00'), sut('louisville', '2027-08-06T18:30:00'), sut('westminster', '2027-08-03T09:00:00')]).toEqual([
      true,
      true,
      false,
    ]);
    // 2027-08-06 23:30 MDT is the 7th in UTC, still the 6th in the clinic; the 7th itself is out.
    expect([sut('aurora', '2027-08-06T23:30:00'), sut('aurora', '2027-08-07T08:00:00'), sut('aurora', '2027-08-01T19:00:00')]).toEqual([true, false, false]);
  });

  it('takes a slot whose start is inside a window, on its weekdays', () => {
    const mornings = {
      ...wish,
      windows: [
        { weekdays: [1, 3], start: '08:00', end: '12:00' },
        { start: '16:00', end: '18:00' },
      ],
    };
    const sut = (local: string) => fitsWish(mornings, { locationId: 'aurora', startsAt: at(local) }, zone);
    expect([
      sut('2027-08-02T08:00:00'), // Monday, from 08:00
      sut('2027-08-02T11:59:00'),
      sut('2027-08-02T12:00:00'), // the end is out
      sut('2027-08-03T09:00:00'), // Tuesday: not a morning day
      sut('2027-08-03T16:30:00'), // any day in the afternoon window
    ]).toEqual([true, true, false, false, true]);
  });

  it('refuses a window that ends before it starts or repeats a weekday', () => {
    expect([windowProblem({ start: '12:00', end: '08:00' }), windowProblem({ weekdays: [1, 1], start: '08:00', end: '09:00' })]).toEqual([
      'end must be after start',
      'weekdays must not repeat',
    ]);
    expect(windowProblem({ start: '08:00', end: '09:00' })).toBeUndefined();
  });
});
