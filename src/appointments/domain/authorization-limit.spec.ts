import { authorizationRefusal, AuthorizationWindow } from './authorization-limit';

const window = (overrides: Partial<AuthorizationWindow> = {}): AuthorizationWindow => ({
  id: 'auth-1',
  treatment: 'spravato',
  approvedSessions: 12,
  validFrom: '2027-07-01',
  validTo: '2027-12-31',
  requiredFailedTrials: 2,
  countedAppointmentIds: Array.from({ length: 11 }, (_, i) => `a${i}`),
  ...overrides,
});

describe('authorizationRefusal', () => {
  it('lets the 12th session of 12 through and refuses the 13th', () => {
    expect(authorizationRefusal('2027-08-02', [window()])).toBeUndefined();
    const full = window({ countedAppointmentIds: Array.from({ length: 12 }, (_, i) => `a${i}`) });
    expect(authorizationRefusal('2027-08-02', [full])).toMatchObject({ rule: 'authorization-sessions' });
  });

  it('does not count the appointment being moved twice', () => {
    const full = window({ countedAppointmentIds: Array.from({ length: 12 }, (_, i) => `a${i}`) });
    expect(authorizationRefusal('2027-08-09', [full], 'a3')).toBeUndefined();
  });

  it('refuses a date outside the window', () => {
    expect(authorizationRefusal('2028-01-03', [window()])).toMatchObject({ rule: 'authorization-expiry' });
    expect(authorizationRefusal('2027-06-30', [window()])).toMatchObject({ rule: 'authorization-not-yet-valid' });
  });

  it('judges a date by the authorization whose window holds it (a renewal on file)', () => {
    const renewal = window({ id: 'auth-2', validFrom: '2028-01-01', validTo: '2028-06-30', countedAppointmentIds: [] });
    expect(authorizationRefusal('2028-01-03', [window(), renewal])).toBeUndefined();
  });

  it('refuses nothing without an authorization (self-pay)', () => {
    expect(authorizationRefusal('2027-08-02', [])).toBeUndefined();
  });
});
