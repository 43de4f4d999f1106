import { Agent, request } from 'node:http';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createTestDatabase } from './support/database';
import { at, formatWallTime } from './support/clinic-time';
import { createPatients, locationId, staffClinic } from './support/factories';
import { ServiceProcess, startService } from './support/service-process';

function post(
  agent: Agent,
  base: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> } | { error: string }> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = request(`${base}${path}`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(payload);
  });
}

/** SIGTERM during load: in-flight requests finish, no committed booking is lost, the process exits cleanly. */
describe('failure: SIGTERM under load', () => {
  let database: { url: string; ownerUrl: string; drop: () => Promise<void> };
  let ds: DataSource;
  let service: ServiceProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(database.url, 4)).initialize();
    await staffClinic(ds, 'aurora', ['2027-09-20'], 2);
    service = await startService({ DATABASE_URL: database.url, DATABASE_MIGRATION_URL: database.ownerUrl });
  }, 180_000);

  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await ds?.destroy();
    await database?.drop();
  });

  it('drains in-flight bookings, answers each with its outcome, and exits 0', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 40 });
    const login = await post(agent, service.url, '/api/auth/login', { email: 'frontdesk@demo.clinic', password: 'demo-frontdesk' });
    if (!('status' in login) || login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login)}`);
    const token = login.body.accessToken as string;
    const aurora = await locationId(ds, 'aurora');
    const patients = await createPatients(ds, 120);

    const requests = patients.map((patientId, i) =>
      post(
        agent,
        service.url,
        '/api/appointments',
        {
          patientId,
          type: 'tms',
          locationId: aurora,
          startsAt: at('2027-09-20', formatWallTime((7 + Math.floor(i / 12)) * 60 + (i % 4) * 15)),
        },
        token,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    service.child.kill('SIGTERM');
    const results = await Promise.all(requests);
    const exitCode = await service.exited;
    agent.destroy();

    const answered = results.filter((r): r is { status: number; body: Record<string, unknown> } => 'status' in r);
    const created = answered.filter((r) => r.status === 201).map((r) => r.body.id as string);
    if (exitCode !== 0) console.log(service.output().slice(-3000));
    expect(exitCode).toBe(0);
    expect(service.output()).toContain('SIGTERM: draining requests');
    // Every answer is an outcome or a clean refusal of new work; never a 500.
    for (const r of answered) expect([201, 409, 503]).toContain(r.status);
    for (const r of results.filter((x) => 'error' in x)) expect(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']).toContain((r as { error: string }).error);
    expect(created.length).toBeGreaterThan(0);
    // No committed booking is lost, and none was committed without its answer.
    const stored: Array<{ id: string }> = await ds.query(`SELECT id FROM appointments WHERE starts_at::date = '2027-09-20' AND status = 'scheduled'`);
    expect(stored.map((r) => r.id).sort()).toEqual([...created].sort());
  }, 60_000);
});
