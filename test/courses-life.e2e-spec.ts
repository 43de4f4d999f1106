import { useTestApp } from './support/app';
import { addDays, at, datesFrom, weekdayOf } from './support/clinic-time';
import { addAuthorization, bookCourse, createPatient, requestCourse, staffClinic } from './support/factories';

const MONDAY = '2027-08-02';
const NOW = '2027-07-01T12:00:00Z';

interface Session {
  sequence: number;
  appointmentId: string;
  startsAt: string;
  phase: string;
  status: string;
}

describe('courses: no-shows, reschedules and cancellation', () => {
  const t = useTestApp({ now: NOW });

  beforeAll(async () => {
    await staffClinic(t.dataSource, 'aurora', datesFrom(MONDAY, 70, 'weekdays'), 2);
  });

  afterEach(() => t.clock.set(NOW));

  /** A course at Aurora from MONDAY (standard TMS unless told). */
  const courseBody = (body: Record<string, unknown>) => ({ protocol: 'tms-standard', locationId: t.locations.aurora, startDate: MONDAY, ...body });
  const read = async (id: string) => (await t.http().get(`/api/courses/${id}`).set(t.headers.front_desk).expect(200)).body;
  /** Clinic-local 10:00 of a date: after a 09:00 session has started. */
  const afterStartOf = (date: string) => at(date, '10:00');
  /** A TMS authorization that asks for no failed trials. */
  const authorize = (patientId: string, body: Record<string, unknown>) => addAuthorization(t, patientId, { requiredFailedTrials: 0, ...body });

  it('adds a make-up session after the last one when a TMS session is missed, within the authorization', async () => {
    const patientId = await createPatient(t.dataSource);
    await authorize(patientId, { approvedSessions: 36 });
    const course = await bookCourse(t, courseBody({ patientId, preferredTime: '09:00' }));
    const third: Session = course.sessions[2];
    const last: Session = course.sessions[35];

    t.clock.set(afterStartOf('2027-08-04'));
    await t
      .http()
      .post(`/api/appointments/${third.appointmentId}/no-show`)
      .set(await t.auth('nurse'))
      .expect(200);

    const after = await read(course.id);
    expect(after).toMatchObject({ completed: 0, missed: 1, remaining: 36, flags: [] });
    expect(after.sessions).toHaveLength(37);
    const makeUp: Session = after.sessions[36];
    expect(makeUp).toMatchObject({ sequence: 37, phase: 'make-up', status: 'scheduled' });
    // The next weekday after the course's last session, at the course's time.
    const lastDate = last.startsAt.slice(0, 10);
    expect(makeUp.startsAt).toBe(at(addDays(lastDate, weekdayOf(lastDate) === 5 ? 3 : 1), '09:00'));
    const audit = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'course.make-up' AND entity_id = $1`, [course.id]);
    expect(audit).toEqual([
      { details: expect.objectContaining({ missedAppointmentId: third.appointmentId, appointmentId: makeUp.appointmentId, sequence: 37 }) },
    ]);
  });

  it("flags a missed session instead when a make-up would run past the authorization's validTo", async () => {
    const patientId = await createPatient(t.dataSource);
    const plan = (await requestCourse(t, courseBody({ patientId, preferredTime: '12:00', dryRun: true })).expect(200)).body;
    await authorize(patientId, { validTo: plan.sessions[35].startsAt.slice(0, 10) });
    const course = await bookCourse(t, courseBody({ patientId, preferredTime: '12:00' }));

    t.clock.set(at('2027-08-03', '13:00'));
    const missed: Session = course.sessions[1];
    await t.http().post(`/api/appointments/${missed.appointmentId}/no-show`).set(t.headers.front_desk).expect(200);

    const after = await read(course.id);
    expect(after.sessions).toHaveLength(36);
    expect(after.flags).toEqual([
      { kind: 'make-up-not-booked', appointmentId: missed.appointmentId, detail: expect.stringMatching(/validTo/), createdAt: expect.any(String) },
    ]);
  });

  it('flags a missed Spravato maintenance session and changes nothing; a missed induction session keeps the schedule', async () => {
    const patientId = await createPatient(t.dataSource);
    const course = await bookCourse(t, courseBody({ patientId, protocol: 'spravato-trd', preferredTime: '09:00' }));
    expect(course.sessions.map((s: Session) => s.phase)).toEqual([...Array(8).fill('induction'), ...Array(4).fill('maintenance')]);
    expect(course.sessions[0].plannedDoseMg).toBe(56);

    const induction: Session = course.sessions[1];
    t.clock.set(afterStartOf(induction.startsAt.slice(0, 10)));
    await t.http().post(`/api/appointments/${induction.appointmentId}/no-show`).set(t.headers.front_desk).expect(200);
    expect((await read(course.id)).flags).toEqual([]);

    const maintenance: Session = course.sessions[8];
    t.clock.set(afterStartOf(maintenance.startsAt.slice(0, 10)));
    await t.http().post(`/api/appointments/${maintenance.appointmentId}/no-show`).set(t.headers.front_desk).expect(200);
    const after = await read(course.id);
    expect(after).toMatchObject({ missed: 2, remaining: 10 });
    expect(after.sessions).toHaveLength(12);
    expect(after.flags).toEqual([
      {
        kind: 'missed-maintenance',
        appointmentId: maintenance.appointmentId,
        detail: expect.stringMatching(/^Maintenance session 9 on Mon 2027-08-30 was missed/),
        createdAt: expect.any(String),
      },
    ]);
  });

  it('moves only the rescheduled session: no duplicate, nothing orphaned', async () => {
    const patientId = await createPatient(t.dataSource);
    const course = await bookCourse(t, courseBody({ patientId, protocol: 'tms-itbs', preferredTime: '14:00' }));
    const fifth: Session = course.sessions[4];
    const moved = await t
      .http()
      .patch(`/api/appointments/${fifth.appointmentId}`)
      .set(t.headers.front_desk)
      .send({ startsAt: at(fifth.startsAt.slice(0, 10), '16:30') })
      .expect(200);
    expect(moved.body).toMatchObject({ courseId: course.id, sequence: 5 });

    const after = await read(course.id);
    expect(after.sessions).toHaveLength(36);
    expect(after.sessions[4]).toMatchObject({ appointmentId: fifth.appointmentId, sequence: 5, startsAt: at(fifth.startsAt.slice(0, 10), '16:30') });
    const others = (list: Session[]) => list.filter((s) => s.sequence !== 5).map((s) => [s.appointmentId, s.startsAt]);
    expect(others(after.sessions)).toEqual(others(course.sessions));
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM appointments WHERE course_id = $1 AND sequence = 5', [course.id]);
    expect(count).toBe(1);
  });

  it('cancels every future session of a course (each through the appointment rules) and keeps the past ones', async () => {
    const patientId = await createPatient(t.dataSource);
    const course = await bookCourse(t, courseBody({ patientId, preferredTime: '07:30' }));
    t.clock.set(afterStartOf('2027-08-03'));
    await t
      .http()
      .post(`/api/courses/${course.id}/cancel`)
      .set(await t.auth('nurse'))
      .send({ reason: 'x' })
      .expect(403);
    await t.http().post(`/api/courses/${course.id}/cancel`).set(t.headers.front_desk).send({}).expect(400);

    const response = await t.http().post(`/api/courses/${course.id}/cancel`).set(t.headers.front_desk).send({ reason: 'Patient moved away' }).expect(200);
    expect(response.body).toMatchObject({ status: 'cancelled', cancelReason: 'Patient moved away', cancelled: 34, remaining: 2 });
    expect(response.body.sessions.slice(0, 2).map((s: Session) => s.status)).toEqual(['scheduled', 'scheduled']);
    expect(new Set(response.body.sessions.slice(2).map((s: Session) => s.status))).toEqual(new Set(['cancelled']));
    const segments = await t.dataSource.query(
      'SELECT count(*)::int AS count FROM appointment_segments s JOIN appointments a ON a.id = s.appointment_id WHERE a.course_id = $1 AND s.active',
      [course.id],
    );
    expect(segments[0].count).toBe(2);
    const audit = await t.dataSource.query(
      `SELECT action, count(*)::int AS count FROM audit_log WHERE action IN ('appointment.cancel', 'course.cancel') AND (entity_id = $1 OR details->>'patientId' = $2) GROUP BY action ORDER BY action`,
      [course.id, patientId],
    );
    expect(audit).toEqual([
      { action: 'appointment.cancel', count: 34 },
      { action: 'course.cancel', count: 1 },
    ]);
    const again = await t.http().post(`/api/courses/${course.id}/cancel`).set(t.headers.front_desk).send({ reason: 'again' }).expect(409);
    expect(again.body.rule).toBe('status');
    await t.http().post('/api/courses/7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00/cancel').set(t.headers.front_desk).send({ reason: 'x' }).expect(404);
  });
});
