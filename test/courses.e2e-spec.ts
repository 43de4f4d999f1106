import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { createPatient, createPatients, requestBooking, requestCourse, resourceIds } from './support/factories';

// After the demo roster's horizon, with a frozen clock: only what these tests add exists (TMS needs no staff).
const MONDAY = '2027-08-02';
const NOW = '2027-07-01T12:00:00Z';

describe('courses: protocols, planning and booking a whole course', () => {
  const t = useTestApp({ now: NOW });
  let aurora: string;
  let louisville: string;

  beforeAll(() => {
    ({ aurora, louisville } = t.locations);
  });

  const count = async (sql: string, params: unknown[]) => (await t.dataSource.query(sql, params))[0].count as number;

  it('lists the protocol catalog to every role', async () => {
    const response = await t.http().get('/api/protocols').set(t.headers.nurse).expect(200);
    expect(response.body.map((p: { code: string }) => p.code)).toEqual([
      'tms-standard',
      'tms-itbs',
      'tms-deep',
      'tms-accelerated',
      'spravato-trd',
      'spravato-mdsi',
      'ketamine-iv',
      'ect-index',
    ]);
    expect(response.body[0]).toMatchObject({
      code: 'tms-standard',
      treatment: 'tms',
      totalSessions: 36,
      sessionMinutes: expect.any(Number),
      occupancyMinutes: 30,
      firstSessionMinutes: 75,
      cadence: expect.stringContaining('5 a week'),
    });
    expect(response.body.find((p: { code: string }) => p.code === 'ect-index')).toMatchObject({ totalSessions: 9, totalSessionsRange: { min: 6, max: 12 } });
    await t.http().get('/api/protocols').expect(401);
  });

  it('answers a dry run with the plan (200) and stores nothing', async () => {
    const patientId = await createPatient(t.dataSource);
    const before = await count('SELECT count(*)::int AS count FROM appointments', []);
    const response = await requestCourse(t, {
      patientId,
      protocol: 'tms-standard',
      locationId: aurora,
      startDate: MONDAY,
      preferredTime: '09:00',
      dryRun: true,
    }).expect(200);
    expect(response.body).toMatchObject({ id: null, status: 'planned', protocol: 'tms-standard', patientId, totalSessions: 36 });
    expect(response.body.sessions).toHaveLength(36);
    expect(response.body.sessions[0]).toEqual({
      sequence: 1,
      appointmentId: null,
      startsAt: '2027-08-02T09:00:00-06:00',
      locationId: aurora,
      resourceId: expect.any(String),
      phase: 'induction',
    });
    expect(response.body.sessions[35].phase).toBe('taper');
    // Labor Day (2027-09-06) is a seeded closure: the session moves, and the plan says so.
    expect(response.body.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/Tue 2027-09-07 instead of Mon 2027-09-06 .*Labor Day/), expect.stringMatching(/^Self-pay/)]),
    );
    expect(await count('SELECT count(*)::int AS count FROM appointments', [])).toBe(before);
    expect(await count('SELECT count(*)::int AS count FROM courses', [])).toBe(0);
  });

  it('books every session in one go as normal appointments linked to the course, and audits it', async () => {
    const patientId = await createPatient(t.dataSource);
    const dry = await requestCourse(t, {
      patientId,
      protocol: 'tms-standard',
      locationId: aurora,
      startDate: MONDAY,
      preferredTime: '10:00',
      dryRun: true,
    }).expect(200);
    const response = await requestCourse(t, { patientId, protocol: 'tms-standard', locationId: aurora, startDate: MONDAY, preferredTime: '10:00' }).expect(201);
    expect(response.body).toMatchObject({
      id: expect.any(String),
      status: 'active',
      protocol: 'tms-standard',
      patientId,
      completed: 0,
      remaining: 36,
      missed: 0,
    });
    // The booked course is the plan the dry run showed.
    expect(response.body.sessions.map((s: { startsAt: string }) => s.startsAt)).toEqual(dry.body.sessions.map((s: { startsAt: string }) => s.startsAt));
    const rows = await t.dataSource.query(
      'SELECT id, sequence, type, status, resource_id, occupancy_starts_at, occupancy_ends_at FROM appointments WHERE course_id = $1 ORDER BY sequence',
      [response.body.id],
    );
    expect(rows).toHaveLength(36);
    expect(rows.map((r: { sequence: number }) => r.sequence)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(rows.every((r: { type: string; status: string }) => r.type === 'tms' && r.status === 'scheduled')).toBe(true);
    // The first session is the 75-minute motor-threshold visit, the others 30 minutes.
    const minutes = rows.map(
      (r: { occupancy_starts_at: Date; occupancy_ends_at: Date }) => (r.occupancy_ends_at.getTime() - r.occupancy_starts_at.getTime()) / 60_000,
    );
    expect(minutes[0]).toBe(75);
    expect(new Set(minutes.slice(1))).toEqual(new Set([30]));
    expect(response.body.sessions.map((s: { appointmentId: string }) => s.appointmentId)).toEqual(rows.map((r: { id: string }) => r.id));

    const [course] = await t.dataSource.query(
      'SELECT status, protocol, treatment, start_date::text, preferred_time::text, total_sessions, created_by FROM courses WHERE id = $1',
      [response.body.id],
    );
    expect(course).toMatchObject({
      status: 'active',
      protocol: 'tms-standard',
      treatment: 'tms',
      start_date: MONDAY,
      preferred_time: '10:00:00',
      total_sessions: 36,
    });
    expect(course.created_by).toEqual(expect.any(String));
    const audit = await t.dataSource.query(`SELECT action, details FROM audit_log WHERE entity_type = 'course' AND entity_id = $1`, [response.body.id]);
    expect(audit).toEqual([{ action: 'course.create', details: expect.objectContaining({ patientId, protocol: 'tms-standard', sessions: 36 }) }]);
    expect(JSON.stringify(audit)).not.toMatch(/Patient\d/);

    const read = await t.http().get(`/api/courses/${response.body.id}`).set(t.headers.nurse).expect(200);
    expect(read.body).toMatchObject({ id: response.body.id, status: 'active', completed: 0, remaining: 36, missed: 0, flags: [] });
    expect(read.body.sessions[0]).toMatchObject({ sequence: 1, phase: 'induction', status: 'scheduled', startsAt: '2027-08-02T10:00:00-06:00' });
    const list = await t.http().get(`/api/patients/${patientId}/courses`).set(t.headers.front_desk).expect(200);
    expect(list.body.map((c: { id: string }) => c.id)).toEqual([response.body.id]);
  });

  it('keeps sessions at 09:00 local across the end of DST (7 November 2027)', async () => {
    const patientId = await createPatient(t.dataSource);
    const response = await requestCourse(t, {
      patientId,
      protocol: 'tms-standard',
      locationId: louisville,
      startDate: '2027-10-04',
      preferredTime: '09:00',
    }).expect(201);
    const starts: string[] = response.body.sessions.map((s: { startsAt: string }) => s.startsAt);
    expect(starts).toHaveLength(36);
    expect(starts.filter((s) => s.slice(11, 16) !== '09:00')).toEqual([]);
    expect(starts).toContain('2027-11-05T09:00:00-06:00');
    expect(starts).toContain('2027-11-08T09:00:00-07:00');
    const [row] = await t.dataSource.query(`SELECT starts_at FROM appointments WHERE course_id = $1 AND starts_at::date = '2027-11-08'`, [response.body.id]);
    expect(row.starts_at.toISOString()).toBe('2027-11-08T16:00:00.000Z');
    // Thanksgiving (25 and 26 November) is skipped.
    expect(starts.filter((s) => s.startsWith('2027-11-25') || s.startsWith('2027-11-26'))).toEqual([]);
  });

  it('moves a session to the nearest free start, then to an alternate clinic, and says so', async () => {
    // Louisville has two TMS devices: fill both at 09:00 on Tuesday 2027-08-03.
    const [p1, p2, patientId] = await createPatients(t.dataSource, 3);
    const tms = await resourceIds(t.dataSource, 'louisville', 'tms_device');
    for (const [i, other] of [p1, p2].entries()) {
      await requestBooking(t, { patientId: other, type: 'tms', locationId: louisville, startsAt: at('2027-08-03', '09:00'), resourceId: tms[i] }).expect(201);
    }
    const near = await requestCourse(t, {
      patientId,
      protocol: 'tms-itbs',
      locationId: louisville,
      startDate: MONDAY,
      preferredTime: '09:00',
      dryRun: true,
    }).expect(200);
    expect(near.body.sessions[1]).toMatchObject({ startsAt: '2027-08-03T08:45:00-06:00', locationId: louisville });
    expect(near.body.warnings).toContainEqual(expect.stringMatching(/^Session 2 \(induction\): 08:45 instead of 09:00/));

    // Westminster closed on Monday: the first session goes to the alternate clinic.
    const westminster = t.locations.westminster;
    await t.http().post(`/api/locations/${westminster}/closures`).set(t.headers.admin).send({ date: MONDAY, reason: 'Water damage' }).expect(201);
    const moved = await requestCourse(t, {
      patientId,
      protocol: 'tms-itbs',
      locationId: westminster,
      alternateLocationIds: [aurora],
      startDate: MONDAY,
      preferredTime: '09:00',
      dryRun: true,
    }).expect(200);
    expect(moved.body.sessions[0]).toMatchObject({ startsAt: '2027-08-02T09:00:00-06:00', locationId: aurora });
    expect(moved.body.sessions[1].locationId).toBe(westminster);
    expect(moved.body.warnings[0]).toMatch(
      /^Session 1 \(induction\): at Aurora Clinic instead of Westminster Clinic \(Westminster Clinic: closed on 2027-08-02 \(Water damage\)\)/,
    );
  });

  it('refuses a course that cannot be placed within its spacing, naming the session, and books nothing', async () => {
    // Louisville has no ECT suite.
    const patientId = await createPatient(t.dataSource);
    const response = await requestCourse(t, { patientId, protocol: 'ect-index', locationId: louisville, startDate: MONDAY, preferredTime: '07:30' }).expect(
      409,
    );
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 409, rule: 'course-unplaceable', sequence: 1, phase: 'index' });
    expect(response.body.detail).toMatch(/^Session 1 \(index\) cannot be placed .*no ect suite/i);
    expect(await count('SELECT count(*)::int AS count FROM appointments WHERE patient_id = $1', [patientId])).toBe(0);
    expect(await count('SELECT count(*)::int AS count FROM courses WHERE patient_id = $1', [patientId])).toBe(0);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const patientId = await createPatient(t.dataSource);
    const good = { patientId, protocol: 'tms-standard', locationId: aurora, startDate: MONDAY, preferredTime: '09:00', dryRun: true };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...good, protocol: 'tms-turbo' }, 'protocol'],
      [{ ...good, startDate: '2027-02-30' }, 'startDate'],
      [{ ...good, startDate: '02/08/2027' }, 'startDate'],
      [{ ...good, startDate: '2027-06-01' }, 'startDate'],
      [{ ...good, preferredTime: '9am' }, 'preferredTime'],
      [{ ...good, preferredTime: '24:00' }, 'preferredTime'],
      [{ ...good, patientId: 'nope' }, 'patientId'],
      [{ ...good, patientId: '7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00' }, 'patientId'],
      [{ ...good, locationId: '7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00' }, 'locationId'],
      [{ ...good, alternateLocationIds: ['7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00'] }, 'alternateLocationIds'],
      [{ ...good, alternateLocationIds: [aurora] }, 'alternateLocationIds'],
      [{ ...good, protocol: 'ect-index', totalSessions: 13 }, 'totalSessions'],
      [{ ...good, protocol: 'ect-index', totalSessions: 5 }, 'totalSessions'],
      [{ ...good, totalSessions: 30 }, 'totalSessions'],
      [{ ...good, maintenanceWeeks: 4 }, 'maintenanceWeeks'],
      [{ ...good, protocol: 'spravato-trd', maintenanceWeeks: 53 }, 'maintenanceWeeks'],
      [{ ...good, dryRun: 'yes' }, 'dryRun'],
      [{ ...good, override: 'because' }, 'override'],
      [{ ...good, override: {} }, 'override.reason'],
      [{ ...good, colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const response = await requestCourse(t, body);
      expect([response.status, field]).toEqual([400, field]);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    await t.http().get('/api/courses/7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00').set(t.headers.front_desk).expect(404);
    await t.http().get('/api/courses/nope').set(t.headers.front_desk).expect(400);
    await t.http().get('/api/patients/7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00/courses').set(t.headers.front_desk).expect(404);
  });

  it('lets front desk, providers and admins book; nurses only read', async () => {
    const patientId = await createPatient(t.dataSource);
    const body = { patientId, protocol: 'ketamine-iv', locationId: aurora, startDate: MONDAY, preferredTime: '09:00', dryRun: true };
    await requestCourse(t, body, t.headers.nurse).expect(403);
    await requestCourse(t, body, t.headers.provider).expect((r) => expect([200, 409]).toContain(r.status));
    await t.http().post('/api/courses').send(body).expect(401);
  });

  it('replays the first response for the same Idempotency-Key and books nothing twice', async () => {
    const patientId = await createPatient(t.dataSource);
    const body = { patientId, protocol: 'tms-itbs', locationId: aurora, startDate: '2027-08-16', preferredTime: '12:00' };
    const first = await requestCourse(t, body, { ...t.headers.front_desk, 'Idempotency-Key': 'course-key-1' }).expect(201);
    const again = await requestCourse(t, body, { ...t.headers.front_desk, 'Idempotency-Key': 'course-key-1' }).expect(201);
    expect(again.body).toEqual(first.body);
    expect(await count('SELECT count(*)::int AS count FROM courses WHERE patient_id = $1', [patientId])).toBe(1);
    expect(await count('SELECT count(*)::int AS count FROM appointments WHERE patient_id = $1', [patientId])).toBe(36);
  });
});
