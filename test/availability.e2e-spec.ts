import { useTestApp } from './support/app';
import { at, formatWallTime } from './support/clinic-time';
import { addShifts, bookAppointment, createPatient, requestBooking, resourceIds, staffClinic } from './support/factories';

const DAY = '2027-08-09'; // Monday, MDT
/** Every 15-minute start of a day from 07:00 to 18:45. */
const gridOfDay = (date: string) => Array.from({ length: 48 }, (_, i) => at(date, formatWallTime(7 * 60 + i * 15)));

describe('availability lists exactly what can be booked', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  let louisville: string;
  let chairs: string[];

  beforeAll(async () => {
    louisville = t.locations.louisville;
    chairs = await resourceIds(t.dataSource, 'louisville', 'treatment_chair');
    // One nurse all day; the provider (prescriber) only 07:00–15:00: Spravato must finish by 15:00.
    const staff = await staffClinic(t.dataSource, 'louisville', [], 1);
    await addShifts(t.dataSource, staff.nurses[0], 'louisville', [DAY], '07:00', '19:00');
    await addShifts(t.dataSource, staff.provider, 'louisville', [DAY], '07:00', '15:00');
    // The chair under test is busy 10:00–12:30; three other patients observe 11:00–13:30 on the other chairs (nurse: 4 at once).
    await bookAppointment(t, { type: 'spravato', locationId: louisville, startsAt: at(DAY, '10:00'), resourceId: chairs[0] });
    for (const chair of chairs.slice(1, 4))
      await bookAppointment(t, { type: 'spravato', locationId: louisville, startsAt: at(DAY, '11:00'), resourceId: chair });
  });

  it('for every grid start of the day: listed if and only if a booking there succeeds', async () => {
    const listed = await t
      .http()
      .get('/api/availability')
      .query({ type: 'spravato', locationId: louisville, from: at(DAY, '00:00'), to: at(DAY, '23:59'), resourceId: chairs[0] })
      .set(t.headers.front_desk)
      .expect(200);
    const listedStarts = new Set(listed.body.map((s: { startsAt: string }) => s.startsAt));
    expect(listedStarts.size).toBeGreaterThan(0);
    for (const slot of listed.body) expect(slot).toMatchObject({ locationId: louisville, resourceId: chairs[0] });

    const bookable = new Set<string>();
    for (const startsAt of gridOfDay(DAY)) {
      const patientId = await createPatient(t.dataSource);
      const response = await requestBooking(t, { patientId, type: 'spravato', locationId: louisville, startsAt, resourceId: chairs[0] });
      expect([201, 409]).toContain(response.status);
      if (response.status === 201) {
        bookable.add(startsAt);
        await t.http().post(`/api/appointments/${response.body.id}/cancel`).set(t.headers.front_desk).send({ reason: 'probe' }).expect(200);
      }
    }
    expect([...listedStarts].sort()).toEqual([...bookable].sort());
    // The rules really did cut the day: the chair is held 10:00–12:30 and the prescriber leaves at 15:00.
    expect([...listedStarts].sort()).toEqual([at(DAY, '07:00'), at(DAY, '07:15'), at(DAY, '07:30'), at(DAY, '12:30')]);
  });

  it('a listed slot disappears once booked', async () => {
    const query = { type: 'tms', locationId: louisville, from: at('2027-08-10', '07:00'), to: at('2027-08-10', '19:00') };
    await staffClinic(t.dataSource, 'louisville', ['2027-08-10'], 1);
    const devices = await resourceIds(t.dataSource, 'louisville', 'tms_device');
    const before = await t
      .http()
      .get('/api/availability')
      .query({ ...query, resourceId: devices[1] })
      .set(t.headers.front_desk)
      .expect(200);
    const slot = before.body[3];
    const patientId = await createPatient(t.dataSource);
    // Asked for this patient, availability names the device the booking then gets.
    const offered = (
      await t
        .http()
        .get('/api/availability')
        .query({ ...query, patientId })
        .set(t.headers.front_desk)
        .expect(200)
    ).body.find((s: { startsAt: string }) => s.startsAt === slot.startsAt);
    expect(devices).toContain(offered.resourceId);
    const booked = await bookAppointment(t, { patientId, type: 'tms', locationId: louisville, startsAt: slot.startsAt });
    expect(booked.resourceId).toBe(offered.resourceId);
    const patientView = await t
      .http()
      .get('/api/availability')
      .query({ ...query, patientId })
      .set(t.headers.front_desk)
      .expect(200);
    expect(patientView.body.map((s: { startsAt: string }) => s.startsAt)).not.toContain(slot.startsAt);
    await bookAppointment(t, { type: 'tms', locationId: louisville, startsAt: slot.startsAt });
    const after = await t.http().get('/api/availability').query(query).set(t.headers.front_desk).expect(200);
    expect(after.body.map((s: { startsAt: string }) => s.startsAt)).not.toContain(slot.startsAt);
  });

  it('refuses bad queries with a 400 naming the field', async () => {
    const bad = await t
      .http()
      .get('/api/availability')
      .query({ type: 'tms', locationId: louisville, from: '2027-08-09T07:00:00', to: at(DAY, '19:00') })
      .set(t.headers.front_desk)
      .expect(400);
    expect(bad.body.errors[0].field).toBe('from');
    const reversed = await t
      .http()
      .get('/api/availability')
      .query({ type: 'tms', locationId: louisville, from: at(DAY, '19:00'), to: at(DAY, '07:00') })
      .set(t.headers.front_desk)
      .expect(400);
    expect(reversed.body.errors[0].field).toBe('to');
    const long = await t
      .http()
      .get('/api/availability')
      .query({ type: 'tms', locationId: louisville, from: at(DAY, '07:00'), to: at('2027-10-09', '07:00') })
      .set(t.headers.front_desk)
      .expect(400);
    expect(long.body.errors[0].field).toBe('to');
    await t
      .http()
      .get('/api/availability')
      .query({ type: 'tms', locationId: '7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00', from: at(DAY, '07:00'), to: at(DAY, '19:00') })
      .set(t.headers.front_desk)
      .expect(404);
  });
});

