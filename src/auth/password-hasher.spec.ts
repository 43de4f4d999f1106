import { hashPassword, verifyPassword } from './password-hasher';

describe('password hashing', () => {
  it('stores no plain text and verifies only the right password', async () => {
    const sut = await hashPassword('correct horse');
    expect(sut).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(sut).not.toContain('correct horse');
    await expect(verifyPassword('correct horse', sut)).resolves.toBe(true);
    await expect(verifyPassword('wrong horse', sut)).resolves.toBe(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('refuses a malformed stored hash', async () => {
    await expect(verifyPassword('x', 'plain-text')).resolves.toBe(false);
  });
});
