import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, bookCourse, createPatient, createPatients, useStaffedClinic } from './support/factories';
import { remindersOf } from './support/reads';
import { sessionClient, vitalsBody } from './support/sessions';

const NOW = '2027-07-01T12:00:00Z';
const CLOSED_DAY = '2027-08-10';

describe('a closure added over a day with appointments', () => {
  const t = useTestApp({ now: NOW });
  const aurora = useStaffedClinic(t, 'aurora', [CLOSED_DAY, '2027-08-11'], 2);

  const worklist = async (status: 'open' | 'done' = 'open') =>
    (await t.http().get('/api/worklist').query({ locationId: aurora.id, status }).set(t.headers.front_desk).expect(200)).body.filter(
      (item: { kind: string }) => item.kind === 'closure-affected',
    );
  const statuses = async (appointmentId: string) => (await remindersOf(t, appointmentId)).map((r: { status: string }) => r.status);

  it('lists all three, puts them on the worklist and holds their texts until each is moved or cancelled, or the clinic reopens', async () => {
    const patients = await createPatients(t.dataSource, 3, () => ({ smsOptIn: true }));
    const spravato = await bookAppointment(t, { ...aurora.booking('spravato', CLOSED_DAY, '09:00'), patientId: patients[0] });
    const ketamine = await bookAppointment(t, { ...aurora.booking('ketamine', CLOSED_DAY, '13:00'), patientId: patients[1] });
    const tms = await bookAppointment(t, { type: 'tms', locationId: aurora.id, startsAt: at(CLOSED_DAY, '10:00'), patientId: patients[2] });
    for (const id of [spravato.id, ketamine.id, tms.id]) expect(await statuses(id)).toContain('pending');

    const closure = await t
      .http()
      .post(`/api/locations/${aurora.id}/closures`)
      .set(t.headers.admin)
      .send({ date: CLOSED_DAY, reason: 'Burst pipe' })
      .expect(201);
    expect(closure.body).toEqual({
      date: CLOSED_DAY,
      reason: 'Burst pipe',
      affectedAppointments: [
        { appointmentId: spravato.id, patientId: patients[0], startsAt: at(CLOSED_DAY, '09:00'), type: 'spravato' },
        { appointmentId: tms.id, patientId: patients[2], startsAt: at(CLOSED_DAY, '10:00'), type: 'tms' },
        { appointmentId: ketamine.id, patientId: patients[1], startsAt: at(CLOSED_DAY, '13:00'), type: 'ketamine' },
      ],
    });
    const open = await worklist();
    expect(open.map((item: { appointmentId: string }) => item.appointmentId).sort()).toEqual([spravato.id, ketamine.id, tms.id].sort());
    expect(open[0].detail).toContain('Burst pipe');
    // No text invites anyone to the closed clinic.
    for (const id of [spravato.id, ketamine.id, tms.id]) {
      const held = await statuses(id);
      expect(held).not.toContain('pending');
      expect(held).toContain('held');
    }
    const [due] = await t.dataSource.query(`SELECT count(*)::int AS n FROM reminders WHERE appointment_id = ANY($1::uuid[]) AND status = 'pending'`, [
      [spravato.id, ketamine.id, tms.id],
    ]);
    expect(due.n).toBe(0);

    // Moved: its item is done and its texts are planned for the new day.
    await t
      .http()
      .patch(`/api/appointments/${spravato.id}`)
      .set(t.headers.front_desk)
      .send({ startsAt: at('2027-08-11', '09:00') })
      .expect(200);
    const moved = await remindersOf(t, spravato.id);
    expect(moved.filter((r: { status: string }) => r.status === 'held')).toEqual([]);
    expect(moved.filter((r: { status: string }) => r.status === 'pending').length).toBeGreaterThan(0);
    // Cancelled: its item is done and its held texts are cancelled.
    await t.http().post(`/api/appointments/${ketamine.id}/cancel`).set(t.headers.front_desk).send({ reason: 'clinic closed' }).expect(200);
    expect(await statuses(ketamine.id)).not.toContain('held');
    expect((await worklist()).map((item: { appointmentId: string }) => item.appointmentId)).toEqual([tms.id]);
    const done = await worklist('done');
    expect(done.map((item: { resolution: string }) => item.resolution).sort()).toEqual(['cancelled', 'moved']);

    // The clinic reopens: the last item is done and its texts go out again.
    await t.http().delete(`/api/locations/${aurora.id}/closures/${CLOSED_DAY}`).set(t.headers.admin).expect(204);
    expect(await worklist()).toEqual([]);
    expect(await statuses(tms.id)).toContain('pending');
    expect(await statuses(tms.id)).not.toContain('held');
  });

  it('answers a closure on an empty day with no affected appointments', async () => {
    const response = await t
      .http()
      .post(`/api/locations/${aurora.id}/closures`)
      .set(t.headers.admin)
      .send({ date: '2027-08-20', reason: 'Training' })
      .expect(201);
    expect(response.body.affectedAppointments).toEqual([]);
  });
});

