import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, createPatient, useStaffedClinic } from './support/factories';
import { SESSION_DAY, sessionClient, storedAppointment, vitalsBody } from './support/sessions';

describe('session workflow: a Spravato session from check-in to discharge', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  const s = sessionClient(t);
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY], 2);
  let appointmentId: string;
  let patientId: string;

  beforeAll(async () => {
    patientId = await createPatient(t.dataSource);
    ({ id: appointmentId } = await bookAppointment(t, { ...aurora.booking('spravato', SESSION_DAY, '09:00', 0), patientId }));
  });

  it('checks in only on the day of the appointment, and only once', async () => {
    const early = await s.checkIn(appointmentId).expect(409);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect(early.body).toMatchObject({ rule: 'check-in-day', currentStatus: 'scheduled' });

    t.clock.set(at(SESSION_DAY, '08:50'));
    const beforeCheckIn = await s.dose(appointmentId, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(409);
    expect(beforeCheckIn.body).toMatchObject({ rule: 'status', currentStatus: 'scheduled' });
    expect(beforeCheckIn.body.detail).toMatch(/is scheduled/);
    await s.vitals(appointmentId, vitalsBody('pre_dose')).expect(409);

    const checkedIn = await s.checkIn(appointmentId).expect(200);
    expect(checkedIn.body).toMatchObject({ id: appointmentId, status: 'checked_in' });
    const twice = await s.checkIn(appointmentId).expect(409);
    expect(twice.body).toMatchObject({ rule: 'status', currentStatus: 'checked_in' });
    expect(twice.body.detail).toContain('checked_in');
    const [event] = await t.dataSource.query(`SELECT occurred_at, recorded_by FROM session_events WHERE appointment_id = $1 AND kind = 'check_in'`, [
      appointmentId,
    ]);
    expect(event.occurred_at.toISOString()).toBe(new Date(at(SESSION_DAY, '08:50')).toISOString());
    expect(event.recorded_by).toEqual(expect.any(String));
  });

  it('refuses the dose without pre-dose vitals, then without a clearance of a BP above 140/90', async () => {
    const noVitals = await s.dose(appointmentId, { doseMg: 84, devices: 3, lotNumber: 'EKX4471' }).expect(409);
    expect(noVitals.body.rule).toBe('pre-dose-vitals');

    await s.vitals(appointmentId, vitalsBody('pre_dose', { systolic: 152, diastolic: 94, takenAt: at(SESSION_DAY, '08:48') })).expect(201);
    const high = await s.dose(appointmentId, { doseMg: 84, devices: 3, lotNumber: 'EKX4471' }).expect(409);
    expect(high.body).toMatchObject({ rule: 'dosing-clearance', currentStatus: 'checked_in' });
    expect(high.body.detail).toContain('152/94');
  });

  it("takes a provider's clearance (never a nurse's) and then doses 84 mg as three devices 5 minutes apart", async () => {
    await s.clear(appointmentId, 'Anxious on arrival; repeat BP trending down', 'nurse').expect(403);
    await s.clear(appointmentId, 'Anxious on arrival; repeat BP trending down', 'front_desk').expect(403);
    const empty = await s.clear(appointmentId, '   ').expect(400);
    expect(empty.body.errors[0].field).toBe('reason');
    const clearance = await s.clear(appointmentId, 'Anxious on arrival; repeat BP trending down').expect(201);
    expect(clearance.body).toMatchObject({ appointmentId, reason: 'Anxious on arrival; repeat BP trending down', clearedAt: at(SESSION_DAY, '08:50') });
    const again = await s.clear(appointmentId, 'again').expect(409);
    expect(again.body.rule).toBe('already-cleared');

    const bad: Array<[object, string]> = [
      [{ doseMg: 70, devices: 2, lotNumber: 'EKX4471' }, 'doseMg'],
      [{ doseMg: 84, devices: 2, lotNumber: 'EKX4471' }, 'devices'],
      [{ doseMg: 56, devices: 2, lotNumber: '' }, 'lotNumber'],
      [{ doseMg: 56, devices: 2 }, 'lotNumber'],
      [{ doseMg: '56', devices: 2, lotNumber: 'EKX4471' }, 'doseMg'],
      [{ doseMg: 56, devices: 2, lotNumber: 'EKX4471', administeredAt: '2027-08-02T09:15:00' }, 'administeredAt'],
      [{ doseMg: 56, devices: 2, lotNumber: 'EKX4471', administeredAt: at(SESSION_DAY, '09:30') }, 'administeredAt'],
      [{ doseMg: 56, devices: 2, lotNumber: 'EKX4471', administeredAt: at(SESSION_DAY, '08:30') }, 'administeredAt'],
      [{ doseMg: 56, devices: 2, lotNumber: 'EKX4471', mg: 56 }, 'mg'],
    ];
    for (const [body, field] of bad) {
      const response = await s.dose(appointmentId, body).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }

    t.clock.set(at(SESSION_DAY, '09:15'));
    const dosed = await s.dose(appointmentId, { doseMg: 84, devices: 3, lotNumber: 'EKX4471' }).expect(201);
    expect(dosed.body).toMatchObject({
      id: appointmentId,
      status: 'observing',
      earliestDischargeAt: at(SESSION_DAY, '11:25'),
      dose: { doseMg: 84, devices: 3, lotNumber: 'EKX4471', deviceTimes: [at(SESSION_DAY, '09:15'), at(SESSION_DAY, '09:20'), at(SESSION_DAY, '09:25')] },
      warnings: [expect.stringContaining('84 mg')],
    });
    const [dose] = await t.dataSource.query('SELECT device_times FROM doses WHERE appointment_id = $1', [appointmentId]);
    expect(dose.device_times.map((d: Date) => d.toISOString())).toEqual(['2027-08-02T15:15:00.000Z', '2027-08-02T15:20:00.000Z', '2027-08-02T15:25:00.000Z']);
    expect((await storedAppointment(t, appointmentId)).earliest_discharge_at!.toISOString()).toBe('2027-08-02T17:25:00.000Z');

    const twice = await s.dose(appointmentId, { doseMg: 84, devices: 3, lotNumber: 'EKX4471' }).expect(409);
    expect(twice.body).toMatchObject({ rule: 'status', currentStatus: 'observing' });
  });

  it('shows the session to the nurse: device times, clearance and the next vitals due', async () => {
    const session = await s.get('nurse', `/appointments/${appointmentId}/session`).expect(200);
    expect(session.body).toMatchObject({
      status: 'observing',
      checkedIn: { at: at(SESSION_DAY, '08:50') },
      earliestDischargeAt: at(SESSION_DAY, '11:25'),
      nextVitalsDueAt: at(SESSION_DAY, '09:55'),
      dose: { deviceTimes: [at(SESSION_DAY, '09:15'), at(SESSION_DAY, '09:20'), at(SESSION_DAY, '09:25')] },
      dosingClearances: [expect.objectContaining({ reason: 'Anxious on arrival; repeat BP trending down' })],
    });
    await s.get('front_desk', `/appointments/${appointmentId}/session`).expect(403);
  });

  it('refuses discharge at 119 minutes after the last device, and without a ride; lets the patient go at exactly 120', async () => {
    t.clock.set(at(SESSION_DAY, '09:55'));
    await s.vitals(appointmentId, vitalsBody('post_dose_40', { systolic: 138, diastolic: 86, sedationScore: 4, dissociationScore: 10 })).expect(201);
    t.clock.set(at(SESSION_DAY, '11:05'));
    await s
      .vitals(appointmentId, vitalsBody('discharge', { systolic: 128, diastolic: 80, sedationScore: 5, dissociationScore: 2, dissociationResolved: true }))
      .expect(201);

    t.clock.set(at(SESSION_DAY, '11:24'));
    const early = await s.discharge(appointmentId, { rideConfirmed: true }).expect(409);
    expect(early.body).toMatchObject({ rule: 'observation-minimum', currentStatus: 'observing' });
    expect(early.body.detail).toContain(at(SESSION_DAY, '11:25'));

    t.clock.set(at(SESSION_DAY, '11:25'));
    const noRide = await s.discharge(appointmentId, { rideConfirmed: false }).expect(409);
    expect(noRide.body.rule).toBe('ride-home');
    await s.discharge(appointmentId, {}).expect(409);
    const rideShare = await s.discharge(appointmentId, { rideConfirmed: true, rideShare: true }).expect(409);
    expect(rideShare.body.rule).toBe('ride-share-not-accepted');
    expect((await storedAppointment(t, appointmentId)).status).toBe('observing');

    const discharged = await s.discharge(appointmentId, { rideConfirmed: true, notes: 'Daughter drove' }).expect(200);
    expect(discharged.body).toMatchObject({ status: 'discharged', earliestDischargeAt: at(SESSION_DAY, '11:25') });
    const [event] = await t.dataSource.query(`SELECT occurred_at, ride_confirmed, notes FROM session_events WHERE appointment_id = $1 AND kind = 'discharge'`, [
      appointmentId,
    ]);
    expect(event).toMatchObject({ ride_confirmed: true, notes: 'Daughter drove' });
    expect(event.occurred_at.toISOString()).toBe('2027-08-02T17:25:00.000Z');
    const again = await s.discharge(appointmentId, { rideConfirmed: true }).expect(409);
    expect(again.body).toMatchObject({ rule: 'status', currentStatus: 'discharged' });
  });

  it('audited every step, with who did it', async () => {
    const audit = await t
      .http()
      .get(`/api/audit?entityType=appointment&entityId=${appointmentId}`)
      .set(await t.auth('admin'))
      .expect(200);
    const actions = audit.body.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['session.check-in', 'session.vitals.record', 'session.dosing-clearance', 'session.dose', 'session.discharge', 'session.read']),
    );
    const clearance = audit.body.find((e: { action: string }) => e.action === 'session.dosing-clearance');
    expect(clearance.actorRole).toBe('provider');
  });
});

