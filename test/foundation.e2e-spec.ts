import { useTestApp } from './support/app';
import { createAdminAccount } from '../src/staff/create-admin';

describe('service foundation', () => {
  const t = useTestApp();

  describe('health', () => {
    it('answers /health and /health/ready without a token', async () => {
      await t.http().get('/health').expect(200);
      const ready = await t.http().get('/health/ready').expect(200);
      expect(ready.body.info.database.status).toBe('up');
    });

    it("sets helmet's security headers on every answer: a success, a 401 and an unknown route", async () => {
      for (const [path, status] of [
        ['/health', 200],
        ['/api/locations', 401],
        ['/api/no-such-route', 404],
      ] as const) {
        const response = await t.http().get(path).expect(status);
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(response.headers['content-security-policy']).toContain("default-src 'self'");
        expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });
  });

  describe('auth', () => {
    it('logs a demo account in and returns a token and the user', async () => {
      const response = await t.http().post('/api/auth/login').send({ email: 'Nurse@Demo.Clinic', password: 'demo-nurse' }).expect(200);
      expect(response.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(response.body.user).toMatchObject({ email: 'nurse@demo.clinic', role: 'nurse', name: expect.any(String) });
      expect(response.body.user.passwordHash).toBeUndefined();
    });

    it('refuses a wrong password with 401 problem+json', async () => {
      const response = await t.http().post('/api/auth/login').send({ email: 'nurse@demo.clinic', password: 'nope' }).expect(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    });

    it('stores passwords hashed, never in plain text', async () => {
      // Rostered staff without an account have no password at all.
      const rows: Array<{ password_hash: string }> = await t.dataSource.query('SELECT password_hash FROM staff WHERE password_hash IS NOT NULL');
      expect(rows.length).toBeGreaterThanOrEqual(4);
      for (const row of rows) {
        expect(row.password_hash).toMatch(/^scrypt\$/);
        expect(row.password_hash).not.toContain('demo-');
      }
    });

    it('needs a token on every /api route: missing or forged is 401', async () => {
      await t.http().get('/api/locations').expect(401);
      const forged = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJlLWJ5LWFuLWF0dGFja2Vy';
      const response = await t.http().get('/api/locations').set('Authorization', `Bearer ${forged}`).expect(401);
      expect(response.body.detail).toMatch(/invalid or expired/);
      await t.http().get('/api/audit').set('Authorization', 'Basic abc').expect(401);
    });

    it('refuses a wrong role with 403', async () => {
      const response = await t.http().get('/api/audit').set(t.headers.front_desk).expect(403);
      expect(response.body).toMatchObject({ status: 403 });
      expect(response.headers['content-type']).toContain('application/problem+json');
    });
  });

  describe('clinics', () => {
    it('lists the three clinics with their resources', async () => {
      const auth = t.headers.nurse;
      const locations = await t.http().get('/api/locations').set(auth).expect(200);
      expect(locations.body.map((l: { code: string }) => l.code).sort()).toEqual(['aurora', 'louisville', 'westminster']);
      for (const location of locations.body) {
        expect(location).toMatchObject({ timezone: 'America/Denver', address: expect.any(String), phone: expect.stringMatching(/^\+1\d{10}$/) });
      }
      const counts: Record<string, Record<string, number>> = {};
      for (const location of locations.body) {
        const resources = await t.http().get(`/api/locations/${location.id}/resources`).set(auth).expect(200);
        counts[location.code] = {};
        for (const r of resources.body) counts[location.code][r.kind] = (counts[location.code][r.kind] ?? 0) + 1;
      }
      expect(counts).toEqual({
        aurora: { treatment_chair: 6, tms_device: 3, ect_suite: 1, recovery_bay: 2 },
        louisville: { treatment_chair: 4, tms_device: 2 },
        westminster: { treatment_chair: 4, tms_device: 2 },
      });
      const hours = await t.http().get(`/api/locations/${locations.body[0].id}/hours`).set(auth).expect(200);
      expect(hours.body).toEqual([1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '07:00', closes: '19:00' })));
    });

    it('lets an admin add a resource (audited) and nobody else', async () => {
      const [location] = (await t.http().get('/api/locations').set(t.headers.admin)).body;
      await t.http().post(`/api/locations/${location.id}/resources`).set(t.headers.nurse).send({ name: 'Chair X', kind: 'treatment_chair' }).expect(403);
      const created = await t
        .http()
        .post(`/api/locations/${location.id}/resources`)
        .set(t.headers.admin)
        .set('x-request-id', 'req-add-chair-x')
        .send({ name: 'Chair X', kind: 'treatment_chair' })
        .expect(201);
      expect(created.body).toMatchObject({ name: 'Chair X', kind: 'treatment_chair', active: true });
      const [stored] = await t.dataSource.query('SELECT location_id, kind FROM resources WHERE id = $1', [created.body.id]);
      expect(stored).toEqual({ location_id: location.id, kind: 'treatment_chair' });
      const audit = await t.http().get(`/api/audit?entityType=resource&entityId=${created.body.id}`).set(t.headers.admin).expect(200);
      expect(audit.body).toEqual([expect.objectContaining({ action: 'resource.create', actorRole: 'admin', requestId: 'req-add-chair-x' })]);
      // A duplicate name is a 409, not a 500.
      await t.http().post(`/api/locations/${location.id}/resources`).set(t.headers.admin).send({ name: 'Chair X', kind: 'treatment_chair' }).expect(409);
    });

    it('replaces opening hours as a whole week and validates them', async () => {
      const admin = t.headers.admin;
      const [, location] = (await t.http().get('/api/locations').set(admin)).body;
      const bad = await t
        .http()
        .put(`/api/locations/${location.id}/hours`)
        .set(admin)
        .send([{ weekday: 8, opens: '7am', closes: '19:00' }])
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['[0].weekday', '[0].opens']));
      const reversed = await t
        .http()
        .put(`/api/locations/${location.id}/hours`)
        .set(admin)
        .send([{ weekday: 1, opens: '19:00', closes: '07:00' }])
        .expect(400);
      expect(reversed.body.errors[0].field).toBe('[0].closes');
      const week = [
        { weekday: 1, opens: '08:00', closes: '17:00' },
        { weekday: 6, opens: '09:00', closes: '13:00' },
      ];
      const saved = await t.http().put(`/api/locations/${location.id}/hours`).set(admin).send(week).expect(200);
      expect(saved.body).toEqual(week);
    });
  });

  describe('errors', () => {
    it('answers bad input with a 400 naming the field, unknown fields included', async () => {
      const response = await t.http().post('/api/auth/login').send({ email: 'not-an-email', password: 'x', extra: 1 }).expect(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'email', message: expect.any(String) },
          { field: 'extra', message: 'unknown field' },
        ]),
      );
    });

    it('answers malformed JSON and a wrong content type with 4xx problem+json', async () => {
      const json = await t.http().post('/api/auth/login').set('content-type', 'application/json').send('{"email":').expect(400);
      expect(json.headers['content-type']).toContain('application/problem+json');
      expect(json.body.errors[0].field).toBe('body');
      const media = await t.http().post('/api/auth/login').set('content-type', 'text/csv').send('a,b').expect(415);
      expect(media.headers['content-type']).toContain('application/problem+json');
    });

    it('answers an id that is not a UUID with 400 and an unknown id with 404', async () => {
      const auth = t.headers.nurse;
      const bad = await t.http().get('/api/locations/not-a-uuid/resources').set(auth).expect(400);
      expect(bad.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
      const missing = await t.http().get('/api/locations/7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00/resources').set(auth).expect(404);
      expect(missing.body).toMatchObject({ status: 404, detail: expect.stringContaining('does not exist') });
      await t.http().get('/api/no-such-route').set(auth).expect(404);
    });

    it("sends a request id back and accepts the caller's", async () => {
      const response = await t.http().get('/health').set('x-request-id', 'abc-123').expect(200);
      expect(response.headers['x-request-id']).toBe('abc-123');
      const generated = await t.http().get('/health').expect(200);
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('audit log', () => {
    it('records logins with the request id, and is append-only in the database', async () => {
      await t.http().post('/api/auth/login').set('x-request-id', 'login-req-1').send({ email: 'provider@demo.clinic', password: 'demo-provider' }).expect(200);
      const [row] = await t.dataSource.query(`SELECT * FROM audit_log WHERE request_id = 'login-req-1'`);
      expect(row).toMatchObject({ action: 'auth.login', actor_role: 'provider', entity_type: 'staff' });
      await expect(t.dataSource.query('UPDATE audit_log SET action = $1 WHERE id = $2', ['tampered', row.id])).rejects.toThrow(/append-only|permission denied/);
      await expect(t.dataSource.query('DELETE FROM audit_log WHERE id = $1', [row.id])).rejects.toThrow(/append-only|permission denied/);
      await expect(t.dataSource.query('TRUNCATE audit_log')).rejects.toThrow(/append-only|permission denied/);
    });

    it('pages with a cursor', async () => {
      const admin = t.headers.admin;
      const first = await t.http().get('/api/audit?limit=1').set(admin).expect(200);
      expect(first.body).toHaveLength(1);
      const cursor = first.headers['x-next-cursor'];
      expect(cursor).toBeDefined();
      const second = await t.http().get(`/api/audit?limit=1&cursor=${cursor}`).set(admin).expect(200);
      expect(Number(second.body[0].id)).toBeLessThan(Number(first.body[0].id));
      await t.http().get('/api/audit?limit=0').set(admin).expect(400);
    });
  });

  describe('documentation', () => {
    it('serves the OpenAPI document and Swagger UI', async () => {
      const doc = await t.http().get('/docs-json').expect(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/locations', '/api/audit', '/health']));
      const ui = await t.http().get('/docs').redirects(1).expect(200);
      expect(ui.text).toContain('swagger-ui');
    });
  });
});

describe('create-admin command', () => {
  const t = useTestApp();

  it('creates an admin who can log in, once', async () => {
    const created = await createAdminAccount(t.dataSource, { email: 'Ops@Clinic.example', password: 'a-long-password!' });
    expect(created).toMatchObject({ email: 'ops@clinic.example', role: 'admin' });
    expect(await createAdminAccount(t.dataSource, { email: 'ops@clinic.example', password: 'another-password' })).toBeUndefined();
    const login = await t.http().post('/api/auth/login').send({ email: 'ops@clinic.example', password: 'a-long-password!' }).expect(200);
    expect(login.body.user.role).toBe('admin');
    await t.http().get('/api/audit').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
  });
});
