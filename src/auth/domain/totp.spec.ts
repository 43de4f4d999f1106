import { acceptedStep, newTotpSecret, totpCode, totpUrl } from './totp';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-11-02T16:00:10Z');

  it('accepts the current code and one step of drift either way, each step once', () => {
    const step = Math.floor(now.getTime() / 30_000);
    expect(acceptedStep(secret, totpCode(secret, now), now, null)).toBe(step);
    expect(acceptedStep(secret, totpCode(secret, new Date(now.getTime() - 30_000)), now, null)).toBe(step - 1);
    expect(acceptedStep(secret, totpCode(secret, new Date(now.getTime() + 30_000)), now, null)).toBe(step + 1);
    expect(acceptedStep(secret, totpCode(secret, new Date(now.getTime() - 90_000)), now, null)).toBeUndefined();
    expect(acceptedStep(secret, totpCode(secret, now), now, step)).toBeUndefined();
    expect(acceptedStep(secret, 'abcdef', now, null)).toBeUndefined();
  });

  it('enrols through an otpauth URL naming the issuer and the account', () => {
    expect(totpUrl(secret, 'rosa@clinic.example')).toMatch(/^otpauth:\/\/totp\/Clinic%20Scheduler:rosa%40clinic\.example\?.*secret=[A-Z2-7]+/);
  });
});
