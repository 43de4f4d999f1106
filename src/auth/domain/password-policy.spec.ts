import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('refuses the passwords the attacker tried: short, repeated, common and breached ones', () => {
    expect(passwordProblem('short-pass1')).toMatch(/at least 12/);
    expect(passwordProblem('aaaaaaaaaaaa')).toBeDefined();
    expect(passwordProblem('password1234')).toBeDefined();
    expect(passwordProblem('qwertyuiop12')).toBeDefined();
    expect(passwordProblem('1234567890123')).toBeDefined();
    expect(passwordProblem('iloveyou1234')).toBeDefined();
  });

  it('refuses a password containing the name part of the email', () => {
    expect(passwordProblem('rosalind-maple-harbor', 'Rosalind@clinic.example')).toMatch(/name part of the email/);
    expect(passwordProblem('rosalind-maple-harbor', 'other@clinic.example')).toBeUndefined();
  });

  it('accepts long passphrases without composition rules', () => {
    expect(passwordProblem('correct horse battery staple')).toBeUndefined();
    expect(passwordProblem('tangerine orbit lantern')).toBeUndefined();
    expect(passwordProblem('x'.repeat(201))).toMatch(/at most 200/);
  });
});
