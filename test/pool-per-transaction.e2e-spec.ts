import { Client } from 'pg';
import { Response } from 'supertest';
import { ReminderDispatcher } from '../src/reminders/reminder-dispatcher.service';
import { useTestApp } from './support/app';
import { at, datesFrom } from './support/clinic-time';
import { createPatients, requestBooking, requestCourse, resourceIds, staffClinic } from './support/factories';
import { INBOUND, PUBLIC_BASE_URL, TWILIO_TOKEN, twilioSignature } from './support/twilio';

/**
 * Every query of a transaction goes through its own manager: one connection per transaction. A query
 * that reaches for the pool instead (`this.dataSource…`, a repository method called without the manager)
 * holds one connection and waits for a second; with every connection held by such a transaction, all of
 * them wait until the pool's 5 s connect timeout and answer 503. A pool of two makes that certain with a
 * dozen concurrent requests of each transactional kind. Queries sent at once on one transaction's manager
 * (Promise.all) would not stall but queue on its connection, which pg deprecates: they are caught too.
 */
const NOW = '2027-07-01T12:00:00Z';
const CONCURRENT = 12;
/** Far below the pool's 5 s connect timeout, which a request waiting for a second connection would reach. */
const FAST_MS = 3_000;
/** A Monday; courses run from it for a few weeks at Louisville and Westminster. */
const COURSE_START = '2027-08-09';