describe('recalls: patients due for a session with none booked', () => {
  const t = useTestApp({ now: NOW });
  const INFUSION_DAY = '2027-07-06';
  const aurora = useStaffedClinic(t, 'aurora', [INFUSION_DAY, '2027-08-09'], 2);

  const recalls = async (query: Record<string, string> = {}) =>
    (
      await t
        .http()
        .get('/api/recalls')
        .query({ locationId: aurora.id, ...query })
        .set(t.headers.front_desk)
        .expect(200)
    ).body;

  /** A ketamine infusion on INFUSION_DAY at `time`, through to discharge. */
  async function infused(patientId: string, time: string): Promise<string> {
    t.clock.set(NOW);
    const { id } = await bookAppointment(t, { ...aurora.booking('ketamine', INFUSION_DAY, time), patientId });
    const s = sessionClient(t);
    const [h, m] = time.split(':').map(Number);
    const clock = (minutes: number) =>
      at(INFUSION_DAY, `${String(h + Math.floor((m + minutes) / 60)).padStart(2, '0')}:${String((m + minutes) % 60).padStart(2, '0')}`);
    t.clock.set(clock(0));
    await s.checkIn(id).expect(200);
    await s.start(id).expect(200);
    t.clock.set(clock(40));
    await s.endTreatment(id).expect(200);
    t.clock.set(clock(70));
    await s.vitals(id, vitalsBody('discharge')).expect(201);
    await s.discharge(id, { rideConfirmed: true }).expect(200);
    return id;
  }

  it('recalls a ketamine booster 4 weeks after the last infusion, unless one is booked; and a TMS course left with nothing booked', async () => {
    const [due, booked] = await createPatients(t.dataSource, 2);
    await infused(due, '08:00');
    await infused(booked, '10:00');
    t.clock.set(NOW);
    await bookAppointment(t, { ...aurora.booking('ketamine', '2027-08-09', '10:00'), patientId: booked });

    const tmsPatient = await createPatient(t.dataSource);
    const course = await bookCourse(t, { patientId: tmsPatient, protocol: 'tms-itbs', locationId: aurora.id, startDate: '2027-07-12', preferredTime: '09:00' });
    for (const session of course.sessions) {
      await t.http().post(`/api/appointments/${session.appointmentId}/cancel`).set(t.headers.front_desk).send({ reason: 'travelling' }).expect(200);
    }

    t.clock.set(at('2027-08-02', '12:00'));
    expect((await recalls({ treatment: 'ketamine' })).map((r: { patientId: string }) => r.patientId)).toEqual([]);
    t.clock.set(at('2027-08-04', '12:00'));
    const list = await recalls();
    expect(list).toEqual(
      [
        {
          patientId: tmsPatient,
          treatment: 'tms',
          reason: 'tms-sessions-remaining',
          lastSessionAt: null,
          dueFrom: '2027-08-04',
          overdue: false,
          courseId: course.id,
        },
        {
          patientId: due,
          treatment: 'ketamine',
          reason: 'ketamine-booster',
          lastSessionAt: at(INFUSION_DAY, '08:00'),
          dueFrom: '2027-08-03',
          dueBy: '2027-08-17',
          overdue: false,
        },
      ].sort((a, b) => a.dueFrom.localeCompare(b.dueFrom)),
    );
    expect((await recalls({ treatment: 'tms' })).map((r: { reason: string }) => r.reason)).toEqual(['tms-sessions-remaining']);

    // The clinic's booster window is a setting.
    await t.http().patch(`/api/locations/${aurora.id}/settings`).set(t.headers.admin).send({ ketamineBoosterMinWeeks: 5 }).expect(200);
    expect(await recalls({ treatment: 'ketamine' })).toEqual([]);
    const wrong = await t.http().patch(`/api/locations/${aurora.id}/settings`).set(t.headers.admin).send({ ketamineBoosterMaxWeeks: 4 }).expect(400);
    expect(wrong.body.errors[0].field).toBe('ketamineBoosterMaxWeeks');
    const [audit] = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'recalls.read' ORDER BY id DESC LIMIT 1`);
    expect(audit.details).toMatchObject({ treatment: 'ketamine' });
  });

  it('needs a clinic, and is for staff', async () => {
    const missing = await t.http().get('/api/recalls').set(t.headers.front_desk).expect(400);
    expect(missing.body.errors[0].field).toBe('locationId');
    await t.http().get('/api/recalls').query({ locationId: aurora.id }).expect(401);
    await t.http().get('/api/recalls').query({ locationId: aurora.id }).set(t.headers.nurse).expect(200);
  });
});
