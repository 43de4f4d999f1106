import { useTestApp } from './support/app';
import { addDays, at, datesFrom } from './support/clinic-time';
import { bookCourse, createPatient, staffClinic } from './support/factories';
import { SessionClient, sessionClient } from './support/sessions';

const MONDAY = '2027-08-02';
const NOW = '2027-07-01T12:00:00Z';

interface Session {
  sequence: number;
  appointmentId: string;
  startsAt: string;
  phase: string;
  status: string;
}

const minutesOf = (row: { starts_at: Date; ends_at: Date }) => (row.ends_at.getTime() - row.starts_at.getTime()) / 60_000;

describe('courses: the motor-threshold visit, its due date, and outcomes', () => {
  const t = useTestApp({ now: NOW });
  let s: SessionClient;

  beforeAll(async () => {
    s = sessionClient(t);
  });
  afterEach(() => t.clock.set(NOW));

  const read = async (id: string) => (await t.http().get(`/api/courses/${id}`).set(t.headers.front_desk).expect(200)).body;
  const stored = async (appointmentId: string) => (await t.dataSource.query('SELECT starts_at, ends_at FROM appointments WHERE id = $1', [appointmentId]))[0];

  it('makes up a missed first TMS session as the 75-minute motor-threshold visit, and adds the missed session at the end', async () => {
    const patientId = await createPatient(t.dataSource);
    const course = await bookCourse(t, { patientId, protocol: 'tms-standard', locationId: t.locations.aurora, startDate: MONDAY, preferredTime: '09:00' });
    const [first, second]: Session[] = course.sessions;
    expect(minutesOf(await stored(first.appointmentId))).toBe(75);
    expect(minutesOf(await stored(second.appointmentId))).toBe(30);

    t.clock.set(at(MONDAY, '09:30'));
    await t.http().post(`/api/appointments/${first.appointmentId}/no-show`).set(t.headers.nurse).expect(200);

    // The next session is now the threshold visit: 75 minutes from its start.
    const next = await stored(second.appointmentId);
    expect(next.starts_at.toISOString()).toBe(new Date(at('2027-08-03', '09:00')).toISOString());
    expect(minutesOf(next)).toBe(75);
    const after = await read(course.id);
    expect(after.sessions).toHaveLength(37);
    const makeUp: Session = after.sessions[36];
    expect(makeUp).toMatchObject({ sequence: 37, phase: 'make-up', status: 'scheduled' });
    expect(minutesOf(await stored(makeUp.appointmentId))).toBe(30);
    const [audit] = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'course.threshold-visit' AND entity_id = $1`, [course.id]);
    expect(audit.details).toMatchObject({ missedAppointmentId: first.appointmentId, appointmentId: second.appointmentId, minutes: 75 });

    // It measures the threshold; the course says when it is due again (7 days by default, the clinic's setting).
    expect(after.motorThresholdDueAt).toBeNull();
    t.clock.set(at('2027-08-03', '08:55'));
    await s.checkIn(second.appointmentId).expect(200);
    await s.start(second.appointmentId).expect(200);
    const missing = await s.post('nurse', `/appointments/${second.appointmentId}/tms-record`, { intensityPercent: 120, pulses: 3000 }).expect(409);
    expect(missing.body.rule).toBe('motor-threshold-required');
    t.clock.set(at('2027-08-03', '09:40'));
    await s.post('nurse', `/appointments/${second.appointmentId}/tms-record`, { motorThresholdPercent: 52, intensityPercent: 120, pulses: 3000 }).expect(201);
    expect((await read(course.id)).motorThresholdDueAt).toBe(at('2027-08-10', '09:40'));
    await t.http().patch(`/api/locations/${t.locations.aurora}/settings`).set(t.headers.admin).send({ motorThresholdIntervalDays: 14 }).expect(200);
    expect((await read(course.id)).motorThresholdDueAt).toBe(at('2027-08-17', '09:40'));
    await t.http().patch(`/api/locations/${t.locations.aurora}/settings`).set(t.headers.admin).send({ motorThresholdIntervalDays: 7 }).expect(200);
  });

  it('records PHQ-9 and MADRS over a course and reports baseline, latest, signed change, response and remission', async () => {
    const patientId = await createPatient(t.dataSource);
    const course = await bookCourse(t, { patientId, protocol: 'tms-itbs', locationId: t.locations.aurora, startDate: MONDAY, preferredTime: '11:00' });
    const other = await bookCourse(t, {
      patientId: await createPatient(t.dataSource),
      protocol: 'tms-itbs',
      locationId: t.locations.aurora,
      startDate: MONDAY,
      preferredTime: '12:00',
    });
    t.clock.set(at('2027-09-15', '12:00'));
    const url = `/api/courses/${course.id}/outcomes`;
    const post = (body: object, role: 'nurse' | 'provider' | 'front_desk' | 'admin' = 'nurse') => t.http().post(url).set(t.headers[role]).send(body);

    await post({ scale: 'phq9', score: 20, takenOn: '2027-07-26' }, 'front_desk').expect(403);
    const baseline = await post({ scale: 'phq9', score: 20, takenOn: '2027-07-26' }).expect(201);
    expect(baseline.body).toMatchObject({
      courseId: course.id,
      scale: 'phq9',
      score: 20,
      takenOn: '2027-07-26',
      appointmentId: null,
      recordedBy: expect.any(String),
    });
    await post({ scale: 'phq9', score: 11, takenOn: '2027-08-23', appointmentId: course.sessions[15].appointmentId }, 'provider').expect(201);
    await post({ scale: 'phq9', score: 4, takenOn: '2027-09-13' }).expect(201);
    await post({ scale: 'madrs', score: 30, takenOn: '2027-08-02' }).expect(201);
    await post({ scale: 'madrs', score: 16, takenOn: '2027-09-13' }, 'admin').expect(201);

    const bad: Array<[object, string]> = [
      [{ scale: 'phq9', score: 28, takenOn: '2027-09-13' }, 'score'],
      [{ scale: 'hamd17', score: -1, takenOn: '2027-09-13' }, 'score'],
      [{ scale: 'gad7', score: 5, takenOn: '2027-09-13' }, 'scale'],
      [{ scale: 'phq9', score: 5, takenOn: '2027-09-16' }, 'takenOn'],
      [{ scale: 'phq9', score: 5, takenOn: '2027-07-02' }, 'takenOn'],
      [{ scale: 'phq9', score: 5, takenOn: '2027-09-13', appointmentId: other.sessions[0].appointmentId }, 'appointmentId'],
    ];
    for (const [body, field] of bad) {
      const response = await post(body).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const [{ rows }] = await t.dataSource.query('SELECT count(*)::int AS rows FROM course_outcomes WHERE course_id = $1', [course.id]);
    expect(rows).toBe(5);

    const outcomes = (await t.http().get(url).set(t.headers.front_desk).expect(200)).body;
    expect(outcomes.entries.map((e: { scale: string; score: number }) => `${e.scale}:${e.score}`)).toEqual([
      'phq9:20',
      'madrs:30',
      'phq9:11',
      'phq9:4',
      'madrs:16',
    ]);
    expect(outcomes.byScale).toEqual({
      phq9: { baseline: 20, latest: 4, changePercent: -80, response: true, remission: true },
      madrs: { baseline: 30, latest: 16, changePercent: -46.7, response: false, remission: false },
    });
    expect((await read(course.id)).outcomes).toEqual(outcomes.byScale);
    expect((await read(other.id)).outcomes).toEqual({});
  });
});

describe('courses: replanning from a session on', () => {
  // A winter course that runs across the start of daylight saving (Sunday 14 March 2027).
  const t = useTestApp({ now: '2027-02-01T12:00:00Z' });
  const START = '2027-03-01';

  const rows = async (courseId: string) =>
    t.dataSource.query(`SELECT id, sequence, status, starts_at, resource_id FROM appointments WHERE course_id = $1 ORDER BY sequence, starts_at`, [courseId]);

  it('moves sessions 10–36 of a TMS course to 14:00 across the March DST change, leaves 1–9 as they were, and leaves no orphans', async () => {
    const patientId = await createPatient(t.dataSource, { smsOptIn: true });
    const course = await bookCourse(t, { patientId, protocol: 'tms-standard', locationId: t.locations.aurora, startDate: START, preferredTime: '09:00' });
    const before = await rows(course.id);
    expect(before).toHaveLength(36);
    expect(before[9].starts_at.toISOString()).toBe(new Date(at('2027-03-12', '09:00')).toISOString());

    // A dry run answers with the plan and stores nothing.
    const dry = await t
      .http()
      .post(`/api/courses/${course.id}/replan`)
      .set(t.headers.front_desk)
      .send({ fromSequence: 10, preferredTime: '14:00', dryRun: true })
      .expect(200);
    expect(dry.body.sessions[9].startsAt).toBe(at('2027-03-12', '14:00'));
    expect(await rows(course.id)).toEqual(before);

    const replanned = await t
      .http()
      .post(`/api/courses/${course.id}/replan`)
      .set(t.headers.front_desk)
      .send({ fromSequence: 10, preferredTime: '14:00' })
      .expect(200);
    expect(replanned.body).toMatchObject({ id: course.id, preferredTime: '14:00', remaining: 36, cancelled: 0 });
    const sessions: Session[] = replanned.body.sessions;
    expect(sessions.map((x) => x.sequence)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    // Sessions 1–9 untouched: same appointments, same times.
    expect(sessions.slice(0, 9).map((x) => x.startsAt)).toEqual(course.sessions.slice(0, 9).map((x: Session) => x.startsAt));
    // 10–36: the same appointments at 14:00 local, -07:00 before the change and -06:00 after.
    expect(sessions.slice(9).map((x) => x.appointmentId)).toEqual(course.sessions.slice(9).map((x: Session) => x.appointmentId));
    expect(sessions.slice(9).every((x) => x.startsAt.slice(11, 16) === '14:00')).toBe(true);
    expect(sessions[9].startsAt).toBe('2027-03-12T14:00:00-07:00');
    expect(sessions[10].startsAt).toBe('2027-03-15T14:00:00-06:00');

    const after = await rows(course.id);
    expect(after).toHaveLength(36);
    expect(after.filter((r: { status: string }) => r.status !== 'scheduled')).toEqual([]);
    expect(new Set(after.map((r: { sequence: number }) => r.sequence)).size).toBe(36);
    expect(after.slice(0, 9)).toEqual(before.slice(0, 9));
    // Every moved session holds its device, and no segment of an old time is left behind.
    const [{ segments }] = await t.dataSource.query(
      `SELECT count(*)::int AS segments FROM appointment_segments s JOIN appointments a ON a.id = s.appointment_id WHERE a.course_id = $1 AND s.active`,
      [course.id],
    );
    expect(segments).toBe(36);
    // The texts of the moved sessions speak of 2:00 PM only; the kept ones still of 9:00 AM.
    const texts = await t.dataSource.query(
      `SELECT a.sequence, r.body FROM reminders r JOIN appointments a ON a.id = r.appointment_id WHERE a.course_id = $1 AND r.status = 'pending'`,
      [course.id],
    );
    expect(texts.filter((r: { sequence: number }) => r.sequence >= 10).length).toBeGreaterThan(0);
    expect(texts.filter((r: { sequence: number; body: string }) => r.sequence >= 10 && !r.body.includes('2:00 PM'))).toEqual([]);
    expect(texts.filter((r: { sequence: number; body: string }) => r.sequence < 10 && !r.body.includes('9:00 AM'))).toEqual([]);
    const [audit] = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'course.replan' AND entity_id = $1`, [course.id]);
    expect(audit.details).toMatchObject({ fromSequence: 10, moved: 27, preferredTime: '14:00' });
  });

  it('moves the rest of a course to a later start date, never closer to the last kept session than the cadence allows', async () => {
    const patientId = await createPatient(t.dataSource);
    const course = await bookCourse(t, { patientId, protocol: 'tms-itbs', locationId: t.locations.aurora, startDate: START, preferredTime: '10:00' });
    const replanned = (
      await t.http().post(`/api/courses/${course.id}/replan`).set(t.headers.provider).send({ fromSequence: 5, startDate: '2027-03-22' }).expect(200)
    ).body;
    expect(replanned.sessions[3].startsAt).toBe(course.sessions[3].startsAt);
    expect(replanned.sessions[4].startsAt).toBe(at('2027-03-22', '10:00'));
    expect(replanned.sessions).toHaveLength(36);
    expect(replanned.remaining).toBe(36);
  });

  it('refuses what it cannot do, naming the field, and changes nothing', async () => {
    const patientId = await createPatient(t.dataSource);
    const course = await bookCourse(t, { patientId, protocol: 'tms-standard', locationId: t.locations.aurora, startDate: START, preferredTime: '12:00' });
    const before = await rows(course.id);
    const url = `/api/courses/${course.id}/replan`;
    const cases: Array<[object, string]> = [
      [{ fromSequence: 40 }, 'fromSequence'],
      [{ fromSequence: 3, startDate: '2027-01-04' }, 'startDate'],
      [{ fromSequence: 3, maintenanceEveryWeeks: 2 }, 'maintenanceEveryWeeks'],
      [{ fromSequence: 3, locationId: '7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00' }, 'locationId'],
      [{ fromSequence: 3, maintenanceEveryWeeks: 3 }, 'maintenanceEveryWeeks'],
      [{ fromSequence: 0 }, 'fromSequence'],
    ];
    for (const [body, field] of cases) {
      const response = await t.http().post(url).set(t.headers.front_desk).send(body).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    await t.http().post(url).set(t.headers.nurse).send({ fromSequence: 3 }).expect(403);
    expect(await rows(course.id)).toEqual(before);
  });
});

