import { EntityManager } from 'typeorm';
import { AppointmentEvents } from '../src/appointments/appointment-events';
import { AppointmentEntity } from '../src/appointments/appointment.entity';
import { useTestApp } from './support/app';
import { createPatients, requestBooking, requestCourse, resourceIds } from './support/factories';
import { storedCounts } from './support/reads';

const MONDAY = '2027-08-02';

describe('courses: all sessions or none, under concurrent bookings', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  /** Work a test runs while a course is being booked, between two of its sessions. */
  let duringCourse: ((appointment: AppointmentEntity) => Promise<void>) | undefined;

  beforeAll(async () => {
    t.app.get(AppointmentEvents).subscribe({
      async onAppointmentChanged() {},
      // Called as each session is about to be written: after the one before it.
      async companionsForBooking(_manager: EntityManager, draft: AppointmentEntity) {
        if (draft.courseId && duringCourse) await duringCourse(draft);
        return [];
      },
    });
  });

  afterEach(() => (duringCourse = undefined));

  it('plans again when another booking takes a planned slot while the course is being booked', async () => {
    const aurora = t.locations.aurora;
    const [patientId, intruder] = await createPatients(t.dataSource, 2);
    const body = { patientId, protocol: 'tms-standard', locationId: aurora, startDate: MONDAY, preferredTime: '09:00' };
    const plan = (await requestCourse(t, { ...body, dryRun: true }).expect(200)).body;
    const fifth = plan.sessions[4];

    // Once the course's first session is in, someone else books its fifth session's device and time (committed at once).
    let taken: string | undefined;
    duringCourse = async (appointment) => {
      if (taken || appointment.patientId !== patientId) return;
      const response = await requestBooking(t, {
        patientId: intruder,
        type: 'tms',
        locationId: aurora,
        startsAt: fifth.startsAt,
        resourceId: fifth.resourceId,
      }).expect(201);
      taken = response.body.id;
    };

    const response = await requestCourse(t, body).expect(201);
    expect(taken).toBeDefined();
    expect(response.body.sessions).toHaveLength(36);
    expect(response.body.warnings[0]).toMatch(/^Session 5's planned slot was taken by another booking .* planned again/);
    expect([response.body.sessions[4].startsAt, response.body.sessions[4].resourceId]).not.toEqual([fifth.startsAt, fifth.resourceId]);
    expect(await storedCounts(t, patientId)).toEqual({ courses: 1, appointments: 36 });
    expect(await storedCounts(t, intruder)).toEqual({ courses: 0, appointments: 1 });
  });

  it('answers 409 and stores nothing when a planned slot is taken again after planning anew', async () => {
    const aurora = t.locations.aurora;
    const [patientId, ...intruders] = await createPatients(t.dataSource, 3);
    const body = { patientId, protocol: 'tms-itbs', locationId: aurora, startDate: '2027-08-16', preferredTime: '11:00' };
    // Each time the course's 4th session goes in, someone else books the 5th as it is planned right then.
    let intrusions = 0;
    duringCourse = async (appointment) => {
      if (appointment.patientId !== patientId || appointment.sequence !== 4) return;
      const plan = (await requestCourse(t, { ...body, dryRun: true }).expect(200)).body;
      const fifth = plan.sessions[4];
      await requestBooking(t, {
        patientId: intruders[intrusions++],
        type: 'tms',
        locationId: aurora,
        startsAt: fifth.startsAt,
        resourceId: fifth.resourceId,
        durationMinutes: 15,
      }).expect(201);
    };
    const response = await requestCourse(t, body).expect(409);
    expect(intrusions).toBe(2);
    expect(response.body).toMatchObject({ rule: 'course-conflict' });
    expect(response.body.detail).toMatch(/^Session 5 could not be booked .* Nothing was booked/);
    expect(await storedCounts(t, patientId)).toEqual({ courses: 0, appointments: 0 });
    for (const intruder of intruders) expect(await storedCounts(t, intruder)).toEqual({ courses: 0, appointments: 1 });
  });

  it('gives one of two racing courses for the last capacity all its sessions, and the other none', async () => {
    // Louisville with one TMS device and room for one first (75-minute) session a day.
    const louisville = t.locations.louisville;
    const [, spare] = await resourceIds(t.dataSource, 'louisville', 'tms_device');
    await t.dataSource.query('UPDATE resources SET active = false WHERE id = $1', [spare]);
    await t
      .http()
      .put(`/api/locations/${louisville}/hours`)
      .set(t.headers.admin)
      .send([1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '10:15' })))
      .expect(200);

    const patients = await createPatients(t.dataSource, 2);
    const responses = await Promise.all(
      patients.map((patientId) => requestCourse(t, { patientId, protocol: 'tms-standard', locationId: louisville, startDate: MONDAY, preferredTime: '09:00' })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = responses.findIndex((r) => r.status === 409);
    expect(['course-unplaceable', 'course-conflict']).toContain(responses[loser].body.rule);
    expect(await storedCounts(t, patients[loser])).toEqual({ courses: 0, appointments: 0 });
    expect(await storedCounts(t, patients[1 - loser])).toEqual({ courses: 1, appointments: 36 });
  });
});
