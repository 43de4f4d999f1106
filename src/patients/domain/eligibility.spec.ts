import { assessEligibility, countFailedAdequateTrials, EligibilityAuthorization, EligibilityInput, EligibilityTrial, selectAuthorization } from './eligibility';

const failed = (outcome: EligibilityTrial['outcome'] = 'no_response'): EligibilityTrial => ({ adequate: true, outcome });

function authorization(overrides: Partial<EligibilityAuthorization> = {}): EligibilityAuthorization {
  return {
    id: 'auth-1',
    treatment: 'spravato',
    approvedSessions: 24,
    validFrom: '2026-09-01',
    validTo: '2027-02-28',
    requiredFailedTrials: 2,
    ...overrides,
  };
}

function input(overrides: Partial<EligibilityInput> = {}): EligibilityInput {
  return {
    treatment: 'spravato',
    trials: [failed(), failed('partial_response')],
    authorizations: [authorization()],
    sessionsUsed: 0,
    today: '2026-11-02',
    ...overrides,
  };
}

describe('countFailedAdequateTrials', () => {
  it('counts adequate trials without a response or with a partial one only', () => {
    const trials: EligibilityTrial[] = [
      failed('no_response'),
      failed('partial_response'),
      failed('intolerant'),
      failed('response'),
      { adequate: false, outcome: 'no_response' },
    ];
    expect(countFailedAdequateTrials(trials)).toBe(2);
  });
});

describe('assessEligibility', () => {
  it('is eligible with 2 failed trials and a current authorization with sessions left', () => {
    const sut = assessEligibility(input({ sessionsUsed: 5 }));
    expect(sut).toEqual({
      eligible: true,
      failedAdequateTrials: 2,
      requiredFailedTrials: 2,
      authorization: { id: 'auth-1', remainingSessions: 19, validTo: '2027-02-28' },
      reasons: [],
    });
  });

  it('is not eligible below the threshold of 2, and says how far off', () => {
    const sut = assessEligibility(input({ trials: [failed(), failed('intolerant')] }));
    expect(sut.eligible).toBe(false);
    expect(sut.failedAdequateTrials).toBe(1);
    expect(sut.reasons).toEqual(['1 failed adequate trial on file; the payer requires 2']);
  });

  it("applies a payer's threshold of 4", () => {
    const strict = [authorization({ requiredFailedTrials: 4 })];
    const three = assessEligibility(input({ authorizations: strict, trials: [failed(), failed(), failed()] }));
    expect(three).toMatchObject({ eligible: false, failedAdequateTrials: 3, requiredFailedTrials: 4 });
    expect(three.reasons).toEqual(['3 failed adequate trials on file; the payer requires 4']);
    const four = assessEligibility(input({ authorizations: strict, trials: [failed(), failed(), failed(), failed('partial_response')] }));
    expect(four).toMatchObject({ eligible: true, failedAdequateTrials: 4, requiredFailedTrials: 4, reasons: [] });
  });

  it('treats no authorization for the treatment as self-pay: eligible on trials alone, threshold 2', () => {
    const sut = assessEligibility(input({ treatment: 'tms', authorizations: [authorization({ treatment: 'spravato' })] }));
    expect(sut).toEqual({
      eligible: true,
      failedAdequateTrials: 2,
      requiredFailedTrials: 2,
      authorization: null,
      reasons: ['no authorization on file for tms (self-pay)'],
    });
    const short = assessEligibility(input({ treatment: 'tms', authorizations: [], trials: [] }));
    expect(short.eligible).toBe(false);
    expect(short.reasons).toEqual(['0 failed adequate trials on file; 2 are required', 'no authorization on file for tms (self-pay)']);
  });

  it('refuses an expired authorization, valid through its last day', () => {
    const lastDay = assessEligibility(input({ today: '2027-02-28' }));
    expect(lastDay.eligible).toBe(true);
    const sut = assessEligibility(input({ today: '2027-03-01' }));
    expect(sut.eligible).toBe(false);
    expect(sut.authorization).toEqual({ id: 'auth-1', remainingSessions: 24, validTo: '2027-02-28' });
    expect(sut.reasons).toEqual(['authorization expired on 2027-02-28']);
  });

  it('refuses an authorization that is not valid yet, valid from its first day', () => {
    const sut = assessEligibility(input({ today: '2026-08-31' }));
    expect(sut.eligible).toBe(false);
    expect(sut.reasons).toEqual(['authorization is not valid until 2026-09-01']);
    expect(assessEligibility(input({ today: '2026-09-01' })).eligible).toBe(true);
  });

  it('refuses when no approved session remains, and never reports fewer than 0', () => {
    const none = assessEligibility(input({ sessionsUsed: 24 }));
    expect(none.eligible).toBe(false);
    expect(none.authorization?.remainingSessions).toBe(0);
    expect(none.reasons).toEqual(['no approved sessions remaining (24 of 24 used)']);
    expect(assessEligibility(input({ sessionsUsed: 26 })).authorization?.remainingSessions).toBe(0);
    expect(assessEligibility(input({ sessionsUsed: 23 })).authorization?.remainingSessions).toBe(1);
  });

  it('lists every gap at once', () => {
    const sut = assessEligibility(input({ trials: [], sessionsUsed: 24, today: '2027-03-05' }));
    expect(sut.reasons).toEqual([
      '0 failed adequate trials on file; the payer requires 2',
      'authorization expired on 2027-02-28',
      'no approved sessions remaining (24 of 24 used)',
    ]);
  });
});

describe('selectAuthorization', () => {
  const expired = authorization({ id: 'expired', validFrom: '2026-01-01', validTo: '2026-06-30' });
  const current = authorization({ id: 'current', validFrom: '2026-07-01', validTo: '2026-12-31' });
  const longer = authorization({ id: 'longer', validFrom: '2026-10-01', validTo: '2027-03-31', requiredFailedTrials: 4 });
  const renewal = authorization({ id: 'renewal', validFrom: '2027-01-01', validTo: '2027-06-30' });
  const otherTreatment = authorization({ id: 'tms', treatment: 'tms', validFrom: '2026-01-01', validTo: '2027-12-31' });

  it('takes the current one with the latest validTo, of the treatment asked', () => {
    expect(selectAuthorization([expired, current, longer, renewal, otherTreatment], 'spravato', '2026-11-02')?.id).toBe('longer');
    expect(selectAuthorization([expired, current, otherTreatment], 'spravato', '2026-11-02')?.id).toBe('current');
  });

  it('takes the requiredFailedTrials of the one it picks', () => {
    expect(assessEligibility(input({ authorizations: [current, longer] })).requiredFailedTrials).toBe(4);
  });

  it('without a current one, reports an upcoming renewal before an expired one', () => {
    expect(selectAuthorization([expired, renewal], 'spravato', '2026-11-02')?.id).toBe('renewal');
    expect(selectAuthorization([expired], 'spravato', '2026-11-02')?.id).toBe('expired');
    expect(selectAuthorization([otherTreatment], 'spravato', '2026-11-02')).toBeUndefined();
  });
});