// Beyond the demo roster's horizon: only the shifts these tests add exist.
/** 07:00, 07:30, … : one TMS session after another on the first free device. */
const halfHours = (count: number) => Array.from({ length: count }, (_, i) => `${String(7 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);

interface Answer {
  status: number;
  ms: number;
  body: any;
}

/** Sends every request at once and times each answer. */
async function concurrently<T>(items: T[], send: (item: T, index: number) => Promise<Response>): Promise<Answer[]> {
  return Promise.all(
    items.map(async (item, index) => {
      const started = Date.now();
      const response = await send(item, index);
      return { status: response.status, ms: Date.now() - started, body: response.body };
    }),
  );
}

function expectAllFast(answers: Answer[], status: number): void {
  expect(answers.map((a) => (a.status === status ? status : `${a.status} ${a.body?.detail ?? ''}`))).toEqual(answers.map(() => status));
  expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(FAST_MS);
}

describe('one connection per transaction: a pool of two serves concurrent changes without stalling', () => {
  /** Queries handed to a connection still busy with another one (what pg warns about). */
  const queued: string[] = [];
  const query = Client.prototype.query;
  // Watches every connection the app will open: before useTestApp's beforeAll creates it.
  beforeAll(() => {
    type Busy = { _activeQuery: unknown; _queryQueue: unknown[] };
    Client.prototype.query = function (this: Client & Busy, ...args: unknown[]) {
      if (this._activeQuery || this._queryQueue.length > 0) queued.push(String((args[0] as { text?: string })?.text ?? args[0]).slice(0, 120));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
  });
  afterAll(() => {
    Client.prototype.query = query;
  });

  const t = useTestApp({ now: NOW, env: { DATABASE_POOL_SIZE: '2', TWILIO_AUTH_TOKEN: TWILIO_TOKEN, PUBLIC_BASE_URL } });
  let aurora: string;
  let louisville: string;
  let westminster: string;
  let chairs: string[];

  beforeAll(async () => {
    ({ aurora, louisville, westminster } = t.locations);
    chairs = await resourceIds(t.dataSource, 'aurora', 'treatment_chair');
    await staffClinic(t.dataSource, 'aurora', ['2027-08-03', '2027-08-04', '2027-08-06'], 3);
    await staffClinic(t.dataSource, 'louisville', ['2027-08-02'], 2);
    // Ketamine courses need a nurse on shift (recovery) on every day they may use.
    for (const code of ['louisville', 'westminster']) await staffClinic(t.dataSource, code, datesFrom(COURSE_START, 35), 1);
  });

  afterEach(() => {
    t.clock.set(NOW);
    expect(queued.splice(0)).toEqual([]);
  });

  const pendingReminders = async (patientIds: string[]) =>
    (await t.dataSource.query(`SELECT count(*)::int AS count FROM reminders WHERE patient_id = ANY($1::uuid[]) AND status = 'pending'`, [patientIds]))[0]
      .count as number;
  /** Twelve Spravato appointments at Aurora on `date`: six chairs at 07:00, six at 09:30 (150 minutes each). */
  const bookSpravatoDay = async (date: string) => {
    const ids: string[] = [];
    for (const [i, patientId] of (await createPatients(t.dataSource, CONCURRENT)).entries()) {
      const response = await requestBooking(t, {
        patientId,
        type: 'spravato',
        locationId: aurora,
        startsAt: at(date, i < 6 ? '07:00' : '09:30'),
        resourceId: chairs[i % 6],
      }).expect(201);
      ids.push(response.body.id);
    }
    return ids;
  };

  it('books TMS sessions (reminders planned, audited) on one connection each', async () => {
    const ids = await createPatients(t.dataSource, CONCURRENT, () => ({ smsOptIn: true }));
    const times = halfHours(CONCURRENT);
    const answers = await concurrently(ids, (patientId, i) =>
      requestBooking(t, { patientId, type: 'tms', locationId: aurora, startsAt: at('2027-08-02', times[i]) }),
    );
    expectAllFast(answers, 201);
    const [stored] = await t.dataSource.query(
      `SELECT (SELECT count(DISTINCT appointment_id)::int FROM reminders WHERE appointment_id = ANY($1::uuid[])) AS reminded,
              (SELECT count(*)::int FROM audit_log WHERE action = 'appointment.create' AND entity_id = ANY($1::varchar[])) AS audited`,
      [answers.map((a) => a.body.id)],
    );
    expect(stored).toEqual({ reminded: CONCURRENT, audited: CONCURRENT });
  });

  it('books Spravato (capacity lock, chair picked by the service) on one connection each', async () => {
    const ids = await createPatients(t.dataSource, CONCURRENT);
    const answers = await concurrently(ids, (patientId, i) =>
      requestBooking(t, { patientId, type: 'spravato', locationId: louisville, startsAt: at('2027-08-02', ['07:00', '09:30', '12:00'][i % 3]) }),
    );
    expectAllFast(answers, 201);
    expect(new Set(answers.map((a) => `${a.body.startsAt} ${a.body.resourceId}`)).size).toBe(CONCURRENT);
  });

  it('books and cancels whole ketamine courses (capacity lock, eligibility, a booking per session) on one connection each', async () => {
    const ids = await createPatients(t.dataSource, CONCURRENT);
    // Six courses per clinic, two hours apart: none needs another's chair at the same time.
    const courses = await concurrently(ids, (patientId, i) =>
      requestCourse(t, {
        patientId,
        protocol: 'ketamine-iv',
        locationId: i % 2 ? westminster : louisville,
        startDate: COURSE_START,
        preferredTime: ['07:00', '09:00', '11:00', '13:00', '15:00', '17:00'][i >> 1],
      }),
    );
    expectAllFast(courses, 201);
    expect(courses.map((c) => c.body.sessions.length)).toEqual(courses.map(() => 6));

    const cancelled = await concurrently(courses, (course) =>
      t.http().post(`/api/courses/${course.body.id}/cancel`).set(t.headers.front_desk).send({ reason: 'Moved away' }),
    );
    expectAllFast(cancelled, 200);
    const [{ open }] = await t.dataSource.query(`SELECT count(*)::int AS open FROM appointments WHERE course_id = ANY($1::uuid[]) AND status = 'scheduled'`, [
      courses.map((c) => c.body.id),
    ]);
    expect(open).toBe(0);
  });

  it('marks TMS course sessions as no-shows, the course listener booking a make-up in the same transaction, on one connection each', async () => {
    // A TMS course is 36 bookings in one transaction: booked one after another here, only the no-shows race.
    const courses: Array<{ id: string; firstSessionId: string }> = [];
    for (const [i, patientId] of (await createPatients(t.dataSource, CONCURRENT)).entries()) {
      const response = await requestCourse(t, {
        patientId,
        protocol: 'tms-standard',
        locationId: i % 2 ? westminster : louisville,
        startDate: COURSE_START,
        preferredTime: ['07:00', '08:30', '10:00', '11:30', '13:00', '14:30'][i >> 1],
      }).expect(201);
      courses.push({ id: response.body.id, firstSessionId: response.body.sessions[0].appointmentId });
    }
    t.clock.set(at(COURSE_START, '20:00'));
    const answers = await concurrently(courses, (course) => t.http().post(`/api/appointments/${course.firstSessionId}/no-show`).set(t.headers.nurse).send());
    expectAllFast(answers, 200);
    const [{ makeUps }] = await t.dataSource.query(
      `SELECT count(*)::int AS "makeUps" FROM audit_log WHERE action = 'course.make-up' AND entity_id = ANY($1::varchar[])`,
      [courses.map((c) => c.id)],
    );
    expect(makeUps).toBe(CONCURRENT);
  });

  it('reschedules Spravato appointments (capacity lock, reminders planned again) on one connection each', async () => {
    const ids = await bookSpravatoDay('2027-08-03');
    const answers = await concurrently(ids, (id, i) =>
      t
        .http()
        .patch(`/api/appointments/${id}`)
        .set(t.headers.front_desk)
        .send({ startsAt: at('2027-08-04', i < 6 ? '07:00' : '09:30') }),
    );
    expectAllFast(answers, 200);
    expect(answers.map((a) => a.body.startsAt.slice(0, 10))).toEqual(answers.map(() => '2027-08-04'));
  });

  it('cancels appointments (reminders cancelled, audited) on one connection each', async () => {
    const ids: string[] = [];
    const times = halfHours(CONCURRENT);
    const patientIds = await createPatients(t.dataSource, CONCURRENT, () => ({ smsOptIn: true }));
    for (const [i, patientId] of patientIds.entries()) {
      ids.push((await requestBooking(t, { patientId, type: 'tms', locationId: aurora, startsAt: at('2027-08-05', times[i]) }).expect(201)).body.id);
    }
    expect(await pendingReminders(patientIds)).toBeGreaterThan(0);
    const answers = await concurrently(ids, (id) =>
      t.http().post(`/api/appointments/${id}/cancel`).set(t.headers.front_desk).send({ reason: 'Patient unwell' }),
    );
    expectAllFast(answers, 200);
    expect(await pendingReminders(patientIds)).toBe(0);
  });

  it('checks patients in and records their vitals on one connection each', async () => {
    const ids = await bookSpravatoDay('2027-08-06');
    t.clock.set(at('2027-08-06', '06:45'));
    const checkIns = await concurrently(ids, (id) => t.http().post(`/api/appointments/${id}/check-in`).set(t.headers.nurse).send());
    expectAllFast(checkIns, 200);
    const vitals = await concurrently(ids, (id) =>
      t
        .http()
        .post(`/api/appointments/${id}/vitals`)
        .set(t.headers.nurse)
        .send({ timepoint: 'pre_dose', systolic: 124, diastolic: 78, heartRate: 72, spo2: 98 }),
    );
    expectAllFast(vitals, 201);
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM vitals WHERE appointment_id = ANY($1::uuid[])`, [ids]);
    expect(count).toBe(CONCURRENT);
  });

  it('opts patients out by STOP (pending texts cancelled, audited) on one connection each', async () => {
    const phones = Array.from({ length: CONCURRENT }, (_, i) => `+1303555${3000 + i}`);
    const times = halfHours(CONCURRENT);
    const ids = await createPatients(t.dataSource, CONCURRENT, (i) => ({ smsOptIn: true, phone: phones[i] }));
    for (const [i, patientId] of ids.entries()) {
      await requestBooking(t, { patientId, type: 'tms', locationId: aurora, startsAt: at('2027-08-10', times[i]) }).expect(201);
    }
    expect(await pendingReminders(ids)).toBeGreaterThan(0);
    const answers = await concurrently(phones, (phone, i) => {
      const form = {
        MessageSid: `SM${String(i).padStart(32, '0')}`,
        AccountSid: 'AC00000000000000000000000000000000',
        From: phone,
        To: '+13035550140',
        Body: 'STOP',
      };
      return t
        .http()
        .post(INBOUND)
        .type('form')
        .send(form)
        .set('X-Twilio-Signature', twilioSignature(`${PUBLIC_BASE_URL}${INBOUND}`, form));
    });
    expectAllFast(answers, 200);
    const [stored] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM patients WHERE id = ANY($1::uuid[]) AND sms_opt_in) AS "optedIn",
              (SELECT count(*)::int FROM audit_log WHERE action = 'patient.sms-opt-out' AND entity_id = ANY($1::varchar[])) AS audited`,
      [ids],
    );
    expect(stored).toEqual({ optedIn: 0, audited: CONCURRENT });
    expect(await pendingReminders(ids)).toBe(0);
  });

  it('answers replies (R: the times offered read from the calendar; HELP) on one connection each', async () => {
    const phones = Array.from({ length: CONCURRENT }, (_, i) => `+1303555${3100 + i}`);
    const times = halfHours(CONCURRENT);
    const ids = await createPatients(t.dataSource, CONCURRENT, (i) => ({ smsOptIn: true, phone: phones[i] }));
    const appointments: string[] = [];
    for (const [i, patientId] of ids.entries()) {
      appointments.push((await requestBooking(t, { patientId, type: 'tms', locationId: aurora, startsAt: at('2027-08-11', times[i]) }).expect(201)).body.id);
    }
    // At 10:00 (texts go out 08:00–20:00) the confirmations go out: each reply answers its patient's appointment.
    t.clock.set('2027-07-01T16:00:00Z');
    await t.app.get(ReminderDispatcher).dispatch();
    const answers = await concurrently(phones, (phone, i) => {
      const form = {
        MessageSid: `SM${String(100 + i).padStart(32, '0')}`,
        AccountSid: 'AC00000000000000000000000000000000',
        From: phone,
        To: '+13035550140',
        Body: i % 3 ? 'R' : 'HELP',
      };
      return t
        .http()
        .post(INBOUND)
        .type('form')
        .send(form)
        .set('X-Twilio-Signature', twilioSignature(`${PUBLIC_BASE_URL}${INBOUND}`, form));
    });
    expectAllFast(answers, 200);
    const [stored] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM appointments WHERE id = ANY($1::uuid[]) AND reschedule_requested_at IS NOT NULL) AS requested,
              (SELECT count(*)::int FROM sms_messages WHERE to_number = ANY($2::varchar[]) AND purpose IN ('reschedule_options', 'help')) AS answered`,
      [appointments, phones],
    );
    expect(stored).toEqual({ requested: 8, answered: CONCURRENT });
    t.clock.set(NOW);
  });
});
