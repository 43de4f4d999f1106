import { batchLimit } from './batch-limit';

describe('batchLimit', () => {
  it('writes a positive integer batch size as a LIMIT', () => {
    expect(batchLimit(200)).toBe('LIMIT 200');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1; DROP TABLE reminders' as unknown as number])('refuses %p', (size) => {
    expect(() => batchLimit(size)).toThrow(RangeError);
  });
});
