import { isFirstSessionOfCourse, tmsErrors as sut } from './tms-rules';

describe('TMS record values', () => {
  it('accepts a standard session', () => {
    expect(sut({ motorThresholdPercent: 48, intensityPercent: 120, pulses: 3000 })).toEqual([]);
    expect(sut({ intensityPercent: 80, pulses: 600 })).toEqual([]);
  });

  it('names every impossible value', () => {
    expect(sut({ motorThresholdPercent: 140, intensityPercent: 300, pulses: 0 }).map((e) => e.field)).toEqual([
      'motorThresholdPercent',
      'intensityPercent',
      'pulses',
    ]);
    expect(sut({ intensityPercent: 110.5, pulses: 3000 })[0].field).toBe('intensityPercent');
  });
});

describe('first session of a TMS course', () => {
  it('is sequence 1 of a course, or the first record in the course', () => {
    expect(isFirstSessionOfCourse(1, 3)).toBe(true);
    expect(isFirstSessionOfCourse(null, 0)).toBe(true);
    expect(isFirstSessionOfCourse(7, 6)).toBe(false);
    expect(isFirstSessionOfCourse(null, 1)).toBe(false);
  });
});
