import { useTestApp } from './support/app';
import { at, datesFrom } from './support/clinic-time';
import {
  addAuthorization,
  addMedicationTrial,
  bookCourse,
  createPatient,
  requestBooking,
  requestCourse,
  staffClinic,
  useStaffedClinic,
} from './support/factories';

const NOW = '2027-07-01T12:00:00Z';

describe('booking limits: horizon, course ownership, authorization, course spacing, holidays, MRI', () => {
  const t = useTestApp({ now: NOW });
  const aurora = useStaffedClinic(t, 'aurora', datesFrom('2027-08-02', 28, 'weekdays'), 2);

  const count = async (sql: string, params: unknown[]) => (await t.dataSource.query(sql, params))[0].n as number;

  describe('booking horizon', () => {
    it('refuses an appointment in the year 2190, and one a day past 400 days, and stores nothing', async () => {
      const patientId = await createPatient(t.dataSource);
      const far = await requestBooking(t, { patientId, type: 'tms', locationId: aurora.id, startsAt: '2190-01-06T09:00:00-07:00' }).expect(409);
      expect(far.headers['content-type']).toContain('application/problem+json');
      expect(far.body).toMatchObject({ rule: 'booking-horizon' });
      // 400 days after 1 July 2027 12:00 UTC is 4 August 2028 06:00 local: 09:00 on 4 August is past it, 3 August is not.
      await requestBooking(t, { patientId, type: 'tms', locationId: aurora.id, startsAt: at('2028-08-04', '09:00') }).expect(409);
      expect(await count('SELECT count(*)::int AS n FROM appointments WHERE patient_id = $1', [patientId])).toBe(0);
      await staffClinic(t.dataSource, 'aurora', ['2028-08-03']);
      await requestBooking(t, { patientId, type: 'tms', locationId: aurora.id, startsAt: at('2028-08-03', '09:00') }).expect(201);
    });

    it('lists no availability past the horizon', async () => {
      const response = await t
        .http()
        .get('/api/availability')
        .query({ type: 'tms', locationId: aurora.id, from: '2190-01-06T00:00:00-07:00', to: '2190-01-07T00:00:00-07:00' })
        .set(t.headers.front_desk)
        .expect(200);
      expect(response.body).toEqual([]);
    });

    it('refuses a course with a session past the horizon, naming that session', async () => {
      const patientId = await createPatient(t.dataSource);
      // A 36-session TMS course starting in the last weeks before the horizon runs past it (session 29, on 4 August 2028).
      const refused = await requestCourse(t, {
        patientId,
        protocol: 'tms-standard',
        locationId: aurora.id,
        startDate: '2028-06-26',
        preferredTime: '09:00',
      }).expect(409);
      expect(refused.body).toMatchObject({ rule: 'booking-horizon', sequence: expect.any(Number), phase: 'induction' });
      expect(refused.body.detail).toMatch(new RegExp(`Session ${refused.body.sequence} \\(induction\\) on 2028-08-0`));
      expect(await count('SELECT count(*)::int AS n FROM courses WHERE patient_id = $1', [patientId])).toBe(0);
    });
  });

  describe('a courseId must be the patient’s own course of the treatment', () => {
    it("refuses another patient's course (400 naming courseId), so cancelling that course never touches this patient", async () => {
      const [a, b] = [await createPatient(t.dataSource), await createPatient(t.dataSource)];
      const course = await bookCourse(t, { patientId: a, protocol: 'tms-itbs', locationId: aurora.id, startDate: '2027-08-02', preferredTime: '08:00' });
      const foreign = await requestBooking(t, {
        patientId: b,
        type: 'tms',
        locationId: aurora.id,
        startsAt: at('2027-08-03', '16:00'),
        courseId: course.id,
      }).expect(400);
      expect(foreign.body.errors).toEqual([{ field: 'courseId', message: expect.stringContaining("another patient's") }]);
      const wrongType = await requestBooking(t, {
        patientId: a,
        type: 'ketamine',
        locationId: aurora.id,
        startsAt: at('2027-08-03', '16:00'),
        courseId: course.id,
      }).expect(400);
      expect(wrongType.body.errors[0].field).toBe('courseId');
      expect(await count('SELECT count(*)::int AS n FROM appointments WHERE patient_id = $1', [b])).toBe(0);
      const own = await requestBooking(t, { patientId: b, type: 'tms', locationId: aurora.id, startsAt: at('2027-08-03', '16:00') }).expect(201);

      await t.http().post(`/api/courses/${course.id}/cancel`).set(t.headers.front_desk).send({ reason: 'moved away' }).expect(200);
      const [row] = await t.dataSource.query('SELECT status FROM appointments WHERE id = $1', [own.body.id]);
      expect(row.status).toBe('scheduled');
    });
  });

  describe('every booking counts against the authorization', () => {
    it('refuses the visit past the approved sessions by hand as for a course, unless a provider overrides it', async () => {
      const patientId = await createPatient(t.dataSource);
      await addMedicationTrial(t, patientId);
      await addMedicationTrial(t, patientId, { medication: 'bupropion', drugClass: 'NDRI' });
      await addAuthorization(t, patientId, { treatment: 'spravato', approvedSessions: 2, validFrom: '2027-07-01', validTo: '2027-12-31' });
      await requestBooking(t, { ...aurora.booking('spravato', '2027-08-02', '09:00'), patientId }).expect(201);
      await requestBooking(t, { ...aurora.booking('spravato', '2027-08-05', '09:00'), patientId }).expect(201);
      const third = await requestBooking(t, { ...aurora.booking('spravato', '2027-08-09', '09:00'), patientId }).expect(409);
      expect(third.body).toMatchObject({ rule: 'authorization-sessions', overridable: true });
      const overridden = await t
        .http()
        .post('/api/appointments')
        .set(t.headers.provider)
        .send({ ...aurora.booking('spravato', '2027-08-09', '09:00'), patientId, override: { reason: 'Renewal approved by phone' } })
        .expect(201);
      const [audit] = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'appointment.override' AND entity_id = $1`, [overridden.body.id]);
      expect(audit.details.rules).toEqual(['authorization-sessions']);
      const eligibility = await t.http().get(`/api/patients/${patientId}/eligibility`).query({ treatment: 'spravato' }).set(t.headers.front_desk).expect(200);
      expect(eligibility.body.authorization.remainingSessions).toBe(0);
    });

    it("refuses a date outside the authorization's window", async () => {
      const patientId = await createPatient(t.dataSource);
      await addAuthorization(t, patientId, { treatment: 'tms', approvedSessions: 30, validFrom: '2027-07-01', validTo: '2027-08-06' });
      const late = await requestBooking(t, { patientId, type: 'tms', locationId: aurora.id, startsAt: at('2027-08-09', '10:00') }).expect(409);
      expect(late.body.rule).toBe('authorization-expiry');
      await requestBooking(t, { patientId, type: 'tms', locationId: aurora.id, startsAt: at('2027-08-06', '10:00') }).expect(201);
    });
  });

  describe("a course's spacing holds for reschedules and single bookings in it", () => {
    it('refuses to move a ketamine infusion onto the day next to another of its course, or to add one there', async () => {
      const patientId = await createPatient(t.dataSource);
      const course = await bookCourse(t, { patientId, protocol: 'ketamine-iv', locationId: aurora.id, startDate: '2027-08-02', preferredTime: '10:00' });
      const [first, second, third] = course.sessions;
      expect([first.startsAt, second.startsAt, third.startsAt].map((s: string) => s.slice(0, 10))).toEqual(['2027-08-02', '2027-08-04', '2027-08-06']);
      const moved = await t
        .http()
        .patch(`/api/appointments/${third.appointmentId}`)
        .set(t.headers.front_desk)
        .send({ startsAt: at('2027-08-05', '10:00') })
        .expect(409);
      expect(moved.body).toMatchObject({ rule: 'course-spacing', conflicts: [{ appointmentId: second.appointmentId, reason: expect.any(String) }] });
      const added = await requestBooking(t, {
        patientId,
        type: 'ketamine',
        locationId: aurora.id,
        startsAt: at('2027-08-03', '10:00'),
        courseId: course.id,
      }).expect(409);
      expect(added.body.rule).toBe('course-spacing');
      // A move that keeps the spacing is accepted.
      await t
        .http()
        .patch(`/api/appointments/${third.appointmentId}`)
        .set(t.headers.front_desk)
        .send({ startsAt: at('2027-08-06', '14:00') })
        .expect(200);
    });
  });

  describe('public holidays, every year', () => {
    it('closes Memorial Day 2028 although no closure row exists, unless the clinic opens on it deliberately', async () => {
      const patientId = await createPatient(t.dataSource);
      await staffClinic(t.dataSource, 'aurora', ['2028-05-29']);
      expect(await count(`SELECT count(*)::int AS n FROM closures WHERE date = '2028-05-29'`, [])).toBe(0);
      const closed = await requestBooking(t, { patientId, type: 'tms', locationId: aurora.id, startsAt: at('2028-05-29', '09:00') }).expect(409);
      expect(closed.body).toMatchObject({ rule: 'clinic-closed' });
      expect(closed.body.detail).toContain('Memorial Day');

      const url = `/api/locations/${aurora.id}/settings`;
      await t
        .http()
        .patch(url)
        .set(t.headers.front_desk)
        .send({ holidayOpenings: ['2028-05-29'] })
        .expect(403);
      const notHoliday = await t
        .http()
        .patch(url)
        .set(t.headers.admin)
        .send({ holidayOpenings: ['2028-05-30'] })
        .expect(400);
      expect(notHoliday.body.errors[0].field).toBe('holidayOpenings');
      const settings = await t
        .http()
        .patch(url)
        .set(t.headers.admin)
        .send({ holidayOpenings: ['2028-05-29'] })
        .expect(200);
      expect(settings.body.holidayOpenings).toEqual(['2028-05-29']);
      await requestBooking(t, { patientId, type: 'tms', locationId: aurora.id, startsAt: at('2028-05-29', '09:00') }).expect(201);
      const read = await t.http().get(url).set(t.headers.nurse).expect(200);
      expect(read.body.upcomingHolidays).toContainEqual({ date: '2027-09-06', name: 'Labor Day', open: false });
      await t.http().patch(url).set(t.headers.admin).send({ holidayOpenings: [] }).expect(200);
    });
  });

  describe('accelerated TMS needs an MRI first', () => {
    const body = (patientId: string) => ({
      patientId,
      protocol: 'tms-accelerated',
      locationId: aurora.id,
      startDate: '2027-08-16',
      preferredTime: '08:00',
      dryRun: true,
    });

    it('warns without an MRI on file, refuses where the clinic says so, and is satisfied by one', async () => {
      const patient = (
        await t.http().post('/api/patients').set(t.headers.front_desk).send({
          firstName: 'Mri',
          lastName: 'Testpatient',
          dateOfBirth: '1980-02-02',
          phone: '+13035559911',
          smsOptIn: false,
          // Staff of several clinics register a patient at one of them.
          preferredLocationId: aurora.id,
        })
      ).body;
      const warned = await requestCourse(t, body(patient.id)).expect(200);
      expect(warned.body.warnings).toContainEqual(expect.stringContaining('needs a brain MRI first'));

      await t.http().patch(`/api/locations/${aurora.id}/settings`).set(t.headers.admin).send({ acceleratedTmsMri: 'refuse' }).expect(200);
      const refused = await requestCourse(t, body(patient.id)).expect(409);
      expect(refused.body.rule).toBe('mri-required');

      const future = await t.http().patch(`/api/patients/${patient.id}`).set(t.headers.front_desk).send({ mriDate: '2027-07-02' }).expect(400);
      expect(future.body.errors[0].field).toBe('mriDate');
      const updated = await t.http().patch(`/api/patients/${patient.id}`).set(t.headers.front_desk).send({ mriDate: '2027-06-20' }).expect(200);
      expect(updated.body.mriDate).toBe('2027-06-20');
      const planned = await requestCourse(t, body(patient.id)).expect(200);
      expect(planned.body.warnings.join(' ')).not.toContain('MRI');
      await t.http().patch(`/api/locations/${aurora.id}/settings`).set(t.headers.admin).send({ acceleratedTmsMri: 'warn' }).expect(200);
    });
  });
});
