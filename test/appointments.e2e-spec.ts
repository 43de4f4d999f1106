import { inPreferenceOrder } from '../src/appointments/domain/slot-rules';
import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, createPatient, createPatients, requestBooking, resourceIds, staffClinic, useStaffedClinic } from './support/factories';

/** The chair the service picks for a patient when all are free. */
const preferredOf = (patientId: string, ids: string[]) =>
  inPreferenceOrder(
    ids.map((id) => ({ id })),
    patientId,
  )[0].id;

// Beyond the demo roster's horizon, so only the shifts these tests add exist.
const DAY = '2027-08-02'; // a Monday, MDT (-06:00)

describe('appointments: booking under the clinic rules', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  const aurora = useStaffedClinic(t, 'aurora', [DAY, '2027-08-03', '2027-08-04', '2027-08-05', '2027-08-06']);
  const louisville = useStaffedClinic(t, 'louisville', [DAY, '2027-08-03']);

  it('books a Spravato chair for the whole 150-minute occupancy and answers in clinic-local time', async () => {
    const patientId = await createPatient(t.dataSource);
    const response = await requestBooking(t, { ...aurora.booking('spravato', DAY, '09:00'), patientId }).expect(201);
    const chair = preferredOf(patientId, aurora.chairs);
    expect(response.body).toMatchObject({
      patientId,
      type: 'spravato',
      status: 'scheduled',
      locationId: aurora.id,
      resourceId: chair,
      startsAt: '2027-08-02T09:00:00-06:00',
      endsAt: '2027-08-02T11:30:00-06:00',
      occupancy: { startsAt: '2027-08-02T09:00:00-06:00', endsAt: '2027-08-02T11:30:00-06:00' },
      segments: [{ resourceId: chair, kind: 'treatment', startsAt: '2027-08-02T09:00:00-06:00', endsAt: '2027-08-02T11:30:00-06:00' }],
      observation: { startsAt: '2027-08-02T09:15:00-06:00', endsAt: '2027-08-02T11:30:00-06:00' },
    });
    const [stored] = await t.dataSource.query('SELECT starts_at, occupancy_ends_at, created_by FROM appointments WHERE id = $1', [response.body.id]);
    expect(stored.starts_at.toISOString()).toBe('2027-08-02T15:00:00.000Z');
    expect(stored.occupancy_ends_at.toISOString()).toBe('2027-08-02T17:30:00.000Z');
    const [audit] = await t.dataSource.query(`SELECT actor_role FROM audit_log WHERE entity_id = $1 AND action = 'appointment.create'`, [response.body.id]);
    expect(audit.actor_role).toBe('front_desk');
  });

  it('without resourceId, gives a patient the same chair whenever it is free, and spreads patients over the chairs', async () => {
    const louisvilleChairs = louisville.chairs;
    await staffClinic(t.dataSource, 'louisville', ['2027-08-11', '2027-08-12', '2027-08-13'], 1);
    const patients = await createPatients(t.dataSource, 4);
    const picked: string[] = [];
    for (const [index, patientId] of patients.entries()) {
      // Ketamine at Louisville on a day of its own, one patient after another (105 min each): every chair free.
      const first = await requestBooking(t, {
        patientId,
        type: 'ketamine',
        locationId: louisville.id,
        startsAt: at('2027-08-11', `${String(8 + 2 * index).padStart(2, '0')}:00`),
      });
      expect(first.status).toBe(201);
      expect(first.body.resourceId).toBe(preferredOf(patientId, louisvilleChairs));
      picked.push(first.body.resourceId);
    }
    // The same patient the next day: the same chair again.
    const again = await requestBooking(t, { ...louisville.booking('ketamine', '2027-08-12', '09:00'), patientId: patients[0] });
    expect(again.status).toBe(201);
    expect(again.body.resourceId).toBe(picked[0]);
    // When that chair is taken, the patient's next choice (another day: one infusion a day).
    const [other] = await createPatients(t.dataSource, 1);
    await requestBooking(t, {
      patientId: other,
      type: 'ketamine',
      locationId: louisville.id,
      startsAt: at('2027-08-13', '13:00'),
      resourceId: picked[0],
    }).expect(201);
    const fallback = await requestBooking(t, { ...louisville.booking('ketamine', '2027-08-13', '13:00'), patientId: patients[0] });
    expect(fallback.status).toBe(201);
    expect(fallback.body.resourceId).toBe(
      inPreferenceOrder(
        louisvilleChairs.map((id) => ({ id })),
        patients[0],
      )[1].id,
    );
  });

  it('keeps the chair through the observation window: the next Spravato patient may start only when it ends', async () => {
    const [first, second, third] = await createPatients(t.dataSource, 3);
    await requestBooking(t, { ...aurora.booking('spravato', '2027-08-03', '13:00', 2), patientId: first }).expect(201);
    const blocked = await requestBooking(t, { ...aurora.booking('spravato', '2027-08-03', '15:15', 2), patientId: second }).expect(409);
    expect(blocked.headers['content-type']).toContain('application/problem+json');
    expect(blocked.body).toMatchObject({ status: 409, rule: 'resource-overlap', conflicts: [expect.objectContaining({ resourceId: aurora.chairs[2] })] });
    expect(blocked.body.detail).toMatch(/occupied/);
    await requestBooking(t, { ...aurora.booking('spravato', '2027-08-03', '15:30', 2), patientId: third }).expect(201);
  });

  // How fast the losers hear is measured by the bench's hot-slot scenario (npm run bench), not timed here.
  it('gives exactly one 201 to 32 concurrent requests for one chair and time, and 409s naming the rule to the rest', async () => {
    const patients = await createPatients(t.dataSource, 32);
    const results = await Promise.all(
      patients.map(async (patientId) => {
        const response = await requestBooking(t, { ...aurora.booking('spravato', '2027-08-04', '10:00', 3), patientId });
        return { status: response.status, rule: response.body.rule };
      }),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(31);
    for (const r of results.filter((x) => x.status === 409)) expect(['resource-overlap', 'nurse-capacity']).toContain(r.rule);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM appointment_segments WHERE resource_id = $1 AND active AND starts_at::date = '2027-08-04'`,
      [aurora.chairs[3]],
    );
    expect(count).toBe(1);
  });

  it('never books one patient in two places, even in two clinics at once', async () => {
    const patientId = await createPatient(t.dataSource);
    const [a, b] = await Promise.all([
      requestBooking(t, { ...aurora.booking('tms', DAY, '12:00'), patientId }),
      requestBooking(t, { ...louisville.booking('tms', DAY, '12:15'), patientId }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const refused = a.status === 409 ? a : b;
    expect(refused.body.rule).toBe('patient-overlap');
    const later = await requestBooking(t, { ...louisville.booking('spravato', DAY, '11:00'), patientId }).expect(409);
    expect(later.body).toMatchObject({ rule: 'patient-overlap', conflicts: [expect.objectContaining({ appointmentId: expect.any(String) })] });
  });

  it('refuses a closed clinic and times outside opening hours', async () => {
    const patientId = await createPatient(t.dataSource);
    await t.dataSource.query(`INSERT INTO closures (location_id, date, reason) VALUES ($1, '2027-08-05', 'Staff training')`, [aurora.id]);
    const closed = await requestBooking(t, { ...aurora.booking('tms', '2027-08-05', '10:00'), patientId }).expect(409);
    expect(closed.body.rule).toBe('clinic-closed');
    const late = await requestBooking(t, { ...aurora.booking('spravato', DAY, '17:00'), patientId }).expect(409);
    expect(late.body.rule).toBe('outside-opening-hours');
    expect(late.body.detail).toMatch(/17:00–19:30/);
    const saturday = await requestBooking(t, { ...aurora.booking('tms', '2027-08-07', '10:00'), patientId }).expect(409);
    expect(saturday.body.rule).toBe('outside-opening-hours');
  });

  it('counts observation against nurses on shift × 4 and frees a place on cancellation', async () => {
    // Westminster: one nurse and one provider in the afternoon only.
    const westminster = t.locations.westminster;
    await staffClinic(t.dataSource, 'westminster', ['2027-08-06'], 1);
    const patients = await createPatients(t.dataSource, 5);
    const ids: string[] = [];
    for (const patientId of patients.slice(0, 4)) {
      const response = await requestBooking(t, { patientId, type: 'spravato', locationId: westminster, startsAt: at('2027-08-06', '09:00') }).expect(201);
      ids.push(response.body.id);
    }
    // Four chairs are taken, so the fifth patient goes to Aurora's… no: a ketamine patient later, on a free chair, in the same observation time.
    await t.dataSource.query(`INSERT INTO resources (location_id, name, kind) VALUES ($1, 'Chair 5', 'treatment_chair')`, [westminster]);
    const full = await requestBooking(t, { patientId: patients[4], type: 'ketamine', locationId: westminster, startsAt: at('2027-08-06', '09:30') }).expect(
      409,
    );
    expect(full.body.rule).toBe('nurse-capacity');
    expect(full.body.conflicts).toHaveLength(4);
    await t.http().post(`/api/appointments/${ids[0]}/cancel`).set(t.headers.front_desk).send({ reason: 'Patient unwell' }).expect(200);
    await requestBooking(t, { patientId: patients[4], type: 'ketamine', locationId: westminster, startsAt: at('2027-08-06', '09:30') }).expect(201);
  });

  it('books ECT in the suite and then a recovery bay, as one appointment', async () => {
    const patientId = await createPatient(t.dataSource);
    const response = await requestBooking(t, { ...aurora.booking('ect', DAY, '07:30'), patientId }).expect(201);
    const [suite] = await resourceIds(t.dataSource, 'aurora', 'ect_suite');
    const bays = await resourceIds(t.dataSource, 'aurora', 'recovery_bay');
    expect(response.body.segments).toEqual([
      { resourceId: suite, kind: 'treatment', startsAt: '2027-08-02T07:30:00-06:00', endsAt: '2027-08-02T08:00:00-06:00' },
      { resourceId: preferredOf(response.body.patientId, bays), kind: 'recovery', startsAt: '2027-08-02T08:00:00-06:00', endsAt: '2027-08-02T08:45:00-06:00' },
    ]);
    expect(response.body.occupancy).toEqual({ startsAt: '2027-08-02T07:30:00-06:00', endsAt: '2027-08-02T08:45:00-06:00' });
    // Louisville has no ECT suite.
    const none = await requestBooking(t, {
      patientId: await createPatient(t.dataSource),
      type: 'ect',
      locationId: louisville.id,
      startsAt: at(DAY, '07:30'),
    }).expect(409);
    expect(none.body.rule).toBe('no-resource-available');
  });

  it('warns when a Spravato patient is not yet REMS-enrolled, and books anyway', async () => {
    const patientId = await createPatient(t.dataSource, { remsEnrolledAt: null });
    const response = await requestBooking(t, { ...louisville.booking('spravato', DAY, '13:00'), patientId }).expect(201);
    expect(response.body.warnings).toEqual([expect.stringMatching(/REMS/)]);
  });

  it('books intake and follow-up against a provider on shift; telehealth holds no room', async () => {
    const [p1, p2, p3] = await createPatients(t.dataSource, 3);
    const intake = await requestBooking(t, { ...louisville.booking('intake', DAY, '09:00'), patientId: p1 }).expect(201);
    expect(intake.body).toMatchObject({ resourceId: null, segments: [], providerId: expect.any(String), endsAt: '2027-08-02T10:00:00-06:00' });
    const clash = await requestBooking(t, {
      patientId: p2,
      type: 'follow_up',
      locationId: louisville.id,
      startsAt: at(DAY, '09:30'),
      providerId: intake.body.providerId,
    }).expect(409);
    expect(clash.body.rule).toBe('provider-overlap');
    const tele = await requestBooking(t, {
      patientId: p3,
      type: 'follow_up',
      locationId: louisville.id,
      startsAt: at(DAY, '10:00'),
      mode: 'telehealth',
    }).expect(201);
    expect(tele.body).toMatchObject({ mode: 'telehealth', resourceId: null });
    const badMode = await requestBooking(t, { patientId: p3, type: 'tms', locationId: louisville.id, startsAt: at(DAY, '15:00'), mode: 'telehealth' }).expect(
      400,
    );
    expect(badMode.body.errors[0].field).toBe('mode');
  });

  it('refuses bad input with a 400 naming the field and stores nothing', async () => {
    const patientId = await createPatient(t.dataSource);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ patientId, type: 'tms', locationId: aurora.id, startsAt: '2027-08-02T10:00:00' }, 'startsAt'],
      [{ patientId, type: 'massage', locationId: aurora.id, startsAt: at(DAY, '10:00') }, 'type'],
      [{ patientId: 'nope', type: 'tms', locationId: aurora.id, startsAt: at(DAY, '10:00') }, 'patientId'],
      [{ patientId, type: 'tms', locationId: aurora.id, startsAt: at(DAY, '10:00'), color: 'red' }, 'color'],
      [{ patientId, type: 'tms', locationId: aurora.id, startsAt: '2027-02-30T10:00:00-07:00' }, 'startsAt'],
      [{ patientId: '7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00', type: 'tms', locationId: aurora.id, startsAt: at(DAY, '10:00') }, 'patientId'],
      [{ patientId, type: 'tms', locationId: aurora.id, startsAt: at(DAY, '10:00'), resourceId: aurora.chairs[0] }, 'resourceId'],
      [{ patientId, type: 'spravato', locationId: aurora.id, startsAt: at(DAY, '10:00'), durationMinutes: 60 }, 'durationMinutes'],
    ];
    for (const [body, field] of cases) {
      const response = await requestBooking(t, body).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM appointments WHERE patient_id = $1', [patientId]);
    expect(count).toBe(0);
  });

  it('lets only front desk and admin book; nurses read', async () => {
    const patientId = await createPatient(t.dataSource);
    await t
      .http()
      .post('/api/appointments')
      .set(t.headers.nurse)
      .send({ ...aurora.booking('tms', DAY, '16:00'), patientId })
      .expect(403);
    await t.http().get(`/api/appointments?locationId=${aurora.id}&date=${DAY}`).set(t.headers.nurse).expect(200);
    await t
      .http()
      .post('/api/appointments')
      .send({ ...aurora.booking('tms', DAY, '16:00'), patientId })
      .expect(401);
  });

  it('lists a clinic day and a patient range in time order', async () => {
    // TMS needs no staff on shift: a Monday and Tuesday of their own.
    const [monday, tuesday] = ['2027-08-16', '2027-08-17'];
    const patientId = await createPatient(t.dataSource);
    const afternoon = await bookAppointment(t, { ...aurora.booking('tms', monday, '14:00'), patientId });
    const morning = await bookAppointment(t, aurora.booking('tms', monday, '08:00'));
    const noon = await bookAppointment(t, aurora.booking('tms', monday, '11:30'));
    const elsewhere = await bookAppointment(t, louisville.booking('tms', monday, '09:00'));
    const nextDay = await bookAppointment(t, { ...aurora.booking('tms', tuesday, '07:00'), patientId });

    const day = await t.http().get('/api/appointments').query({ locationId: aurora.id, date: monday }).set(t.headers.front_desk).expect(200);
    expect(day.body.map((a: { id: string; startsAt: string }) => [a.id, a.startsAt])).toEqual([
      [morning.id, '2027-08-16T08:00:00-06:00'],
      [noon.id, '2027-08-16T11:30:00-06:00'],
      [afternoon.id, '2027-08-16T14:00:00-06:00'],
    ]);
    expect(day.body.map((a: { id: string }) => a.id)).not.toContain(elsewhere.id);

    const patient = await t.http().get('/api/appointments').query({ patientId }).set(t.headers.front_desk).expect(200);
    expect(patient.body.map((a: { id: string }) => a.id)).toEqual([afternoon.id, nextDay.id]);
    const ranged = await t
      .http()
      .get('/api/appointments')
      .query({ patientId, from: at(tuesday, '00:00'), to: at('2027-08-18', '00:00') })
      .set(t.headers.front_desk)
      .expect(200);
    expect(ranged.body.map((a: { id: string }) => a.id)).toEqual([nextDay.id]);
    await t.http().get(`/api/appointments?locationId=${aurora.id}`).set(t.headers.front_desk).expect(400);
  });
});

describe('appointments: idempotency, reschedule, cancel, no-show', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  const aurora = useStaffedClinic(t, 'aurora', [DAY, '2027-08-03'], 2);

  it('replays the first response for the same Idempotency-Key and body, and creates nothing new', async () => {
    const patientId = await createPatient(t.dataSource);
    const body = { ...aurora.booking('tms', DAY, '08:00'), patientId };
    const first = await requestBooking(t, body, { 'Idempotency-Key': 'key-1' }).expect(201);
    const again = await requestBooking(t, { ...body }, { 'Idempotency-Key': 'key-1' }).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await requestBooking(t, { ...body, startsAt: at(DAY, '08:30') }, { 'Idempotency-Key': 'key-1' }).expect(422);
    expect(other.headers['content-type']).toContain('application/problem+json');
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM appointments WHERE patient_id = $1', [patientId]);
    expect(count).toBe(1);
  });

  it('creates once when the same key arrives concurrently', async () => {
    const patientId = await createPatient(t.dataSource);
    const body = { ...aurora.booking('tms', DAY, '09:00'), patientId };
    const responses = await Promise.all([1, 2, 3, 4].map(() => requestBooking(t, body, { 'Idempotency-Key': 'key-concurrent' })));
    expect(responses.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of responses) expect([201, 409]).toContain(r.status);
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM appointments WHERE patient_id = $1', [patientId]);
    expect(count).toBe(1);
  });

  it('reschedules atomically under the same rules; a refused move changes nothing', async () => {
    const [p1, p2] = await createPatients(t.dataSource, 2);
    const a = await requestBooking(t, { ...aurora.booking('spravato', DAY, '09:00', 4), patientId: p1 }).expect(201);
    await requestBooking(t, { ...aurora.booking('spravato', DAY, '12:00', 4), patientId: p2 }).expect(201);
    const refused = await t
      .http()
      .patch(`/api/appointments/${a.body.id}`)
      .set(t.headers.front_desk)
      .send({ startsAt: at(DAY, '11:00'), resourceId: aurora.chairs[4] })
      .expect(409);
    expect(refused.body.rule).toBe('resource-overlap');
    const unchanged = await t.http().get(`/api/appointments/${a.body.id}`).set(t.headers.front_desk).expect(200);
    expect(unchanged.body.startsAt).toBe('2027-08-02T09:00:00-06:00');
    expect(unchanged.body.segments[0].startsAt).toBe('2027-08-02T09:00:00-06:00');

    const moved = await t
      .http()
      .patch(`/api/appointments/${a.body.id}`)
      .set(t.headers.front_desk)
      .send({ startsAt: at(DAY, '09:30') })
      .expect(200);
    expect(moved.body).toMatchObject({
      startsAt: '2027-08-02T09:30:00-06:00',
      resourceId: aurora.chairs[4],
      occupancy: { endsAt: '2027-08-02T12:00:00-06:00' },
    });
    const segments = await t.dataSource.query('SELECT starts_at FROM appointment_segments WHERE appointment_id = $1', [a.body.id]);
    expect(segments).toHaveLength(1);
    expect(segments[0].starts_at.toISOString()).toBe('2027-08-02T15:30:00.000Z');
    // The old time is free again.
    await requestBooking(t, { patientId: await createPatient(t.dataSource), type: 'tms', locationId: aurora.id, startsAt: at(DAY, '09:00') }).expect(201);
    await t.http().patch(`/api/appointments/${a.body.id}`).set(t.headers.front_desk).send({}).expect(400);
    const audit = await t.dataSource.query(`SELECT details FROM audit_log WHERE entity_id = $1 AND action = 'appointment.reschedule'`, [a.body.id]);
    expect(audit).toHaveLength(1);
  });

  it('cancels with a reason, frees the chair at once, and refuses to cancel twice', async () => {
    const [p1, p2] = await createPatients(t.dataSource, 2);
    const a = await requestBooking(t, { ...aurora.booking('ketamine', DAY, '14:00', 5), patientId: p1 }).expect(201);
    await requestBooking(t, { ...aurora.booking('ketamine', DAY, '14:00', 5), patientId: p2 }).expect(409);
    const cancelled = await t.http().post(`/api/appointments/${a.body.id}/cancel`).set(t.headers.front_desk).send({ reason: 'Patient request' }).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Patient request' });
    await requestBooking(t, { ...aurora.booking('ketamine', DAY, '14:00', 5), patientId: p2 }).expect(201);
    const twice = await t.http().post(`/api/appointments/${a.body.id}/cancel`).set(t.headers.front_desk).send({ reason: 'again' }).expect(409);
    expect(twice.body.rule).toBe('status');
    await t.http().post(`/api/appointments/${a.body.id}/cancel`).set(t.headers.front_desk).send({}).expect(400);
    const audit = await t.http().get(`/api/audit?entityType=appointment&entityId=${a.body.id}`).set(t.headers.admin).expect(200);
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['appointment.create', 'appointment.cancel']));
  });

  it('marks a no-show only once the appointment has started, and frees the resource', async () => {
    const patientId = await createPatient(t.dataSource);
    const a = await requestBooking(t, { ...aurora.booking('tms', '2027-08-03', '10:00'), patientId }).expect(201);
    const early = await t.http().post(`/api/appointments/${a.body.id}/no-show`).set(t.headers.front_desk).expect(409);
    expect(early.body.rule).toBe('no-show-too-early');
    t.clock.set('2027-08-03T16:10:00Z');
    try {
      await t.http().post(`/api/appointments/${a.body.id}/no-show`).set(t.headers.front_desk).send({ reason: '' }).expect(400);
      const done = await t
        .http()
        .post(`/api/appointments/${a.body.id}/no-show`)
        .set(t.headers.front_desk)
        .send({ reason: 'No answer on two calls' })
        .expect(200);
      expect(done.body.status).toBe('no_show');
      expect(done.body.cancelReason).toBe('No answer on two calls');
      const [stored] = await t.dataSource.query('SELECT cancel_reason FROM appointments WHERE id = $1', [a.body.id]);
      expect(stored.cancel_reason).toBe('No answer on two calls');
      const [segment] = await t.dataSource.query('SELECT active FROM appointment_segments WHERE appointment_id = $1', [a.body.id]);
      expect(segment.active).toBe(false);
    } finally {
      t.clock.set('2027-07-01T12:00:00Z');
    }
    await t.http().get('/api/appointments/7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00').set(t.headers.front_desk).expect(404);
  });
});
