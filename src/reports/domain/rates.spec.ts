import { mean, rate } from './rates';

describe('rate', () => {
  it('is the share rounded to four places', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(5, 5)).toBe(1);
    expect(rate(0, 7)).toBe(0);
  });

  it('is null when there is nothing to divide by', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(3, 0)).toBeNull();
  });
});

describe('mean', () => {
  it('is rounded to one decimal, null for no values', () => {
    expect(mean(10, 4)).toBe(2.5);
    expect(mean(10, 3)).toBe(3.3);
    expect(mean(0, 0)).toBeNull();
  });
});
