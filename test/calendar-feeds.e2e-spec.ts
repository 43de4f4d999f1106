import { createHash } from 'node:crypto';
import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { addShifts, bookAppointment, createPatient, createStaff, staffClinic, useStaffedClinic } from './support/factories';
import { parseFeed } from './support/ical';

const MARCH = ['2026-03-06', '2026-03-09']; // a Friday in MST, the Monday after the spring-forward change (MDT)
const FALL = ['2026-10-30', '2026-11-02']; // a Friday in MDT, the Monday after the fall-back change (MST)
const PATIENT = { firstName: 'Ophelia', lastName: 'Zzyzx', phone: '+17205550199' };

describe('calendar feeds: iCalendar per staff member, resource or clinic, behind a revocable token', () => {
  const t = useTestApp({ now: '2026-02-20T12:00:00Z' });
  const aurora = useStaffedClinic(t, 'aurora', [...MARCH, ...FALL], 2);
  let clinicName: string;
  let patientId: string;
  let chairFeed: { id: string; url: string; createdAt: string };

  const fetchFeed = (url: string) => t.http().get(new URL(url).pathname);
  const create = (body: object, role: 'front_desk' | 'nurse' | 'provider' | 'admin' = 'front_desk') =>
    t.http().post('/api/calendar-feeds').set(t.headers[role]).send(body);

  beforeAll(async () => {
    [{ name: clinicName }] = await t.dataSource.query(`SELECT name FROM locations WHERE code = 'aurora'`);
    patientId = await createPatient(t.dataSource, PATIENT);
  });

  it('makes a feed whose URL carries the token, shown once and stored only as a hash', async () => {
    const response = await create({ scope: 'resource', id: aurora.chairs[0] }).expect(201);
    chairFeed = response.body;
    expect(chairFeed).toEqual({
      id: expect.any(String),
      scope: 'resource',
      targetId: aurora.chairs[0],
      createdAt: expect.any(String),
      url: expect.any(String),
    });
    const token = /^http:\/\/localhost:3000\/ical\/([A-Za-z0-9_-]{43})\.ics$/.exec(chairFeed.url)![1];
    const [row] = await t.dataSource.query('SELECT token_hash FROM calendar_feeds WHERE id = $1', [chairFeed.id]);
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    const listed = (await t.http().get('/api/calendar-feeds').set(t.headers.front_desk).expect(200)).body;
    expect(listed).toEqual([{ id: chairFeed.id, scope: 'resource', targetId: aurora.chairs[0], createdAt: chairFeed.createdAt }]);
  });

  it("shows the chair's bookings at their local times on both sides of 8 March, naming the chair and the clinic, never the patient or the treatment", async () => {
    for (const date of MARCH) await bookAppointment(t, { ...aurora.booking('spravato', date, '09:00', 0), patientId });
    // Another patient's (one Spravato a day per patient), cancelled: it leaves the feed.
    const cancelled = await bookAppointment(t, { ...aurora.booking('spravato', MARCH[1], '13:00', 0), patientId: await createPatient(t.dataSource) });
    await t.http().post(`/api/appointments/${cancelled.id}/cancel`).set(t.headers.front_desk).send({ reason: 'Ophelia Zzyzx is ill' }).expect(200);

    const response = await fetchFeed(chairFeed.url).expect(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const { timezones, events } = parseFeed(response.text);
    expect(timezones).toEqual(['America/Denver']);
    expect(events.map((e) => [e.localStart, e.tzid, e.start.toISOString(), e.end.toISOString()])).toEqual([
      ['2026-03-06T09:00:00', 'America/Denver', '2026-03-06T16:00:00.000Z', '2026-03-06T18:30:00.000Z'],
      ['2026-03-09T09:00:00', 'America/Denver', '2026-03-09T15:00:00.000Z', '2026-03-09T17:30:00.000Z'],
    ]);
    expect(events.every((e) => e.summary === `Chair 1 · ${clinicName}` && e.location.startsWith(clinicName))).toBe(true);
    for (const word of [PATIENT.firstName, PATIENT.lastName, '5550199', '1980-05-17', patientId, 'spravato', 'Spravato', 'esketamine', 'ill']) {
      expect(response.text).not.toContain(word);
    }
  });

  it('keeps the local times right on both sides of 1 November, and drops what is older than 30 days', async () => {
    t.clock.set('2026-10-20T12:00:00Z');
    for (const date of FALL) await bookAppointment(t, { ...aurora.booking('spravato', date, '09:00', 0), patientId });
    const { events } = parseFeed((await fetchFeed(chairFeed.url).expect(200)).text);
    expect(events.map((e) => [e.localStart, e.start.toISOString()])).toEqual([
      ['2026-10-30T09:00:00', '2026-10-30T15:00:00.000Z'],
      ['2026-11-02T09:00:00', '2026-11-02T16:00:00.000Z'],
    ]);
  });

  it("gives a staff member their shifts and visits, and a clinic's feed all its bookings", async () => {
    t.clock.set('2026-10-20T12:00:00Z');
    const provider = await createStaff(t.dataSource, 'provider', 'aurora');
    await addShifts(t.dataSource, provider, 'aurora', [FALL[1]], '08:00', '16:00');
    await bookAppointment(t, { type: 'intake', locationId: aurora.id, startsAt: at(FALL[1], '10:00'), providerId: provider });
    // Someone else's staff feed only an admin may make.
    await create({ scope: 'staff', id: provider }, 'nurse').expect(403);
    const staffFeed = (await create({ scope: 'staff', id: provider }, 'admin').expect(201)).body;
    const { events } = parseFeed((await fetchFeed(staffFeed.url).expect(200)).text);
    expect(events.map((e) => [e.summary, e.localStart, e.end.toISOString()])).toEqual([
      [`On shift · ${clinicName}`, '2026-11-02T08:00:00', '2026-11-02T23:00:00.000Z'],
      [`Appointment · ${clinicName}`, '2026-11-02T10:00:00', '2026-11-02T18:00:00.000Z'],
    ]);

    const [{ id: nurse }] = await t.dataSource.query(`SELECT id FROM staff WHERE email = 'nurse@demo.clinic'`);
    await create({ scope: 'staff', id: nurse }, 'nurse').expect(201);

    const clinicFeed = (await create({ scope: 'location', id: aurora.id }, 'nurse').expect(201)).body;
    const clinic = parseFeed((await fetchFeed(clinicFeed.url).expect(200)).text);
    expect(clinic.events.map((e) => [e.summary, e.localStart])).toEqual([
      [`Chair 1 · ${clinicName}`, '2026-10-30T09:00:00'],
      [`Chair 1 · ${clinicName}`, '2026-11-02T09:00:00'],
      [`Appointment · ${clinicName}`, '2026-11-02T10:00:00'],
    ]);
  });

  it('refuses a bad request naming the field, and answers 404 for an unknown, malformed or revoked token', async () => {
    expect((await create({ scope: 'room', id: aurora.id }).expect(400)).body.errors[0].field).toBe('scope');
    expect((await create({ scope: 'resource', id: aurora.id }).expect(400)).body.errors[0].field).toBe('id');
    await t.http().post('/api/calendar-feeds').send({ scope: 'location', id: aurora.id }).expect(401);

    await t.http().get('/ical/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics').expect(404);
    await t.http().get('/ical/nope.ics').expect(404);
    // Another person's feed is not theirs to revoke; its maker's is.
    await t.http().delete(`/api/calendar-feeds/${chairFeed.id}`).set(t.headers.nurse).expect(404);
    await t.http().delete(`/api/calendar-feeds/${chairFeed.id}`).set(t.headers.front_desk).expect(204);
    const gone = await fetchFeed(chairFeed.url).expect(404);
    expect(gone.headers['content-type']).toContain('application/problem+json');
    await t.http().delete(`/api/calendar-feeds/${chairFeed.id}`).set(t.headers.front_desk).expect(404);
    const audit = await t.dataSource.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [chairFeed.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['calendar-feed.create', 'calendar-feed.revoke']);
  });
});

describe('a staff feed reaches only the clinic of its shifts', () => {
  const t = useTestApp({ now: '2026-10-20T12:00:00Z' });

  it('leaves other clinics out', async () => {
    const louisvilleNurse = await createStaff(t.dataSource, 'nurse', 'louisville');
    await addShifts(t.dataSource, louisvilleNurse, 'louisville', ['2026-11-02']);
    await staffClinic(t.dataSource, 'aurora', ['2026-11-02'], 1);
    const feed = (await t.http().post('/api/calendar-feeds').set(t.headers.admin).send({ scope: 'staff', id: louisvilleNurse }).expect(201)).body;
    const { events } = parseFeed((await t.http().get(new URL(feed.url).pathname).expect(200)).text);
    expect(events).toHaveLength(1);
    expect(events[0].summary).toMatch(/^On shift · .*Louisville/i);
  });
});
