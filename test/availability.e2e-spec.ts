import { createTestApp, TestApp } from './support/app';
import { createPatient, createPatients, locationId, resourceIds, staffClinic } from './support/factories';

const DAY = '2027-08-09'; // Monday, MDT
const at = (time: string, date = DAY) => `${date}T${time}:00-06:00`;
const gridOfDay = (date: string) => {
  const starts: string[] = [];
  for (let m = 7 * 60; m < 19 * 60; m += 15) starts.push(at(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`, date));
  return starts;
};

describe('availability lists exactly what can be booked', () => {
  let t: TestApp;
  let louisville: string;
  let chairs: string[];
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ now: '2027-07-01T12:00:00Z' });
    louisville = await locationId(t.dataSource, 'louisville');
    chairs = await resourceIds(t.dataSource, 'louisville', 'treatment_chair');
    auth = await t.auth('front_desk');
    // One nurse all day; the provider (prescriber) only 07:00–15:00: Spravato must finish by 15:00.
    const staff = await staffClinic(t.dataSource, 'louisville', [], 1);
    await t.dataSource.query(
      `INSERT INTO staff_shifts (staff_id, location_id, starts_at, ends_at) VALUES
         ($1, $3, '${DAY} 07:00'::timestamp AT TIME ZONE 'America/Denver', '${DAY} 19:00'::timestamp AT TIME ZONE 'America/Denver'),
         ($2, $3, '${DAY} 07:00'::timestamp AT TIME ZONE 'America/Denver', '${DAY} 15:00'::timestamp AT TIME ZONE 'America/Denver')`,
      [staff.nurses[0], staff.provider, louisville],
    );
    // The chair under test is busy 10:00–12:30; three other patients observe 11:00–13:30 on the other chairs (nurse: 4 at once).
    const patients = await createPatients(t.dataSource, 4);
    await t
      .http()
      .post('/api/appointments')
      .set(auth)
      .send({ patientId: patients[0], type: 'spravato', locationId: louisville, startsAt: at('10:00'), resourceId: chairs[0] })
      .expect(201);
    for (let i = 1; i <= 3; i++) {
      await t
        .http()
        .post('/api/appointments')
        .set(auth)
        .send({ patientId: patients[i], type: 'spravato', locationId: louisville, startsAt: at('11:00'), resourceId: chairs[i] })
        .expect(201);
    }
  });

  afterAll(() => t.close());

  it('for every grid start of the day: listed if and only if a booking there succeeds', async () => {
    const listed = await t
      .http()
      .get('/api/availability')
      .query({ type: 'spravato', locationId: louisville, from: at('00:00'), to: at('23:59'), resourceId: chairs[0] })
      .set(auth)
      .expect(200);
    const listedStarts = new Set(listed.body.map((s: { startsAt: string }) => s.startsAt));
    expect(listedStarts.size).toBeGreaterThan(0);
    for (const slot of listed.body) expect(slot).toMatchObject({ locationId: louisville, resourceId: chairs[0] });

    const bookable = new Set<string>();
    for (const startsAt of gridOfDay(DAY)) {
      const patientId = await createPatient(t.dataSource);
      const response = await t
        .http()
        .post('/api/appointments')
        .set(auth)
        .send({ patientId, type: 'spravato', locationId: louisville, startsAt, resourceId: chairs[0] });
      expect([201, 409]).toContain(response.status);
      if (response.status === 201) {
        bookable.add(startsAt);
        await t.http().post(`/api/appointments/${response.body.id}/cancel`).set(auth).send({ reason: 'probe' }).expect(200);
      }
    }
    expect([...listedStarts].sort()).toEqual([...bookable].sort());
    // The rules really did cut the day: the chair is held 10:00–12:30 and the prescriber leaves at 15:00.
    expect([...listedStarts].sort()).toEqual([at('07:00'), at('07:15'), at('07:30'), at('12:30')]);
  });

  it('a listed slot disappears once booked', async () => {
    const query = { type: 'tms', locationId: louisville, from: at('07:00', '2027-08-10'), to: at('19:00', '2027-08-10') };
    await staffClinic(t.dataSource, 'louisville', ['2027-08-10'], 1);
    const devices = await resourceIds(t.dataSource, 'louisville', 'tms_device');
    const before = await t
      .http()
      .get('/api/availability')
      .query({ ...query, resourceId: devices[1] })
      .set(auth)
      .expect(200);
    const slot = before.body[3];
    const patientId = await createPatient(t.dataSource);
    // Asked for this patient, availability names the device the booking then gets.
    const offered = (
      await t
        .http()
        .get('/api/availability')
        .query({ ...query, patientId })
        .set(auth)
        .expect(200)
    ).body.find((s: { startsAt: string }) => s.startsAt === slot.startsAt);
    expect(devices).toContain(offered.resourceId);
    const booked = await t
      .http()
      .post('/api/appointments')
      .set(auth)
      .send({ patientId, type: 'tms', locationId: louisville, startsAt: slot.startsAt })
      .expect(201);
    expect(booked.body.resourceId).toBe(offered.resourceId);
    const patientView = await t
      .http()
      .get('/api/availability')
      .query({ ...query, patientId })
      .set(auth)
      .expect(200);
    expect(patientView.body.map((s: { startsAt: string }) => s.startsAt)).not.toContain(slot.startsAt);
    await t
      .http()
      .post('/api/appointments')
      .set(auth)
      .send({ patientId: await createPatient(t.dataSource), type: 'tms', locationId: louisville, startsAt: slot.startsAt })
      .expect(201);
    const after = await t.http().get('/api/availability').query(query).set(auth).expect(200);
    expect(after.body.map((s: { startsAt: string }) => s.startsAt)).not.toContain(slot.startsAt);
  });

  it('refuses bad queries with a 400 naming the field', async () => {
    const bad = await t
      .http()
      .get('/api/availability')
      .query({ type: 'tms', locationId: louisville, from: '2027-08-09T07:00:00', to: at('19:00') })
      .set(auth)
      .expect(400);
    expect(bad.body.errors[0].field).toBe('from');
    const reversed = await t
      .http()
      .get('/api/availability')
      .query({ type: 'tms', locationId: louisville, from: at('19:00'), to: at('07:00') })
      .set(auth)
      .expect(400);
    expect(reversed.body.errors[0].field).toBe('to');
    const long = await t
      .http()
      .get('/api/availability')
      .query({ type: 'tms', locationId: louisville, from: at('07:00'), to: at('07:00', '2027-10-09') })
      .set(auth)
      .expect(400);
    expect(long.body.errors[0].field).toBe('to');
    await t
      .http()
      .get('/api/availability')
      .query({ type: 'tms', locationId: '7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00', from: at('07:00'), to: at('19:00') })
      .set(auth)
      .expect(404);
  });
});

describe('bookings across the DST changes of 2026', () => {
  let t: TestApp;
  let aurora: string;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-05T12:00:00Z' });
    aurora = await locationId(t.dataSource, 'aurora');
    auth = await t.auth('front_desk');
    await staffClinic(t.dataSource, 'aurora', ['2026-03-06', '2026-03-09', '2026-10-30', '2026-11-02'], 1);
  });

  afterAll(() => t.close());

  it('opens at 07:00 local on both sides of each change', async () => {
    for (const [date, offset] of [
      ['2026-03-06', '-07:00'],
      ['2026-03-09', '-06:00'],
      ['2026-10-30', '-06:00'],
      ['2026-11-02', '-07:00'],
    ]) {
      const response = await t
        .http()
        .get('/api/availability')
        .query({ type: 'tms', locationId: aurora, from: `${date}T00:00:00${offset}`, to: `${date}T23:59:00${offset}` })
        .set(auth)
        .expect(200);
      expect(response.body[0].startsAt).toBe(`${date}T07:00:00${offset}`);
      expect(response.body.at(-1).startsAt).toBe(`${date}T18:30:00${offset}`);
    }
  });

  it('books 09:00 local in March and November, stored in UTC with the right offset', async () => {
    const patientId = await createPatient(t.dataSource);
    const march = await t
      .http()
      .post('/api/appointments')
      .set(auth)
      .send({ patientId, type: 'tms', locationId: aurora, startsAt: '2026-03-09T09:00:00-06:00' })
      .expect(201);
    expect(march.body.startsAt).toBe('2026-03-09T09:00:00-06:00');
    const november = await t
      .http()
      .post('/api/appointments')
      .set(auth)
      .send({ patientId, type: 'tms', locationId: aurora, startsAt: '2026-11-02T16:00:00Z' })
      .expect(201);
    expect(november.body.startsAt).toBe('2026-11-02T09:00:00-07:00');
    const stored = await t.dataSource.query('SELECT starts_at FROM appointments WHERE patient_id = $1 ORDER BY starts_at', [patientId]);
    expect(stored.map((r: { starts_at: Date }) => r.starts_at.toISOString())).toEqual(['2026-03-09T15:00:00.000Z', '2026-11-02T16:00:00.000Z']);
    // 07:00 local on 6 March is 14:00Z; 13:30Z is before opening.
    const early = await t
      .http()
      .post('/api/appointments')
      .set(auth)
      .send({ patientId, type: 'tms', locationId: aurora, startsAt: '2026-03-06T13:30:00Z' })
      .expect(409);
    expect(early.body.rule).toBe('outside-opening-hours');
  });
});