describe('session workflow: Spravato refusals that need a session of their own', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  const s = sessionClient(t);
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY], 2);

  const bookAndCheckIn = async (chair: number, remsEnrolledAt?: Date | null) => {
    t.clock.set('2027-07-01T12:00:00Z');
    const patient = remsEnrolledAt === undefined ? {} : { remsEnrolledAt };
    const { id } = await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '09:00', chair), patient);
    t.clock.set(at(SESSION_DAY, '08:55'));
    await s.checkIn(id).expect(200);
    return id;
  };

  it('never doses a patient not enrolled in the REMS', async () => {
    const id = await bookAndCheckIn(1, null);
    await s.vitals(id, vitalsBody('pre_dose')).expect(201);
    const refused = await s.dose(id, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(409);
    expect(refused.body.rule).toBe('rems-enrolment');
    expect((await storedAppointment(t, id)).status).toBe('checked_in');
  });

  it('needs the BP about 40 minutes after dosing: one taken later is charted only with the reason why', async () => {
    const id = await bookAndCheckIn(2);
    await s.vitals(id, vitalsBody('pre_dose')).expect(201);
    t.clock.set(at(SESSION_DAY, '09:20'));
    const dosed = await s.dose(id, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(201);
    // 56 mg: devices at 09:20 and 09:25, so the earliest discharge is 11:25 and no warning.
    expect(dosed.body.earliestDischargeAt).toBe(at(SESSION_DAY, '11:25'));
    expect(dosed.body.warnings).toBeUndefined();
    t.clock.set(at(SESSION_DAY, '10:25'));
    const late = await s.vitals(id, vitalsBody('post_dose_40')).expect(400);
    expect(late.body.errors[0]).toMatchObject({ field: 'deviationReason' });
    expect(late.body.errors[0].message).toContain(`${at(SESSION_DAY, '09:50')} to ${at(SESSION_DAY, '10:20')}`);
    // A reading charted as something else at that time is no 40-minute BP either.
    await s.vitals(id, vitalsBody('other')).expect(201);
    t.clock.set(at(SESSION_DAY, '11:10'));
    await s.vitals(id, vitalsBody('discharge', { sedationScore: 5, dissociationResolved: true })).expect(201);
    t.clock.set(at(SESSION_DAY, '11:30'));
    const refused = await s.discharge(id, { rideConfirmed: true }).expect(409);
    expect(refused.body.rule).toBe('bp-40-minutes');
    expect(refused.body.detail).toContain(`${at(SESSION_DAY, '09:50')} to ${at(SESSION_DAY, '10:20')}`);
  });

  it('needs discharge vitals with sedation and dissociation resolved; a correction can supply them', async () => {
    const id = await bookAndCheckIn(3);
    await s.vitals(id, vitalsBody('pre_dose', { systolic: 140, diastolic: 90 })).expect(201);
    t.clock.set(at(SESSION_DAY, '09:15'));
    // 140/90 is not above the threshold: no clearance needed.
    await s.dose(id, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(201);
    t.clock.set(at(SESSION_DAY, '09:57'));
    await s.vitals(id, vitalsBody('post_dose_40', { sedationScore: 3, dissociationScore: 20 })).expect(201);

    t.clock.set(at(SESSION_DAY, '11:21'));
    const none = await s.discharge(id, { rideConfirmed: true }).expect(409);
    expect(none.body.rule).toBe('discharge-vitals');
    expect(none.body.unmet).toBeUndefined();

    const sedated = await s.vitals(id, vitalsBody('discharge', { sedationScore: 4, dissociationScore: 3, dissociationResolved: true })).expect(201);
    const stillSedated = await s.discharge(id, {}).expect(409);
    expect(stillSedated.body.rule).toBe('sedation-not-resolved');
    expect(stillSedated.body.unmet.map((u: { rule: string }) => u.rule)).toEqual(['sedation-not-resolved', 'ride-home']);

    // The nurse mis-typed the score: the correction replaces the entry, and the rules read the correction.
    await s
      .vitals(
        id,
        vitalsBody('discharge', {
          sedationScore: 5,
          dissociationScore: 3,
          dissociationResolved: true,
          correctsId: sedated.body.id,
          takenAt: at(SESSION_DAY, '11:21'),
        }),
      )
      .expect(201);
    await s.discharge(id, { rideConfirmed: true }).expect(200);
  });

  it('lets the provider clear a high reading, but a later high reading needs its own clearance', async () => {
    const id = await bookAndCheckIn(4);
    await s.vitals(id, vitalsBody('pre_dose', { systolic: 150 })).expect(201);
    await s.clear(id, 'Cleared after review').expect(201);
    await s.vitals(id, vitalsBody('pre_dose', { systolic: 120, diastolic: 95 })).expect(201);
    const refused = await s.dose(id, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(409);
    expect(refused.body.rule).toBe('dosing-clearance');
    await s.vitals(id, vitalsBody('pre_dose')).expect(201);
    const normal = await s.clear(id, 'not needed').expect(409);
    expect(normal.body.rule).toBe('clearance-not-needed');
    await s.dose(id, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(201);
  });

  it('starts a Spravato session (in_treatment) before dosing if the nurse wants to', async () => {
    const id = await bookAndCheckIn(5);
    await s.start(id).expect(200);
    await s.vitals(id, vitalsBody('pre_dose')).expect(201);
    const dosed = await s.dose(id, { doseMg: 56, devices: 2, lotNumber: 'EKX4471', administeredAt: at(SESSION_DAY, '08:56') }).expect(201);
    expect(dosed.body).toMatchObject({ status: 'observing', earliestDischargeAt: at(SESSION_DAY, '11:01') });
    await s.endTreatment(id).expect(409);
  });
});
