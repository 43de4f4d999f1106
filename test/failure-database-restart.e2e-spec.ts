import { createTestApp, TestApp } from './support/app';
import { at, formatWallTime } from './support/clinic-time';
import { createPatients, locationId } from './support/factories';
import { PrivatePostgres } from './support/private-postgres';

/** The database restarts under load: requests fail cleanly with 503 and the service recovers by itself. */
describe('failure: the database restarts under load', () => {
  let server: PrivatePostgres;
  let t: TestApp;

  beforeAll(async () => {
    server = await PrivatePostgres.create();
    t = await createTestApp({ databaseUrl: await server.createDatabase('clinic'), now: '2027-07-01T12:00:00Z' });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await server?.destroy();
  });

  it('answers 503 problem+json while the database is down and serves again once it is back, without a restart', async () => {
    const auth = await t.auth('front_desk');
    const aurora = await locationId(t.dataSource, 'aurora');
    const patients = await createPatients(t.dataSource, 400);
    let next = 0;
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    let running = true;

    const client = async () => {
      while (running) {
        const patientId = patients[next++ % patients.length];
        const minutes = (next % 40) * 15;
        const startsAt = at(`2027-09-${String(6 + (next % 5)).padStart(2, '0')}`, formatWallTime(7 * 60 + minutes));
        const response = await t.http().post('/api/appointments').set(auth).send({ patientId, type: 'tms', locationId: aurora, startsAt });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500 && !String(response.headers['content-type']).includes('problem+json')) problems.push(response.text);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const load = Promise.all([client(), client(), client(), client()]);

    await new Promise((resolve) => setTimeout(resolve, 500));
    await server.stop('immediate');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const down = await t.http().get('/health/ready');
    await server.start();

    // Recovers by itself: the next requests succeed again.
    const deadline = Date.now() + 15_000;
    let ready = 0;
    while (Date.now() < deadline) {
      ready = (await t.http().get('/health/ready')).status;
      if (ready === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    running = false;
    await load;

    expect(down.status).toBe(503);
    expect(ready).toBe(200);
    expect(problems).toEqual([]);
    expect(statuses.get(503)).toBeGreaterThan(0);
    expect(statuses.get(201)).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((status) => ![201, 409, 503].includes(status))).toEqual([]);
    const after = await t
      .http()
      .post('/api/appointments')
      .set(auth)
      .send({ patientId: patients[0], type: 'tms', locationId: aurora, startsAt: at('2027-09-13', '12:00') });
    expect(after.status).toBe(201);
  }, 60_000);
});
