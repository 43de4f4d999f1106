import { OutcomeEntry, scoreError, summarizeOutcomes } from './outcomes';

const entry = (scale: OutcomeEntry['scale'], score: number, takenOn: string, minute = 0): OutcomeEntry => ({
  scale,
  score,
  takenOn,
  recordedAt: new Date(Date.UTC(2027, 7, 1, 12, minute)),
});

describe('summarizeOutcomes', () => {
  it('takes the first score of a scale as the baseline and the last as the latest, with a signed change', () => {
    const sut = summarizeOutcomes([entry('phq9', 10, '2027-08-16'), entry('phq9', 20, '2027-08-02'), entry('phq9', 4, '2027-09-13')]);
    expect(sut.phq9).toEqual({ baseline: 20, latest: 4, changePercent: -80, response: true, remission: true });
  });

  it('counts a response at exactly 50 % below the baseline, not just above it', () => {
    expect(summarizeOutcomes([entry('madrs', 30, '2027-08-02'), entry('madrs', 15, '2027-09-01')]).madrs).toMatchObject({ response: true, remission: false });
    expect(summarizeOutcomes([entry('madrs', 30, '2027-08-02'), entry('madrs', 16, '2027-09-01')]).madrs).toMatchObject({ response: false });
  });

  it('uses each scale’s own remission threshold: PHQ-9 < 5, MADRS ≤ 12, HAM-D17 ≤ 7', () => {
    const at = (scale: OutcomeEntry['scale'], latest: number) =>
      summarizeOutcomes([entry(scale, 40, '2027-08-02'), entry(scale, latest, '2027-09-01')])[scale]!.remission;
    expect([at('phq9', 4), at('phq9', 5)]).toEqual([true, false]);
    expect([at('madrs', 12), at('madrs', 13)]).toEqual([true, false]);
    expect([at('hamd17', 7), at('hamd17', 8)]).toEqual([true, false]);
  });

  it('orders scores of one day by when they were recorded, and leaves out scales never recorded', () => {
    const sut = summarizeOutcomes([entry('hamd17', 20, '2027-08-02', 5), entry('hamd17', 22, '2027-08-02', 1)]);
    expect(sut.hamd17).toMatchObject({ baseline: 22, latest: 20, changePercent: -9.1 });
    expect(Object.keys(sut)).toEqual(['hamd17']);
  });

  it('has no change percentage from a baseline of 0, and a worse score is a positive change', () => {
    expect(summarizeOutcomes([entry('phq9', 0, '2027-08-02'), entry('phq9', 3, '2027-08-09')]).phq9).toMatchObject({ changePercent: null, response: false });
    expect(summarizeOutcomes([entry('phq9', 10, '2027-08-02'), entry('phq9', 15, '2027-08-09')]).phq9).toMatchObject({ changePercent: 50 });
  });
});

describe('scoreError', () => {
  it('accepts whole numbers in the scale’s range only', () => {
    expect(scoreError('phq9', 27)).toBeUndefined();
    expect(scoreError('phq9', 28)).toContain('0 to 27');
    expect(scoreError('madrs', 60)).toBeUndefined();
    expect(scoreError('hamd17', 53)).toContain('0 to 52');
    expect(scoreError('hamd17', 2.5)).toBeDefined();
  });
});