describe('courses: Spravato maintenance every 2 weeks', () => {
  const t = useTestApp({ now: NOW });

  beforeAll(async () => {
    await staffClinic(t.dataSource, 'aurora', datesFrom(MONDAY, 140, 'weekdays'), 2);
  });

  it('steps maintenance out to every 2 weeks from a session on, and back to weekly', async () => {
    const patientId = await createPatient(t.dataSource);
    const course = await bookCourse(t, {
      patientId,
      protocol: 'spravato-trd',
      locationId: t.locations.aurora,
      startDate: MONDAY,
      preferredTime: '09:00',
      maintenanceWeeks: 4,
    });
    expect(course.sessions).toHaveLength(16);
    const day = (iso: string) => new Date(iso.slice(0, 10) + 'T00:00:00Z').getTime() / 86_400_000;
    const gaps = (sessions: Session[]) => sessions.slice(1).map((x, i) => day(x.startsAt) - day(sessions[i].startsAt));
    expect(gaps(course.sessions.slice(12))).toEqual([7, 7, 7]);

    const url = `/api/courses/${course.id}/replan`;
    const every2 = (await t.http().post(url).set(t.headers.front_desk).send({ fromSequence: 13, maintenanceEveryWeeks: 2 }).expect(200)).body;
    expect(every2.sessions).toHaveLength(16);
    expect(every2.sessions.slice(0, 12).map((x: Session) => x.startsAt)).toEqual(course.sessions.slice(0, 12).map((x: Session) => x.startsAt));
    expect(gaps(every2.sessions.slice(12))).toEqual([14, 14, 14]);
    expect(every2.sessions.slice(12).every((x: Session) => x.phase === 'maintenance')).toBe(true);
    const [stored] = await t.dataSource.query('SELECT settings FROM courses WHERE id = $1', [course.id]);
    expect(stored.settings.maintenanceEveryWeeks).toBe(2);

    // "Missed maintenance sessions with worsening: step back to the previous frequency."
    // From session 14 on, weekly again from a week after session 13.
    const weekAfter13 = addDays(every2.sessions[12].startsAt.slice(0, 10), 7);
    const weekly = (await t.http().post(url).set(t.headers.provider).send({ fromSequence: 14, maintenanceEveryWeeks: 1, startDate: weekAfter13 }).expect(200))
      .body;
    expect(weekly.sessions[12].startsAt).toBe(every2.sessions[12].startsAt);
    expect(gaps(weekly.sessions.slice(12))).toEqual([7, 7, 7]);
  });

  it('refuses a replan from a session already done', async () => {
    const patientId = await createPatient(t.dataSource);
    const course = await bookCourse(t, { patientId, protocol: 'ketamine-iv', locationId: t.locations.aurora, startDate: MONDAY, preferredTime: '13:00' });
    t.clock.set(at(MONDAY, '12:55'));
    const s = sessionClient(t);
    await s.checkIn(course.sessions[0].appointmentId).expect(200);
    const refused = await t
      .http()
      .post(`/api/courses/${course.id}/replan`)
      .set(t.headers.front_desk)
      .send({ fromSequence: 1, preferredTime: '15:00' })
      .expect(409);
    expect(refused.body).toMatchObject({ rule: 'status', sequence: 1 });
    t.clock.set(NOW);
  });
});
