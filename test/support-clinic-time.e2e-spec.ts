import { at, atDate, datesFrom } from './support/clinic-time';

/** The tests' one local-time helper (no app needed): the offset is the clinics' on that date. */
describe('test support: at(date, time)', () => {
  it('writes MST (-07:00) in winter and MDT (-06:00) in summer, on both sides of each change', () => {
    expect(at('2027-01-04', '09:00')).toBe('2027-01-04T09:00:00-07:00');
    expect(at('2027-03-12', '09:00')).toBe('2027-03-12T09:00:00-07:00');
    expect(at('2027-03-15', '09:00')).toBe('2027-03-15T09:00:00-06:00');
    expect(at('2027-08-02', '09:00')).toBe('2027-08-02T09:00:00-06:00');
    expect(at('2027-11-05', '09:00')).toBe('2027-11-05T09:00:00-06:00');
    expect(at('2027-11-08', '09:00')).toBe('2027-11-08T09:00:00-07:00');
    expect(atDate('2027-11-08', '09:00').toISOString()).toBe('2027-11-08T16:00:00.000Z');
  });

  it('refuses a wall time that does not exist (the spring-forward gap)', () => {
    expect(() => at('2027-03-14', '02:30')).toThrow(/does not exist/);
  });

  it('lists dates, or only the weekdays among them', () => {
    expect(datesFrom('2027-08-06', 4)).toEqual(['2027-08-06', '2027-08-07', '2027-08-08', '2027-08-09']);
    expect(datesFrom('2027-08-06', 4, 'weekdays')).toEqual(['2027-08-06', '2027-08-09']);
  });
});