describe('bookings across the DST changes of 2026', () => {
  const t = useTestApp({ now: '2026-01-05T12:00:00Z' });
  let aurora: string;

  beforeAll(async () => {
    aurora = t.locations.aurora;
    await staffClinic(t.dataSource, 'aurora', ['2026-03-06', '2026-03-09', '2026-10-30', '2026-11-02'], 1);
  });

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
        .set(t.headers.front_desk)
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
      .set(t.headers.front_desk)
      .send({ patientId, type: 'tms', locationId: aurora, startsAt: '2026-03-09T09:00:00-06:00' })
      .expect(201);
    expect(march.body.startsAt).toBe('2026-03-09T09:00:00-06:00');
    const november = await t
      .http()
      .post('/api/appointments')
      .set(t.headers.front_desk)
      .send({ patientId, type: 'tms', locationId: aurora, startsAt: '2026-11-02T16:00:00Z' })
      .expect(201);
    expect(november.body.startsAt).toBe('2026-11-02T09:00:00-07:00');
    const stored = await t.dataSource.query('SELECT starts_at FROM appointments WHERE patient_id = $1 ORDER BY starts_at', [patientId]);
    expect(stored.map((r: { starts_at: Date }) => r.starts_at.toISOString())).toEqual(['2026-03-09T15:00:00.000Z', '2026-11-02T16:00:00.000Z']);
    // 07:00 local on 6 March is 14:00Z; 13:30Z is before opening.
    const early = await t
      .http()
      .post('/api/appointments')
      .set(t.headers.front_desk)
      .send({ patientId, type: 'tms', locationId: aurora, startsAt: '2026-03-06T13:30:00Z' })
      .expect(409);
    expect(early.body.rule).toBe('outside-opening-hours');
  });
});
