import { DateTime } from 'luxon';
import { LocationsRepository } from '../src/locations/locations.repository';
import { DEMO_ROSTER, seedDemoData } from '../src/seed/demo-seed';
import { ShiftsRepository } from '../src/staff/shifts.repository';
import { useTestApp } from './support/app';

const ZONE = 'America/Denver';

describe('clinic administration', () => {
  const t = useTestApp();

  const auditOf = (entityType: string, entityId: string): Promise<Array<{ action: string; details: Record<string, unknown> }>> =>
    t.dataSource.query('SELECT action, details FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY id', [entityType, entityId]);

  describe('closures', () => {
    it('lets an admin add closures, listed by date, audited', async () => {
      const admin = t.headers.admin;
      const url = `/api/locations/${t.locations.louisville}/closures`;
      const later = await t.http().post(url).set(admin).send({ date: '2030-06-14', reason: 'Inventory' }).expect(201);
      expect(later.body).toEqual({ date: '2030-06-14', reason: 'Inventory', affectedAppointments: [] });
      await t.http().post(url).set(admin).send({ date: '2030-06-12', reason: 'Staff training' }).expect(201);

      const listed = await t.http().get(`${url}?from=2030-06-01&to=2030-06-30`).set(t.headers.nurse).expect(200);
      expect(listed.body).toEqual([
        { date: '2030-06-12', reason: 'Staff training' },
        { date: '2030-06-14', reason: 'Inventory' },
      ]);
      const bounded = await t.http().get(`${url}?from=2030-06-13&to=2030-06-14`).set(t.headers.front_desk).expect(200);
      expect(bounded.body).toEqual([{ date: '2030-06-14', reason: 'Inventory' }]);

      const stored = await t.dataSource.query(
        `SELECT to_char(date, 'YYYY-MM-DD') AS date, reason FROM closures WHERE location_id = $1 AND date >= '2030-01-01' ORDER BY date`,
        [t.locations.louisville],
      );
      expect(stored).toEqual([
        { date: '2030-06-12', reason: 'Staff training' },
        { date: '2030-06-14', reason: 'Inventory' },
      ]);
      const audit = await auditOf('location', t.locations.louisville);
      expect(audit).toEqual(
        expect.arrayContaining([
          { action: 'location.closure.create', details: { date: '2030-06-14', reason: 'Inventory', affectedAppointments: 0 } },
          { action: 'location.closure.create', details: { date: '2030-06-12', reason: 'Staff training', affectedAppointments: 0 } },
        ]),
      );

      const closed = await t.app.get(LocationsRepository).findClosedDates(t.locations.louisville, '2030-06-12', '2030-06-13');
      expect(closed).toEqual(new Set(['2030-06-12']));
      expect(await t.app.get(LocationsRepository).findClosedDates(t.locations.aurora, '2030-06-12', '2030-06-14')).toEqual(new Set());
    });

    it('refuses the same date twice with a 409 naming the rule', async () => {
      const admin = t.headers.admin;
      const url = `/api/locations/${t.locations.aurora}/closures`;
      await t.http().post(url).set(admin).send({ date: '2030-08-20', reason: 'Flooring' }).expect(201);
      const duplicate = await t.http().post(url).set(admin).send({ date: '2030-08-20', reason: 'Other' }).expect(409);
      expect(duplicate.headers['content-type']).toContain('application/problem+json');
      expect(duplicate.body).toMatchObject({ status: 409, rule: 'one-closure-per-day', detail: expect.stringContaining('2030-08-20') });
      const [stored] = await t.dataSource.query(`SELECT reason FROM closures WHERE location_id = $1 AND date = '2030-08-20'`, [t.locations.aurora]);
      expect(stored.reason).toBe('Flooring');
    });

    it('deletes a closure (204, audited); an unknown one is 404 and a bad date 400 naming date', async () => {
      const admin = t.headers.admin;
      const url = `/api/locations/${t.locations.westminster}/closures`;
      await t.http().post(url).set(admin).send({ date: '2030-09-10', reason: 'Power work' }).expect(201);
      await t.http().delete(`${url}/2030-09-10`).set(admin).expect(204);
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM closures WHERE location_id = $1 AND date = '2030-09-10'`, [
        t.locations.westminster,
      ]);
      expect(count).toBe(0);
      expect(await auditOf('location', t.locations.westminster)).toEqual(
        expect.arrayContaining([{ action: 'location.closure.delete', details: { date: '2030-09-10', reason: 'Power work' } }]),
      );

      const missing = await t.http().delete(`${url}/2030-09-10`).set(admin).expect(404);
      expect(missing.headers['content-type']).toContain('application/problem+json');
      for (const bad of ['2030-02-30', 'tomorrow', '2030-9-1']) {
        const response = await t.http().delete(`${url}/${bad}`).set(admin).expect(400);
        expect(response.body.errors).toEqual([{ field: 'date', message: expect.any(String) }]);
      }
      await t.http().delete(`/api/locations/7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00/closures/2030-09-10`).set(admin).expect(404);
    });

    it('validates the body and the query', async () => {
      const admin = t.headers.admin;
      const url = `/api/locations/${t.locations.aurora}/closures`;
      const bad = await t.http().post(url).set(admin).send({ date: '2030-13-01', reason: '', extra: 1 }).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['date', 'reason', 'extra']));
      const query = await t.http().get(`${url}?from=2030-01-32`).set(admin).expect(400);
      expect(query.body.errors[0].field).toBe('from');
      const reversed = await t.http().get(`${url}?from=2030-02-01&to=2030-01-01`).set(admin).expect(400);
      expect(reversed.body.errors[0].field).toBe('to');
      await t.http().post('/api/locations/7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00/closures').set(admin).send({ date: '2030-01-02', reason: 'x' }).expect(404);
    });

    it('lets only an admin write closures; every role reads them', async () => {
      const url = `/api/locations/${t.locations.aurora}/closures`;
      for (const role of ['front_desk', 'nurse', 'provider'] as const) {
        const auth = t.headers[role];
        const refused = await t.http().post(url).set(auth).send({ date: '2030-10-01', reason: 'No' }).expect(403);
        expect(refused.headers['content-type']).toContain('application/problem+json');
        await t.http().delete(`${url}/2030-08-20`).set(auth).expect(403);
        await t.http().get(url).set(auth).expect(200);
      }
      await t.http().get(url).expect(401);
    });

    it('closes every clinic on the public holidays of any year by rule, and lists the next ones in its settings', async () => {
      const year = DateTime.now().setZone(ZONE).year;
      // Whatever the year: Memorial Day (the last Monday of May), Independence Day (a Saturday's on the Friday before, a
      // Sunday's on the Monday after), Thanksgiving (the fourth Thursday of November) and the day after.
      const expectedHolidays = [year, year + 1].flatMap((y) => {
        const may31 = DateTime.fromObject({ year: y, month: 5, day: 31 });
        const july4 = DateTime.fromObject({ year: y, month: 7, day: 4 });
        const nov1 = DateTime.fromObject({ year: y, month: 11, day: 1 });
        const thanksgiving = nov1.plus({ days: ((4 - nov1.weekday + 7) % 7) + 21 });
        return [
          may31.minus({ days: (may31.weekday + 6) % 7 }),
          july4.plus({ days: july4.weekday === 6 ? -1 : july4.weekday === 7 ? 1 : 0 }),
          thanksgiving,
          thanksgiving.plus({ days: 1 }),
        ].map((date) => date.toISODate()!);
      });
      const today = DateTime.now().setZone(ZONE).toISODate()!;
      const withinAYear = expectedHolidays.filter((d) => d >= today && d <= DateTime.now().setZone(ZONE).plus({ days: 366 }).toISODate()!);
      expect(withinAYear.length).toBeGreaterThanOrEqual(3);
      expect(Object.keys(t.locations).sort()).toEqual(['aurora', 'louisville', 'westminster']);
      for (const id of Object.values(t.locations)) {
        const response = await t.http().get(`/api/locations/${id}/settings`).set(t.headers.nurse).expect(200);
        const upcoming = response.body.upcomingHolidays.map((h: { date: string }) => h.date);
        expect(upcoming).toEqual([...upcoming].sort());
        expect(upcoming).toEqual(expect.arrayContaining(withinAYear));
        expect(response.body.upcomingHolidays.every((h: { open: boolean }) => h.open === false)).toBe(true);
        // No closure rows are needed for them: the booking rules know the holidays of every year.
        const rows = await t
          .http()
          .get(`/api/locations/${id}/closures?from=${year}-01-01&to=${year + 1}-12-31`)
          .set(t.headers.nurse)
          .expect(200);
        expect(rows.body.filter((c: { date: string }) => expectedHolidays.includes(c.date))).toEqual([]);
      }
    });
  });

  describe('staff', () => {
    it('creates a staff member with a hashed password who can then log in', async () => {
      const admin = t.headers.admin;
      const password = 'correct-horse-battery';
      const created = await t
        .http()
        .post('/api/staff')
        .set(admin)
        .send({ name: 'Tess Nurse', email: 'Tess@Clinic.example', role: 'nurse', password, locationIds: [t.locations.louisville] })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'Tess Nurse',
        email: 'tess@clinic.example',
        role: 'nurse',
        active: true,
        locationIds: [t.locations.louisville],
      });
      expect(JSON.stringify(created.body)).not.toContain('scrypt');

      const [stored] = await t.dataSource.query('SELECT password_hash FROM staff WHERE id = $1', [created.body.id]);
      expect(stored.password_hash).toMatch(/^scrypt\$/);
      expect(stored.password_hash).not.toContain(password);
      const audit = await auditOf('staff', created.body.id);
      expect(audit).toEqual([{ action: 'staff.create', details: { role: 'nurse', locationIds: [t.locations.louisville], canLogIn: true } }]);

      const login = await t.http().post('/api/auth/login').send({ email: 'tess@clinic.example', password }).expect(200);
      expect(login.body.user).toMatchObject({ id: created.body.id, role: 'nurse' });
    });

    it('creates staff without a password, who cannot log in', async () => {
      const created = await t
        .http()
        .post('/api/staff')
        .set(t.headers.admin)
        .send({ name: 'Pat Provider', email: 'pat@clinic.example', role: 'provider', locationIds: [t.locations.aurora, t.locations.westminster] })
        .expect(201);
      expect([...created.body.locationIds].sort()).toEqual([t.locations.aurora, t.locations.westminster].sort());
      const [stored] = await t.dataSource.query('SELECT password_hash FROM staff WHERE id = $1', [created.body.id]);
      expect(stored.password_hash).toBeNull();
      await t.http().post('/api/auth/login').send({ email: 'pat@clinic.example', password: 'anything-at-all' }).expect(401);
    });

    it('refuses a duplicate email (409), an unknown location (400) and bad fields (400)', async () => {
      const admin = t.headers.admin;
      const base = { name: 'Dup', role: 'nurse', locationIds: [t.locations.aurora] };
      const duplicate = await t
        .http()
        .post('/api/staff')
        .set(admin)
        .send({ ...base, email: 'NURSE@demo.clinic' })
        .expect(409);
      expect(duplicate.body).toMatchObject({ status: 409, rule: 'staff-email-unique' });
      expect(duplicate.headers['content-type']).toContain('application/problem+json');

      const unknown = await t
        .http()
        .post('/api/staff')
        .set(admin)
        .send({ ...base, email: 'new1@clinic.example', locationIds: [t.locations.aurora, '7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00'] })
        .expect(400);
      expect(unknown.body.errors).toEqual([{ field: 'locationIds', message: expect.stringContaining('7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00') }]);

      const bad = await t
        .http()
        .post('/api/staff')
        .set(admin)
        .send({ name: '', email: 'nope', role: 'janitor', password: 'short', locationIds: ['x'] })
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'email', 'role', 'password', 'locationIds']));
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM staff WHERE email LIKE 'new1@%' OR name = 'Dup'`);
      expect(count).toBe(0);
    });

    it('lists staff by name, filtered by role and clinic, only for admins', async () => {
      const admin = t.headers.admin;
      const all = await t.http().get('/api/staff').set(admin).expect(200);
      const names = all.body.map((s: { name: string }) => s.name);
      expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
      for (const person of all.body) {
        expect(Object.keys(person).sort()).toEqual(['active', 'email', 'id', 'locationIds', 'name', 'role']);
      }

      const nurses = await t.http().get(`/api/staff?role=nurse&locationId=${t.locations.louisville}`).set(admin).expect(200);
      expect(nurses.body.map((s: { email: string }) => s.email).sort()).toEqual(
        ['louisville-nurse@demo.clinic', 'nurse@demo.clinic', 'tess@clinic.example'].sort(),
      );
      const demoNurse = nurses.body.find((s: { email: string }) => s.email === 'nurse@demo.clinic');
      expect(demoNurse.locationIds).toHaveLength(3);

      await t.http().get('/api/staff?role=janitor').set(admin).expect(400);
      for (const role of ['front_desk', 'nurse', 'provider'] as const) {
        await t.http().get('/api/staff').set(t.headers[role]).expect(403);
        await t.http().post('/api/staff').set(t.headers[role]).send({ name: 'X', email: 'x@clinic.example', role: 'admin', locationIds: [] }).expect(403);
      }
    });
  });

  describe('shifts', () => {
    let staffId: string;
    const shiftsUrl = () => `/api/staff/${staffId}/shifts`;

    beforeAll(async () => {
      const created = await t
        .http()
        .post('/api/staff')
        .set(t.headers.admin)
        .send({ name: 'Sam Shift', email: 'sam@clinic.example', role: 'nurse', locationIds: [t.locations.westminster] })
        .expect(201);
      staffId = created.body.id;
    });

    it('creates shifts rendered in the clinic offset, lists and deletes them, audited', async () => {
      const admin = t.headers.admin;
      // Summer (-06:00) and winter (-07:00).
      const summer = await t
        .http()
        .post(shiftsUrl())
        .set(admin)
        .send({ locationId: t.locations.westminster, startsAt: '2030-07-01T13:00:00Z', endsAt: '2030-07-02T01:00:00Z' })
        .expect(201);
      expect(summer.body).toEqual({
        id: expect.any(String),
        staffId,
        locationId: t.locations.westminster,
        startsAt: '2030-07-01T07:00:00-06:00',
        endsAt: '2030-07-01T19:00:00-06:00',
      });
      const winter = await t
        .http()
        .post(shiftsUrl())
        .set(admin)
        .send({ locationId: t.locations.westminster, startsAt: '2030-01-07T07:00:00-07:00', endsAt: '2030-01-07T15:30:00-07:00' })
        .expect(201);
      expect(winter.body.startsAt).toBe('2030-01-07T07:00:00-07:00');
      const [stored] = await t.dataSource.query('SELECT starts_at, ends_at, location_id FROM staff_shifts WHERE id = $1', [winter.body.id]);
      expect(stored).toEqual({ starts_at: new Date('2030-01-07T14:00:00Z'), ends_at: new Date('2030-01-07T22:30:00Z'), location_id: t.locations.westminster });

      const listed = await t.http().get(shiftsUrl()).set(t.headers.provider).expect(200);
      expect(listed.body.map((s: { id: string }) => s.id)).toEqual([winter.body.id, summer.body.id]);
      const ranged = await t
        .http()
        .get(`${shiftsUrl()}?from=${encodeURIComponent('2030-06-01T00:00:00-06:00')}&to=${encodeURIComponent('2030-12-31T00:00:00-07:00')}`)
        .set(t.headers.front_desk)
        .expect(200);
      expect(ranged.body.map((s: { id: string }) => s.id)).toEqual([summer.body.id]);
      await t.http().get(`${shiftsUrl()}?from=2030-06-01T00:00:00`).set(admin).expect(400);

      await t.http().delete(`${shiftsUrl()}/${winter.body.id}`).set(admin).expect(204);
      await t.http().delete(`${shiftsUrl()}/${winter.body.id}`).set(admin).expect(404);
      expect((await auditOf('staff_shift', winter.body.id)).map((a) => a.action)).toEqual(['staff.shift.create', 'staff.shift.delete']);
      const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM staff_shifts WHERE staff_id = $1', [staffId]);
      expect(count).toBe(1);
    });

    it('refuses an overlapping shift of the same person with a 409 naming the shift in the way', async () => {
      const admin = t.headers.admin;
      const first = await t
        .http()
        .post(shiftsUrl())
        .set(admin)
        .send({ locationId: t.locations.westminster, startsAt: '2030-08-05T07:00:00-06:00', endsAt: '2030-08-05T13:00:00-06:00' })
        .expect(201);
      const overlap = await t
        .http()
        .post(shiftsUrl())
        .set(admin)
        .send({ locationId: t.locations.westminster, startsAt: '2030-08-05T12:00:00-06:00', endsAt: '2030-08-05T18:00:00-06:00' })
        .expect(409);
      expect(overlap.headers['content-type']).toContain('application/problem+json');
      expect(overlap.body).toMatchObject({
        rule: 'staff-shift-overlap',
        detail: expect.stringContaining(first.body.id),
        overlappingShifts: [
          { id: first.body.id, locationId: t.locations.westminster, startsAt: '2030-08-05T07:00:00-06:00', endsAt: '2030-08-05T13:00:00-06:00' },
        ],
      });
      // Back to back is fine: shifts are [start, end).
      await t
        .http()
        .post(shiftsUrl())
        .set(admin)
        .send({ locationId: t.locations.westminster, startsAt: '2030-08-05T13:00:00-06:00', endsAt: '2030-08-05T18:00:00-06:00' })
        .expect(201);
    });

    it('lets exactly one of two concurrent overlapping shifts through', async () => {
      const admin = t.headers.admin;
      const responses = await Promise.all(
        ['2030-09-02T07:00:00-06:00', '2030-09-02T09:00:00-06:00'].map((startsAt, i) =>
          t
            .http()
            .post(shiftsUrl())
            .set(admin)
            .send({ locationId: t.locations.westminster, startsAt, endsAt: `2030-09-02T1${5 + i}:00:00-06:00` }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      const refused = responses.find((r) => r.status === 409)!;
      const accepted = responses.find((r) => r.status === 201)!;
      expect(refused.body).toMatchObject({ rule: 'staff-shift-overlap', detail: expect.stringContaining(accepted.body.id) });
      const rows = await t.dataSource.query(`SELECT id FROM staff_shifts WHERE staff_id = $1 AND starts_at::date = '2030-09-02'`, [staffId]);
      expect(rows).toEqual([{ id: accepted.body.id }]);
    });

    it('refuses bad times (400 naming the field), a clinic the person does not work at (409) and an unknown one (400)', async () => {
      const admin = t.headers.admin;
      const post = (body: Record<string, unknown>) =>
        t
          .http()
          .post(shiftsUrl())
          .set(admin)
          .send({ locationId: t.locations.westminster, ...body });
      const reversed = await post({ startsAt: '2030-10-01T12:00:00-06:00', endsAt: '2030-10-01T08:00:00-06:00' }).expect(400);
      expect(reversed.body.errors).toEqual([{ field: 'endsAt', message: expect.any(String) }]);
      const long = await post({ startsAt: '2030-10-01T06:00:00-06:00', endsAt: '2030-10-01T22:01:00-06:00' }).expect(400);
      expect(long.body.errors[0].field).toBe('endsAt');
      await post({ startsAt: '2030-10-01T06:00:00-06:00', endsAt: '2030-10-01T22:00:00-06:00' }).expect(201);
      const noOffset = await post({ startsAt: '2030-10-02T07:00:00', endsAt: '2030-10-02T19:00:00-06:00' }).expect(400);
      expect(noOffset.body.errors[0].field).toBe('startsAt');

      const elsewhere = await t
        .http()
        .post(shiftsUrl())
        .set(admin)
        .send({ locationId: t.locations.aurora, startsAt: '2030-10-03T07:00:00-06:00', endsAt: '2030-10-03T19:00:00-06:00' })
        .expect(409);
      expect(elsewhere.body.rule).toBe('shift-location-not-assigned');
      const unknown = await t
        .http()
        .post(shiftsUrl())
        .set(admin)
        .send({ locationId: '7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00', startsAt: '2030-10-03T07:00:00-06:00', endsAt: '2030-10-03T19:00:00-06:00' })
        .expect(400);
      expect(unknown.body.errors[0].field).toBe('locationId');
      await t
        .http()
        .post('/api/staff/7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00/shifts')
        .set(admin)
        .send({ locationId: t.locations.aurora, startsAt: '2030-10-03T07:00:00-06:00', endsAt: '2030-10-03T19:00:00-06:00' })
        .expect(404);
      await t.http().delete(`${shiftsUrl()}/not-a-uuid`).set(admin).expect(400);
    });

    it('lets only an admin write shifts', async () => {
      const [shift] = (await t.http().get(shiftsUrl()).set(t.headers.nurse).expect(200)).body;
      for (const role of ['front_desk', 'nurse', 'provider'] as const) {
        const auth = t.headers[role];
        await t
          .http()
          .post(shiftsUrl())
          .set(auth)
          .send({ locationId: t.locations.westminster, startsAt: '2030-11-04T07:00:00-07:00', endsAt: '2030-11-04T19:00:00-07:00' })
          .expect(403);
        await t.http().delete(`${shiftsUrl()}/${shift.id}`).set(auth).expect(403);
      }
    });

    it('finds who of which role is on shift at a clinic, for the booking rules', async () => {
      const sut = t.app.get(ShiftsRepository);
      const from = new Date('2030-08-05T15:00:00-06:00');
      const to = new Date('2030-08-05T15:30:00-06:00');
      expect(await sut.findShiftsAt(t.locations.westminster, from, to, ['nurse'])).toEqual([
        { staffId, role: 'nurse', startsAt: new Date('2030-08-05T13:00:00-06:00'), endsAt: new Date('2030-08-05T18:00:00-06:00') },
      ]);
      expect(await sut.findShiftsAt(t.locations.westminster, from, to, ['provider'])).toEqual([]);
      expect(await sut.findShiftsAt(t.locations.aurora, from, to, ['nurse'])).toEqual([]);
      // Touching the end of a shift is not overlapping it.
      expect(await sut.findShiftsAt(t.locations.westminster, new Date('2030-08-05T18:00:00-06:00'), new Date('2030-08-05T19:00:00-06:00'), ['nurse'])).toEqual(
        [],
      );
      await t.dataSource.query('UPDATE staff SET active = false WHERE id = $1', [staffId]);
      expect(await sut.findShiftsAt(t.locations.westminster, from, to, ['nurse'])).toEqual([]);
      await t.dataSource.query('UPDATE staff SET active = true WHERE id = $1', [staffId]);
    });
  });

  describe('demo roster', () => {
    const rosterEmails = Object.values(DEMO_ROSTER).flatMap((members) => members.map((m) => m.email));

    /** The first day after today that is a weekday and not closed at any clinic. */
    async function nextOpenWeekday(): Promise<DateTime> {
      let day = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 1 });
      for (;;) {
        const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM closures WHERE date = $1', [day.toISODate()]);
        if (day.weekday <= 5 && count === 0) return day;
        day = day.plus({ days: 1 });
      }
    }

    const onShiftAt = (instant: Date): Promise<Array<{ code: string; role: string; email: string }>> =>
      t.dataSource.query(
        `SELECT l.code, st.role, st.email FROM staff_shifts sh
         JOIN staff st ON st.id = sh.staff_id JOIN locations l ON l.id = sh.location_id
         WHERE sh.starts_at <= $1 AND sh.ends_at > $1 AND st.active`,
        [instant],
      );

    it('has a nurse and a provider on shift at every clinic at noon on the next weekday, and nobody on Saturday', async () => {
      const weekday = await nextOpenWeekday();
      const noon = await onShiftAt(weekday.set({ hour: 12 }).toJSDate());
      for (const code of ['aurora', 'louisville', 'westminster']) {
        const roles = noon.filter((row) => row.code === code).map((row) => row.role);
        expect({ code, roles: roles.includes('nurse') && roles.includes('provider') }).toEqual({ code, roles: true });
      }
      expect(
        noon
          .filter((row) => row.code === 'aurora')
          .map((row) => row.email)
          .sort(),
      ).toEqual(['aurora-nurse2@demo.clinic', 'nurse@demo.clinic', 'provider@demo.clinic'].sort());
      const saturday = DateTime.now()
        .setZone(ZONE)
        .startOf('day')
        .plus({ days: (6 - DateTime.now().setZone(ZONE).weekday + 7) % 7 || 7 });
      expect(saturday.weekday).toBe(6);
      expect(await onShiftAt(saturday.set({ hour: 12 }).toJSDate())).toEqual([]);
    });

    it('rosters 07:00–19:00 local on open weekdays only, for 26 weeks, never on a closure', async () => {
      const rows: Array<{ email: string; start_local: string; end_local: string; dow: number; closed: boolean }> = await t.dataSource.query(
        `SELECT st.email, to_char(sh.starts_at AT TIME ZONE 'America/Denver', 'HH24:MI') AS start_local,
                to_char(sh.ends_at AT TIME ZONE 'America/Denver', 'HH24:MI') AS end_local,
                extract(isodow FROM sh.starts_at AT TIME ZONE 'America/Denver')::int AS dow,
                EXISTS (SELECT 1 FROM closures c WHERE c.location_id = sh.location_id
                        AND c.date = (sh.starts_at AT TIME ZONE 'America/Denver')::date) AS closed
         FROM staff_shifts sh JOIN staff st ON st.id = sh.staff_id WHERE st.email = ANY($1)`,
        [rosterEmails],
      );
      expect(rows.length).toBeGreaterThan(7 * 120);
      expect(rows.filter((r) => r.start_local !== '07:00' || r.end_local !== '19:00' || r.dow > 5 || r.closed)).toEqual([]);
      const [{ last }] = await t.dataSource.query(
        `SELECT max(sh.ends_at) AS last FROM staff_shifts sh JOIN staff st ON st.id = sh.staff_id WHERE st.email = ANY($1)`,
        [rosterEmails],
      );
      const weeksAhead = (last.getTime() - Date.now()) / (7 * 24 * 3_600_000);
      expect(weeksAhead).toBeGreaterThan(25);
      expect(weeksAhead).toBeLessThanOrEqual(26);
    });

    it('gives rostered staff no password and only their own clinic', async () => {
      const rows: Array<{ email: string; name: string; password_hash: string | null; codes: string[] }> = await t.dataSource.query(
        `SELECT st.email, st.name, st.password_hash, array_agg(l.code ORDER BY l.code) AS codes
         FROM staff st JOIN staff_locations sl ON sl.staff_id = st.id JOIN locations l ON l.id = sl.location_id
         WHERE st.email LIKE '%-%@demo.clinic' GROUP BY st.id ORDER BY st.email`,
      );
      expect(rows).toEqual([
        { email: 'aurora-nurse2@demo.clinic', name: 'Rosa Nurse', password_hash: null, codes: ['aurora'] },
        { email: 'louisville-nurse@demo.clinic', name: expect.any(String), password_hash: null, codes: ['louisville'] },
        { email: 'louisville-provider@demo.clinic', name: expect.any(String), password_hash: null, codes: ['louisville'] },
        { email: 'westminster-nurse@demo.clinic', name: expect.any(String), password_hash: null, codes: ['westminster'] },
        { email: 'westminster-provider@demo.clinic', name: expect.any(String), password_hash: null, codes: ['westminster'] },
      ]);
    });

    it('seeds nothing twice, and a start weeks later extends the roster to the new horizon', async () => {
      const snapshot = () =>
        t.dataSource.query(
          `SELECT (SELECT count(*)::int FROM staff_shifts) AS shifts, (SELECT count(*)::int FROM closures) AS closures,
                  (SELECT count(*)::int FROM staff) AS staff, (SELECT max(ends_at) FROM staff_shifts sh JOIN staff st ON st.id = sh.staff_id
                   WHERE st.email = ANY($1)) AS last`,
          [rosterEmails],
        );
      const [before] = await snapshot();
      const started = Date.now();
      await seedDemoData(t.dataSource);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect((await snapshot())[0]).toEqual(before);

      await seedDemoData(t.dataSource, [], new Date(Date.now() + 5 * 7 * 24 * 3_600_000));
      const [after] = await snapshot();
      expect(after.staff).toBe(before.staff);
      const addedDays = (after.last.getTime() - before.last.getTime()) / (24 * 3_600_000);
      // 35 days, give or take a holiday at either end.
      expect(addedDays).toBeGreaterThan(30);
      expect(addedDays).toBeLessThan(40);
      // 7 people × ~25 weekdays, fewer when holidays fall in those weeks.
      expect(after.shifts - before.shifts).toBeGreaterThan(7 * 20);
      expect(after.shifts - before.shifts).toBeLessThanOrEqual(7 * 25);
      const [{ duplicates }] = await t.dataSource.query(
        `SELECT count(*)::int AS duplicates FROM (
           SELECT sh.staff_id, (sh.starts_at AT TIME ZONE 'America/Denver')::date FROM staff_shifts sh
           JOIN staff st ON st.id = sh.staff_id WHERE st.email = ANY($1) GROUP BY 1, 2 HAVING count(*) > 1
         ) d`,
        [rosterEmails],
      );
      expect(duplicates).toBe(0);
    });
  });

  it('documents the new routes', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/locations/{id}/closures',
        '/api/locations/{id}/closures/{date}',
        '/api/staff',
        '/api/staff/{id}/shifts',
        '/api/staff/{id}/shifts/{shiftId}',
      ]),
    );
  });
});
