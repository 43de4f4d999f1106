import { ReminderScheduler } from '../src/reminders/reminder-scheduler';
import { createTestApp, TestApp } from './support/app';
import { at, formatWallTime } from './support/clinic-time';
import { createTestDatabase } from './support/database';
import { createPatient, createPatients, locationId, resourceIds, staffClinic } from './support/factories';
import { nurseCapacityBreaches, patientDoubleBookings, resourceDoubleBookings } from './support/invariants';

const DAY = '2027-08-23'; // Monday, MDT

/** Two service instances on one database, as behind a load balancer. */
describe('scale-out: two instances on one database', () => {
  let database: { url: string; ownerUrl: string; drop: () => Promise<void> };
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    // 10:00 in Denver on a weekday: texts may go out.
    const options = { databaseUrl: database.url, migrationUrl: database.ownerUrl, now: '2027-07-01T16:00:00Z', env: { SCHEDULER_ENABLED: 'true' } };
    [first, second] = await Promise.all([createTestApp(options), createTestApp(options)]);
    await staffClinic(first.dataSource, 'aurora', [DAY], 2);
  });

  afterAll(async () => {
    await first?.close().catch(() => undefined);
    await second?.close();
    await database?.drop();
  });

  it('never double-books when the same chairs, patients and times are booked through both at once', async () => {
    const aurora = await locationId(first.dataSource, 'aurora');
    const chairs = await resourceIds(first.dataSource, 'aurora', 'treatment_chair');
    const patients = await createPatients(first.dataSource, 12);
    const [authA, authB] = [await first.auth('front_desk'), await second.auth('front_desk')];
    const requests = Array.from({ length: 48 }, (_, i) => {
      const [app, auth] = i % 2 ? [second, authB] : [first, authA];
      return app
        .http()
        .post('/api/appointments')
        .set(auth)
        .send({
          patientId: patients[i % 12],
          type: 'spravato',
          locationId: aurora,
          startsAt: at(DAY, ['09:00', '09:30', '10:00'][i % 3]),
          resourceId: chairs[i % 4],
        });
    });
    const responses = await Promise.all(requests);
    for (const r of responses) expect([201, 409]).toContain(r.status);
    expect(responses.filter((r) => r.status === 201).length).toBeGreaterThan(0);
    expect(await resourceDoubleBookings(first.dataSource)).toEqual([]);
    expect(await patientDoubleBookings(first.dataSource)).toEqual([]);
    expect(await nurseCapacityBreaches(first.dataSource)).toEqual([]);
  });

  it('runs the reminder schedule on one instance at a time and sends every text once; stopping it loses nothing', async () => {
    const aurora = await locationId(first.dataSource, 'aurora');
    const auth = await first.auth('front_desk');
    // Opted-in patients: each booking plans a confirmation that is due at once.
    const booked: string[] = [];
    for (let i = 0; i < 30; i++) {
      const patientId = await createPatient(first.dataSource, { smsOptIn: true, phone: `+1720555${String(7000 + i)}` });
      const minutes = 7 * 60 + (i % 20) * 30;
      const response = await first
        .http()
        .post('/api/appointments')
        .set(auth)
        .send({
          patientId,
          type: 'tms',
          locationId: aurora,
          startsAt: at(DAY, formatWallTime(minutes)),
        });
      if (response.status === 201) booked.push(response.body.id);
    }
    expect(booked.length).toBeGreaterThan(20);

    const schedulers = [first.app.get(ReminderScheduler), second.app.get(ReminderScheduler)];
    await Promise.all([schedulers[0].tick(), schedulers[1].tick(), schedulers[0].tick(), schedulers[1].tick()]);
    expect(schedulers.filter((s) => s.isLeader)).toHaveLength(1);
    const leaderIndex = schedulers[0].isLeader ? 0 : 1;

    // The leader stops; the other instance takes the schedule over on its next tick.
    await (leaderIndex === 0 ? first : second).close();
    const survivor = leaderIndex === 0 ? second : first;
    // More texts became due meanwhile (a booking through the survivor).
    const late = await survivor
      .http()
      .post('/api/appointments')
      .set(await survivor.auth('front_desk'))
      .send({
        patientId: await createPatient(survivor.dataSource, { smsOptIn: true, phone: '+17205558001' }),
        type: 'tms',
        locationId: aurora,
        startsAt: at(DAY, '18:00'),
      });
    expect(late.status).toBe(201);
    await schedulers[1 - leaderIndex].tick();
    expect(schedulers[1 - leaderIndex].isLeader).toBe(true);

    const rows: Array<{ reminder_id: string; sends: number }> = await survivor.dataSource.query(
      `SELECT r.id AS reminder_id, count(m.id)::int AS sends FROM reminders r LEFT JOIN sms_messages m ON m.reminder_id = r.id
        WHERE r.kind = 'confirmation' AND r.appointment_id = ANY($1::uuid[]) GROUP BY r.id`,
      [[...booked, late.body.id]],
    );
    expect(rows).toHaveLength(booked.length + 1);
    for (const row of rows) expect(row.sends).toBe(1);
    const [{ pending }] = await survivor.dataSource.query(
      `SELECT count(*)::int AS pending FROM reminders WHERE kind = 'confirmation' AND status = 'pending' AND appointment_id = ANY($1::uuid[])`,
      [[...booked, late.body.id]],
    );
    expect(pending).toBe(0);
    // Nothing booked through the stopped instance was lost.
    const [{ count }] = await survivor.dataSource.query(`SELECT count(*)::int AS count FROM appointments WHERE id = ANY($1::uuid[])`, [booked]);
    expect(count).toBe(booked.length);
  });
});
