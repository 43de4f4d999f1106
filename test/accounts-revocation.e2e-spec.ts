import type { TestApp } from './support/app';
import { useTestApp } from './support/app';
import { createAccount, session } from './support/accounts';
import { createPatient, patientBody } from './support/factories';

/**
 * Two instances on one database, as behind a load balancer: a change made through one applies to the
 * person's very next request on the other (each guard caches sessions, and drops them on the
 * `account_changes` notification before the change's answer goes out).
 */
describe('revocation across instances', () => {
  const a = useTestApp();
  let b: TestApp;

  beforeAll(async () => {
    b = await a.instance();
  });

  it('a deactivated person gets 401 on their next request to the other instance, and cannot sign in', async () => {
    const nurse = await createAccount(a, 'nurse', [a.locations.aurora]);
    const { auth, cookie } = await session(a, nurse);
    // Warm B's cache with this session.
    for (let i = 0; i < 3; i++) await b.http().get('/api/auth/me').set(auth).expect(200);
    await a.http().patch(`/api/staff/${nurse.id}`).set(a.headers.admin).send({ active: false }).expect(200);
    const refused = await b.http().get('/api/auth/me').set(auth).expect(401);
    expect(refused.body.detail).toMatch(/deactivated/);
    await b.http().post('/api/auth/refresh').set('cookie', cookie).expect(401);
    await b.http().post('/api/auth/login').send({ email: nurse.email, password: nurse.password }).expect(401);
    // Reactivated later: the old session stays over.
    await a.http().patch(`/api/staff/${nurse.id}`).set(a.headers.admin).send({ active: true }).expect(200);
    await b.http().get('/api/auth/me').set(auth).expect(401);
  });

  it("judges the person's next request on the other instance by each new role", async () => {
    const person = await createAccount(a, 'front_desk', [a.locations.aurora]);
    const { auth } = await session(a, person);
    const outcomes: Array<[string, number, string]> = [];
    for (const role of ['nurse', 'front_desk', 'nurse', 'front_desk', 'nurse', 'front_desk']) {
      await b.http().get('/api/auth/me').set(auth).expect(200);
      await a.http().patch(`/api/staff/${person.id}`).set(a.headers.admin).send({ role }).expect(200);
      const create = await b
        .http()
        .post('/api/patients')
        .set(auth)
        .send(patientBody({ preferredLocationId: a.locations.aurora }));
      const me = await b.http().get('/api/auth/me').set(auth);
      outcomes.push([role, create.status, me.body.role]);
    }
    expect(outcomes).toEqual([
      ['nurse', 403, 'nurse'],
      ['front_desk', 201, 'front_desk'],
      ['nurse', 403, 'nurse'],
      ['front_desk', 201, 'front_desk'],
      ['nurse', 403, 'nurse'],
      ['front_desk', 201, 'front_desk'],
    ]);
  });

  it('applies new clinics on the other instance at once', async () => {
    const nurse = await createAccount(a, 'nurse', [a.locations.aurora]);
    const { auth } = await session(a, nurse);
    expect((await b.http().get('/api/auth/me').set(auth).expect(200)).body.locationIds).toEqual([a.locations.aurora]);
    await a
      .http()
      .patch(`/api/staff/${nurse.id}`)
      .set(a.headers.admin)
      .send({ locationIds: [a.locations.westminster] })
      .expect(200);
    expect((await b.http().get('/api/auth/me').set(auth).expect(200)).body.locationIds).toEqual([a.locations.westminster]);
  });

  it('judges which patients a person may see by their clinics at that very request, on the other instance', async () => {
    // The guard reads the session and whether the named patient is visible in one statement: both must be as of now.
    const patient = await createPatient(a.dataSource, { preferredLocation: 'aurora' });
    const frontDesk = await createAccount(a, 'front_desk', [a.locations.aurora]);
    const { auth } = await session(a, frontDesk);
    const moveTo = (locationIds: string[]) => a.http().patch(`/api/staff/${frontDesk.id}`).set(a.headers.admin).send({ locationIds }).expect(200);
    const outcomes: Array<[string, number, number, number]> = [];
    for (const clinic of ['westminster', 'aurora', 'westminster'] as const) {
      await b.http().get(`/api/patients/${patient}`).set(auth);
      await moveTo([a.locations[clinic]]);
      const read = await b.http().get(`/api/patients/${patient}`).set(auth);
      const slots = await b
        .http()
        .get('/api/availability')
        .query({ patientId: patient, type: 'tms', locationId: a.locations[clinic], from: '2027-07-06T00:00:00-06:00', to: '2027-07-07T00:00:00-06:00' })
        .set(auth);
      const book = await b
        .http()
        .post('/api/appointments')
        .set(auth)
        .send({ patientId: patient, type: 'tms', locationId: a.locations[clinic], startsAt: '2027-07-06T12:00:00-06:00' });
      outcomes.push([clinic, read.status, slots.status, book.status]);
    }
    // Hidden: 404 in a path or a query, 400 naming the field in a body (api.md, clinic scoping).
    expect(outcomes).toEqual([
      ['westminster', 404, 404, 400],
      ['aurora', 200, 200, 201],
      ['westminster', 404, 404, 400],
    ]);
  });

  it('a logout, a reset password and a reused refresh token end the session on the other instance too', async () => {
    const nurse = await createAccount(a, 'nurse', [a.locations.aurora]);
    const first = await session(a, nurse);
    await b.http().get('/api/auth/me').set(first.auth).expect(200);
    await a.http().post('/api/auth/logout').set(first.auth).expect(204);
    await b.http().get('/api/auth/me').set(first.auth).expect(401);

    const second = await session(a, nurse);
    await b.http().get('/api/auth/me').set(second.auth).expect(200);
    await a.http().post('/api/auth/refresh').set('cookie', second.cookie).expect(200);
    await a.http().post('/api/auth/refresh').set('cookie', second.cookie).expect(401);
    await b.http().get('/api/auth/me').set(second.auth).expect(401);

    const third = await session(a, nurse);
    await b.http().get('/api/auth/me').set(third.auth).expect(200);
    await a.http().post(`/api/staff/${nurse.id}/password-reset`).set(a.headers.admin).expect(200);
    await b.http().get('/api/auth/me').set(third.auth).expect(401);
  });
});
