import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { READ_CONNECTION } from '../src/database/data-source-options';
import { createTestApp, TestApp } from './support/app';
import { at } from './support/clinic-time';
import { createTestDatabase } from './support/database';
import { createPatient, resourceIds } from './support/factories';
import { insertAppointment } from './support/history';

/*
 * DATABASE_READ_URL points reports at a second database (standing in for a replica) that holds a session
 * the primary does not. Reports count it; availability, which must never read a lagging replica, does not.
 */
describe('Reports read through DATABASE_READ_URL', () => {
  let t: TestApp;
  let replica: Awaited<ReturnType<typeof createTestDatabase>>;
  let replicaSource: DataSource;
  let device: string;
  let aurora: string;

  beforeAll(async () => {
    replica = await createTestDatabase();
    t = await createTestApp({ now: '2026-11-12T12:00:00-07:00', env: { DATABASE_READ_URL: replica.url } });
    replicaSource = await new DataSource({ type: 'postgres', url: replica.url }).initialize();
    [{ id: aurora }] = await replicaSource.query(`SELECT id FROM locations WHERE code = 'aurora'`);
    [device] = await resourceIds(replicaSource, 'aurora', 'tms_device');
    const patient = await createPatient(replicaSource);
    for (const [date, status] of [
      ['2026-11-03', 'discharged'],
      ['2026-11-17', 'scheduled'],
    ]) {
      await insertAppointment(replicaSource, {
        patientId: patient,
        locationId: aurora,
        type: 'tms',
        status: status as 'discharged' | 'scheduled',
        segments: [{ resourceId: device, startsAt: at(date, '10:00'), endsAt: at(date, '10:30') }],
      });
    }
  });

  afterAll(async () => {
    await replicaSource?.destroy();
    await t?.close();
    await replica?.drop();
  });

  it('reports what the read database holds', async () => {
    const response = await t
      .http()
      .get('/api/reports/attendance')
      .query({ locationId: aurora, from: '2026-11-02', to: '2026-11-20' })
      .set(await t.auth('admin'))
      .expect(200);
    expect(response.body.rows).toEqual([expect.objectContaining({ type: 'tms', booked: 2, completed: 1, pending: 1 })]);
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM appointments`);
    expect(count).toBe(0);
  });

  it('gives reports their own read-only connection to that database, and everything else the primary', async () => {
    const reader = t.app.get<DataSource>(getDataSourceToken(READ_CONNECTION));
    const [session] = await reader.query(`SELECT current_database() AS database, current_setting('default_transaction_read_only') AS read_only`);
    expect(session).toEqual({ database: replica.name, read_only: 'on' });
    const [primary] = await t.dataSource.query('SELECT current_database() AS database');
    expect(primary.database).not.toBe(replica.name);
  });

  it('keeps availability on the primary: the replica’s booking does not hide the slot', async () => {
    const response = await t
      .http()
      .get('/api/availability')
      .query({ type: 'tms', locationId: aurora, resourceId: device, from: at('2026-11-17', '10:00'), to: at('2026-11-17', '10:05') })
      .set(await t.auth('front_desk'))
      .expect(200);
    expect(response.body.map((slot: { startsAt: string }) => slot.startsAt)).toEqual([at('2026-11-17', '10:00')]);
  });
});
