import { useTestApp } from './support/app';
import { createAccount, login, otpFor, refreshCookie, session } from './support/accounts';

/** api.md v2 "Accounts and sessions", through HTTP, with the stored state checked. */
describe('accounts and sessions', () => {
  const t = useTestApp({ env: { ACCESS_TOKEN_MINUTES: '15', IDLE_TIMEOUT_MINUTES: '15' } });

  const audit = (staffId: string, action: string) =>
    t.dataSource.query(`SELECT action, actor_id, details FROM audit_log WHERE entity_id = $1 AND action = $2 ORDER BY id`, [staffId, action]);

  describe('login, refresh, logout, me', () => {
    it('signs in with a 15-minute access token and an httpOnly SameSite=Strict refresh cookie on /api/auth, audited', async () => {
      const nurse = await createAccount(t, 'nurse', [t.locations.aurora]);
      const response = await login(t, nurse).expect(200);
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        expiresIn: 900,
        user: { id: nurse.id, email: nurse.email, name: expect.any(String), role: 'nurse' },
      });
      const cookie = ([] as string[]).concat(response.headers['set-cookie']).find((c) => c.startsWith('clinic_refresh='))!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\/api\/auth/);
      const [{ exp, iat }] = [JSON.parse(Buffer.from(response.body.accessToken.split('.')[1], 'base64url').toString())];
      expect(exp - iat).toBe(900);
      const [entry] = await audit(nurse.id, 'auth.login');
      expect(entry).toMatchObject({ actor_id: nurse.id, details: { address: '203.0.113.10', mfa: false } });
      const stored = await t.dataSource.query('SELECT id, ended_at FROM auth_sessions WHERE staff_id = $1', [nurse.id]);
      expect(stored).toEqual([{ id: entry.details.sessionId, ended_at: null }]);
      // Only a hash of the refresh token is stored.
      const tokens = await t.dataSource.query('SELECT token_hash FROM auth_refresh_tokens WHERE session_id = $1', [entry.details.sessionId]);
      expect(tokens).toHaveLength(1);
      expect(tokens[0].token_hash).not.toContain(refreshCookie(response).split('=')[1]);
    });

    it('answers GET /api/auth/me from the database: id, email, name, role, locationIds, mfaEnabled', async () => {
      const nurse = await createAccount(t, 'nurse', [t.locations.aurora, t.locations.louisville]);
      const { auth } = await session(t, nurse);
      const me = await t.http().get('/api/auth/me').set(auth).expect(200);
      expect(me.body).toEqual({
        id: nurse.id,
        email: nurse.email,
        name: expect.any(String),
        role: 'nurse',
        locationIds: [t.locations.aurora, t.locations.louisville].sort(),
        mfaEnabled: false,
      });
    });

    it('rotates the refresh cookie; a refresh token used twice ends the whole session and its access tokens', async () => {
      const nurse = await createAccount(t, 'nurse', [t.locations.aurora]);
      const first = await session(t, nurse);
      const refreshed = await t.http().post('/api/auth/refresh').set('cookie', first.cookie).expect(200);
      expect(refreshed.body).toMatchObject({ accessToken: expect.any(String), expiresIn: 900, user: { id: nurse.id } });
      const second = refreshCookie(refreshed);
      expect(second).not.toBe(first.cookie);
      const newAuth = { Authorization: `Bearer ${refreshed.body.accessToken}` };
      await t.http().get('/api/auth/me').set(newAuth).expect(200);
      await t.http().get('/api/auth/me').set(first.auth).expect(200);

      // The first cookie again: someone has a copy. The session ends: every token of it is refused.
      const reused = await t.http().post('/api/auth/refresh').set('cookie', first.cookie).expect(401);
      expect(reused.headers['content-type']).toContain('application/problem+json');
      await t.http().post('/api/auth/refresh').set('cookie', second).expect(401);
      await t.http().get('/api/auth/me').set(newAuth).expect(401);
      await t.http().get('/api/auth/me').set(first.auth).expect(401);
      const [stored] = await t.dataSource.query('SELECT end_reason FROM auth_sessions WHERE staff_id = $1', [nurse.id]);
      expect(stored.end_reason).toBe('refresh-reuse');
      expect(await audit(nurse.id, 'auth.refresh.reuse')).toHaveLength(1);
    });

    it('refuses a refresh without a cookie or with a made-up one', async () => {
      await t.http().post('/api/auth/refresh').expect(401);
      await t
        .http()
        .post('/api/auth/refresh')
        .set('cookie', `clinic_refresh=${'A'.repeat(43)}`)
        .expect(401);
    });

    it('logs out: the access token and the refresh cookie are refused from then on', async () => {
      const nurse = await createAccount(t, 'nurse', [t.locations.aurora]);
      const { auth, cookie } = await session(t, nurse);
      const out = await t.http().post('/api/auth/logout').set(auth).expect(204);
      expect(String(out.headers['set-cookie'])).toMatch(/clinic_refresh=;/);
      await t.http().get('/api/auth/me').set(auth).expect(401);
      await t.http().post('/api/auth/refresh').set('cookie', cookie).expect(401);
      expect(await audit(nurse.id, 'auth.logout')).toHaveLength(1);
    });
  });

  describe('passwords', () => {
    it('refuses short, common, breached and guessable passwords and ones containing the email name, naming the field', async () => {
      for (const password of ['aaaaaaaaaaaa', 'password1234', 'short-pw', 'qwertyuiop12', 'Welcome12345']) {
        const response = await t
          .http()
          .post('/api/staff')
          .set(t.headers.admin)
          .send({ name: 'Weak', email: `weak-${password.length}@test.clinic`, role: 'nurse', password, locationIds: [] });
        expect([response.status, response.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, ['password']]);
      }
      const named = await t
        .http()
        .post('/api/staff')
        .set(t.headers.admin)
        .send({ name: 'Rosalind', email: 'rosalind@test.clinic', role: 'nurse', password: 'rosalind-maple-harbor', locationIds: [] });
      expect(named.body.errors).toEqual([{ field: 'password', message: 'password must not contain the name part of the email' }]);
      expect(await t.dataSource.query(`SELECT 1 FROM staff WHERE email LIKE 'weak-%' OR email = 'rosalind@test.clinic'`)).toEqual([]);
    });

    it("changes one's password: the current one must be right, the new one must meet the policy, other sessions end", async () => {
      const nurse = await createAccount(t, 'nurse', [t.locations.aurora]);
      const here = await session(t, nurse);
      const elsewhere = await session(t, nurse);
      const wrong = await t.http().post('/api/auth/password').set(here.auth).send({ currentPassword: 'not it at all', newPassword: 'glacier prairie lantern' });
      expect([wrong.status, wrong.body.errors[0].field]).toEqual([400, 'currentPassword']);
      const weak = await t.http().post('/api/auth/password').set(here.auth).send({ currentPassword: nurse.password, newPassword: 'password1234' });
      expect([weak.status, weak.body.errors[0].field]).toEqual([400, 'newPassword']);
      await t.http().post('/api/auth/password').set(here.auth).send({ currentPassword: nurse.password, newPassword: 'glacier prairie lantern' }).expect(204);
      await t.http().get('/api/auth/me').set(here.auth).expect(200);
      await t.http().get('/api/auth/me').set(elsewhere.auth).expect(401);
      await login(t, nurse).expect(401);
      await login(t, { email: nurse.email, password: 'glacier prairie lantern' }).expect(200);
    });

    it("resets a password (admin): the person's sessions end; the temporary one only lets them change it", async () => {
      const nurse = await createAccount(t, 'nurse', [t.locations.aurora]);
      const before = await session(t, nurse);
      await t.http().post(`/api/staff/${nurse.id}/password-reset`).set(t.headers.nurse).expect(403);
      const reset = await t.http().post(`/api/staff/${nurse.id}/password-reset`).set(t.headers.admin).expect(200);
      const temporaryPassword: string = reset.body.temporaryPassword;
      expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
      await t.http().get('/api/auth/me').set(before.auth).expect(401);

      const temp = await session(t, { email: nurse.email, password: temporaryPassword });
      expect(temp.body.restriction).toBe('password-change-required');
      const refused = await t.http().get('/api/locations').set(temp.auth).expect(403);
      expect(refused.body.type).toMatch(/password-change-required$/);
      await t.http().get('/api/auth/me').set(temp.auth).expect(200);
      await t.http().post('/api/auth/password').set(temp.auth).send({ currentPassword: temporaryPassword, newPassword: 'saffron cobalt meadow' }).expect(204);
      await t.http().get('/api/locations').set(temp.auth).expect(200);
      expect(await audit(nurse.id, 'staff.password-reset')).toHaveLength(1);
    });
  });

  describe('PATCH /api/staff/{id}', () => {
    it('changes name, role, clinics and active flag, audited; the last active admin stays', async () => {
      const person = await createAccount(t, 'nurse', [t.locations.aurora]);
      const response = await t
        .http()
        .patch(`/api/staff/${person.id}`)
        .set(t.headers.admin)
        .send({ name: 'Renamed', role: 'provider', locationIds: [t.locations.westminster] })
        .expect(200);
      expect(response.body).toMatchObject({ id: person.id, name: 'Renamed', role: 'provider', active: true, locationIds: [t.locations.westminster] });
      const [stored] = await t.dataSource.query(
        'SELECT s.name, s.role, ARRAY(SELECT location_id::text FROM staff_locations WHERE staff_id = s.id) AS locations FROM staff s WHERE id = $1',
        [person.id],
      );
      expect(stored).toEqual({ name: 'Renamed', role: 'provider', locations: [t.locations.westminster] });
      const [entry] = await audit(person.id, 'staff.update');
      expect(entry.details).toMatchObject({ fields: ['name', 'role', 'locationIds'], role: { from: 'nurse', to: 'provider' } });

      await t.http().patch(`/api/staff/${person.id}`).set(t.headers.front_desk).send({ active: false }).expect(403);
      const bad = await t.http().patch(`/api/staff/${person.id}`).set(t.headers.admin).send({ role: 'owner' }).expect(400);
      expect(bad.body.errors[0].field).toBe('role');
      await t.http().patch(`/api/staff/${person.id}`).set(t.headers.admin).send({}).expect(400);
      await t.http().patch('/api/staff/00000000-0000-4000-8000-000000000000').set(t.headers.admin).send({ active: false }).expect(404);

      const [{ admins }] = await t.dataSource.query(`SELECT count(*)::int AS admins FROM staff WHERE role = 'admin' AND active`);
      expect(admins).toBe(1);
      const [demoAdmin] = await t.dataSource.query(`SELECT id FROM staff WHERE email = 'admin@demo.clinic'`);
      const last = await t.http().patch(`/api/staff/${demoAdmin.id}`).set(t.headers.admin).send({ role: 'nurse' }).expect(409);
      expect(last.body.rule).toBe('last-admin');
    });
  });

  describe('login throttling', () => {
    it('throttles an account after 5 failures with 429 and Retry-After, even for the right password; audits each failure', async () => {
      const nurse = await createAccount(t, 'nurse', [t.locations.aurora]);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await login(t, { ...nurse, password: `wrong guess ${i}` }, {}, `198.51.100.${i + 1}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      const throttled = await login(t, nurse, {}, '198.51.100.99').expect(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(800);
      expect(throttled.headers['content-type']).toContain('application/problem+json');
      const failures = await audit(nurse.id, 'auth.login.failed');
      expect(failures.map((f: { details: { reason: string } }) => f.details.reason)).toEqual(['password', 'password', 'password', 'password', 'password']);
      const [{ throttledEntries }] = await t.dataSource.query(
        `SELECT count(*)::int AS "throttledEntries" FROM audit_log WHERE action = 'auth.login.failed' AND details->>'reason' = 'throttled' AND details->>'address' LIKE '198.51.100.%'`,
      );
      expect(throttledEntries).toBe(3);
    });

    it('throttles a client address spraying many accounts, and not other addresses', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++) statuses.push((await login(t, { email: `spray-${i}@test.clinic`, password: 'Spring2026!!' }, {}, '192.0.2.77')).status);
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(20)).toEqual([429, 429]);
      const nurse = await createAccount(t, 'nurse', [t.locations.aurora]);
      await login(t, nurse, {}, '192.0.2.77').expect(429);
      await login(t, nurse, {}, '192.0.2.78').expect(200);
    });
  });

  describe('MFA (TOTP)', () => {
    it('is set up with an otpauth URL once, confirmed with a code; then login needs a fresh code', async () => {
      const provider = await createAccount(t, 'provider', [t.locations.aurora]);
      const { auth } = await session(t, provider);
      const setup = await t.http().post('/api/auth/mfa/setup').set(auth).expect(200);
      expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
      const { secret, code } = otpFor(setup.body.otpauthUrl);
      const [stored] = await t.dataSource.query('SELECT mfa_pending_secret, mfa_secret FROM staff WHERE id = $1', [provider.id]);
      expect(stored.mfa_secret).toBeNull();
      expect(stored.mfa_pending_secret).not.toContain(secret);

      const wrong = await t
        .http()
        .post('/api/auth/mfa/confirm')
        .set(auth)
        .send({ otp: code === '000000' ? '111111' : '000000' })
        .expect(400);
      expect(wrong.body.errors[0].field).toBe('otp');
      const confirmed = await t.http().post('/api/auth/mfa/confirm').set(auth).send({ otp: code }).expect(200);
      expect(confirmed.body.mfaEnabled).toBe(true);
      await t.http().post('/api/auth/mfa/setup').set(auth).expect(409);

      const missing = await login(t, provider).expect(401);
      expect(missing.body.type).toMatch(/mfa-required$/);
      const invalid = await login(t, provider, { otp: '123456' === code ? '654321' : '123456' }).expect(401);
      expect(invalid.body.type).toMatch(/mfa-invalid$/);
      // The code used to confirm is spent; the next step's code (one step of drift is allowed) works once.
      const replayed = await login(t, provider, { otp: code }).expect(401);
      expect(replayed.body.type).toMatch(/mfa-invalid$/);
      const next = otpFor(setup.body.otpauthUrl, new Date(Date.now() + 30_000)).code;
      await login(t, provider, { otp: next }).expect(200);
      await login(t, provider, { otp: next }).expect(401);

      await t.http().post(`/api/staff/${provider.id}/mfa-reset`).set(t.headers.admin).expect(204);
      await t.http().get('/api/auth/me').set(auth).expect(401);
      await login(t, provider).expect(200);
    });
  });
});

describe('accounts and sessions: short timeouts, required MFA, lockout', () => {
  const t = useTestApp({
    env: { IDLE_TIMEOUT_MINUTES: '0.05', MFA_REQUIRED_ROLES: 'provider', LOGIN_LOCK_AFTER_FAILURES: '3', LOGIN_MAX_FAILURES_PER_ACCOUNT: '50' },
  });

  it('gives an account that must have MFA and has none a session that can only set it up', async () => {
    const provider = await createAccount(t, 'provider', [t.locations.aurora]);
    const { auth, body } = await session(t, provider);
    expect(body.restriction).toBe('mfa-setup-required');
    const refused = await t.http().get('/api/locations').set(auth).expect(403);
    expect(refused.body.type).toMatch(/mfa-setup-required$/);
    const setup = await t.http().post('/api/auth/mfa/setup').set(auth).expect(200);
    await t
      .http()
      .post('/api/auth/mfa/confirm')
      .set(auth)
      .send({ otp: otpFor(setup.body.otpauthUrl).code })
      .expect(200);
    await t.http().get('/api/locations').set(auth).expect(200);
    // A nurse is not in MFA_REQUIRED_ROLES here.
    const nurse = await createAccount(t, 'nurse', [t.locations.aurora]);
    expect((await session(t, nurse)).body.restriction).toBeUndefined();
  });

  it('locks an account after LOGIN_LOCK_AFTER_FAILURES wrong passwords in a row until an admin resets it', async () => {
    const nurse = await createAccount(t, 'nurse', [t.locations.aurora]);
    for (let i = 0; i < 3; i++) await login(t, { ...nurse, password: `wrong guess ${i}` }).expect(401);
    const locked = await login(t, nurse).expect(429);
    expect(locked.body.type).toMatch(/account-locked$/);
    expect(locked.headers['retry-after']).toBeDefined();
    const reset = await t.http().post(`/api/staff/${nurse.id}/password-reset`).set(t.headers.admin).expect(200);
    await login(t, { email: nurse.email, password: reset.body.temporaryPassword }).expect(200);
  });

  // Last: the wait idles out every other session of this app too (the demo logins included).
  it('ends a session idle for IDLE_TIMEOUT_MINUTES: its token and its refresh cookie are refused', async () => {
    const nurse = await createAccount(t, 'nurse', [t.locations.aurora]);
    const { auth, cookie } = await session(t, nurse);
    await t.http().get('/api/auth/me').set(auth).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await t.http().get('/api/auth/me').set(auth).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const idle = await t.http().get('/api/auth/me').set(auth).expect(401);
    expect(idle.body.type).toMatch(/session-ended$/);
    await t.http().post('/api/auth/refresh').set('cookie', cookie).expect(401);
    const [stored] = await t.dataSource.query('SELECT end_reason FROM auth_sessions WHERE staff_id = $1', [nurse.id]);
    expect(stored.end_reason).toBe('idle');
  });
});
