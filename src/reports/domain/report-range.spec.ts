import { rangeProblem } from './report-range';

describe('rangeProblem', () => {
  it('accepts a single day and a whole leap year', () => {
    expect(rangeProblem('2026-03-08', '2026-03-08')).toBeUndefined();
    expect(rangeProblem('2028-01-01', '2028-12-31')).toBeUndefined();
  });

  it('refuses a range that ends before it starts, or spans more than 366 days', () => {
    expect(rangeProblem('2026-03-09', '2026-03-08')).toEqual({ field: 'to', message: 'to must be on or after from' });
    expect(rangeProblem('2026-01-01', '2027-01-02')?.field).toBe('to');
  });
});
