import { Eligibility } from '../../patients/domain/eligibility';
import { assessCourseLimits } from './course-limits';

const eligibility = (overrides: Partial<Eligibility> = {}): Eligibility => ({
  eligible: true,
  failedAdequateTrials: 2,
  requiredFailedTrials: 2,
  authorization: { id: 'auth-1', remainingSessions: 36, validTo: '2027-12-31' },
  reasons: [],
  ...overrides,
});
const window = { validFrom: '2027-01-01', validTo: '2027-12-31' };
const dates = (count: number, first = '2027-08-02') => Array.from({ length: count }, (_, i) => (i === count - 1 ? first.replace(/\d\d$/, '20') : first));

describe('assessCourseLimits', () => {
  it('lets a course within the remaining sessions and the window pass', () => {
    expect(assessCourseLimits({ treatment: 'tms', eligibility: eligibility(), authorization: window, sessionDates: dates(36) })).toEqual({
      breaches: [],
      warnings: [],
    });
  });

  it('names every limit a course breaks', () => {
    const sut = assessCourseLimits({
      treatment: 'tms',
      eligibility: eligibility({ failedAdequateTrials: 1, authorization: { id: 'auth-1', remainingSessions: 30, validTo: '2027-08-10' } }),
      authorization: { validFrom: '2027-08-03', validTo: '2027-08-10' },
      sessionDates: dates(36),
    });
    expect(sut.breaches.map((b) => [b.limit, b.rule])).toEqual([
      ['requiredFailedTrials', 'eligibility'],
      ['remainingSessions', 'authorization-sessions'],
      ['validTo', 'authorization-expiry'],
      ['validFrom', 'authorization-not-yet-valid'],
    ]);
    expect(sut.breaches[1].detail).toBe('the course has 36 sessions but the authorization has 30 approved sessions remaining');
    expect(sut.breaches[2].detail).toBe("1 session, from 2027-08-20, would run past the authorization's validTo 2027-08-10");
  });

  it('refuses nothing for a self-pay patient but lists the eligibility gaps', () => {
    const sut = assessCourseLimits({
      treatment: 'spravato',
      eligibility: eligibility({
        eligible: false,
        failedAdequateTrials: 1,
        authorization: null,
        reasons: ['1 failed adequate trial on file; 2 are required', 'no authorization on file for spravato (self-pay)'],
      }),
      authorization: null,
      sessionDates: dates(12),
    });
    expect(sut).toEqual({
      breaches: [],
      warnings: ['Self-pay: no authorization on file for spravato. Eligibility gaps: 1 failed adequate trial on file; 2 are required.'],
    });
  });
});
