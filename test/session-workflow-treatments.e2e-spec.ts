import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, createPatient, useStaffedClinic } from './support/factories';
import { SESSION_DAY, sessionClient, storedAppointment, vitalsBody } from './support/sessions';

const NOW = '2027-07-01T12:00:00Z';
const NEXT_DAY = '2027-08-03';

describe('session workflow: ketamine, ECT and TMS', () => {
  const t = useTestApp({ now: NOW });
  const s = sessionClient(t);
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY, NEXT_DAY], 2);

  it('ketamine: infusion, 30 minutes of recovery, discharge vitals and a ride', async () => {
    const { id } = await bookAppointment(t, aurora.booking('ketamine', SESSION_DAY, '10:00', 0));
    t.clock.set(at(SESSION_DAY, '09:55'));
    await s.checkIn(id).expect(200);
    await s.vitals(id, vitalsBody('pre_dose')).expect(201);
    const dose = await s.dose(id, { doseMg: 56, devices: 2, lotNumber: 'X1' }).expect(409);
    expect(dose.body.rule).toBe('treatment-type');
    const early = await s.endTreatment(id).expect(409);
    expect(early.body).toMatchObject({ rule: 'status', currentStatus: 'checked_in' });

    t.clock.set(at(SESSION_DAY, '10:00'));
    const started = await s.start(id).expect(200);
    expect(started.body.status).toBe('in_treatment');
    const session = await s.get('nurse', `/appointments/${id}/session`).expect(200);
    expect(session.body).toMatchObject({ started: { at: at(SESSION_DAY, '10:00') }, nextVitalsDueAt: at(SESSION_DAY, '10:15') });
    const tooSoon = await s.discharge(id, { rideConfirmed: true }).expect(409);
    expect(tooSoon.body).toMatchObject({ rule: 'status', currentStatus: 'in_treatment' });

    for (const time of ['10:15', '10:30']) {
      t.clock.set(at(SESSION_DAY, time));
      await s.vitals(id, vitalsBody('intra')).expect(201);
    }
    t.clock.set(at(SESSION_DAY, '10:40'));
    const ended = await s.endTreatment(id).expect(200);
    expect(ended.body).toMatchObject({ status: 'observing', earliestDischargeAt: at(SESSION_DAY, '11:10') });

    t.clock.set(at(SESSION_DAY, '11:09'));
    const recovering = await s.discharge(id, { rideConfirmed: true }).expect(409);
    expect(recovering.body.rule).toBe('recovery-time');
    t.clock.set(at(SESSION_DAY, '11:10'));
    const noVitals = await s.discharge(id, { rideConfirmed: true }).expect(409);
    expect(noVitals.body.rule).toBe('discharge-vitals');
    await s.vitals(id, vitalsBody('discharge')).expect(201);
    const noRide = await s.discharge(id, { notes: 'no one answering' }).expect(409);
    expect(noRide.body.rule).toBe('ride-home');
    // Aurora accepts no ride-share by default; a clinic that does lets one count.
    await t.dataSource.query('UPDATE locations SET ride_share_accepted = true WHERE id = $1', [aurora.id]);
    await s.discharge(id, { rideConfirmed: true, rideShare: true }).expect(200);
    await t.dataSource.query('UPDATE locations SET ride_share_accepted = false WHERE id = $1', [aurora.id]);
    expect((await storedAppointment(t, id)).status).toBe('discharged');
  });

  it('ECT: the recovery-bay time and a named adult escort before discharge', async () => {
    t.clock.set(NOW);
    const { id } = await bookAppointment(t, aurora.booking('ect', SESSION_DAY, '07:30'));
    t.clock.set(at(SESSION_DAY, '07:20'));
    await s.checkIn(id).expect(200);
    t.clock.set(at(SESSION_DAY, '07:30'));
    await s.start(id).expect(200);
    t.clock.set(at(SESSION_DAY, '07:55'));
    const recovery = await s.endTreatment(id).expect(200);
    expect(recovery.body).toMatchObject({ status: 'observing', earliestDischargeAt: at(SESSION_DAY, '08:25') });

    t.clock.set(at(SESSION_DAY, '08:20'));
    const early = await s.discharge(id, { rideConfirmed: true, escortName: 'Sam Rivera' }).expect(409);
    expect(early.body.rule).toBe('recovery-time');
    t.clock.set(at(SESSION_DAY, '08:25'));
    const noEscort = await s.discharge(id, { rideConfirmed: true }).expect(409);
    expect(noEscort.body.rule).toBe('escort');
    const taxi = await s.discharge(id, { rideConfirmed: true, rideShare: true, escortName: 'Driver' }).expect(409);
    expect(taxi.body.rule).toBe('escort');
    const done = await s.discharge(id, { rideConfirmed: true, escortName: 'Sam Rivera (spouse)' }).expect(200);
    expect(done.body.status).toBe('discharged');
    const [event] = await t.dataSource.query(`SELECT escort_name FROM session_events WHERE appointment_id = $1 AND kind = 'discharge'`, [id]);
    expect(event.escort_name).toBe('Sam Rivera (spouse)');
  });

  it('TMS: a record per session, the motor threshold in the first session of a course, no ride needed', async () => {
    t.clock.set(NOW);
    const patientId = await createPatient(t.dataSource);
    const { id: first } = await bookAppointment(t, { ...aurora.booking('tms', SESSION_DAY, '13:00'), patientId });
    const { id: second } = await bookAppointment(t, { ...aurora.booking('tms', NEXT_DAY, '13:00'), patientId });

    t.clock.set(at(SESSION_DAY, '12:55'));
    await s.checkIn(first).expect(200);
    const notStarted = await s.post('nurse', `/appointments/${first}/tms-record`, { intensityPercent: 120, pulses: 3000 }).expect(409);
    expect(notStarted.body).toMatchObject({ rule: 'status', currentStatus: 'checked_in' });
    await s.start(first).expect(200);

    const bad: Array<[object, string]> = [
      [{ intensityPercent: 300, pulses: 3000, motorThresholdPercent: 50 }, 'intensityPercent'],
      [{ intensityPercent: 120, pulses: 0, motorThresholdPercent: 50 }, 'pulses'],
      [{ intensityPercent: 120, pulses: 3000, motorThresholdPercent: 150 }, 'motorThresholdPercent'],
      [{ intensityPercent: 120 }, 'pulses'],
      [{ intensityPercent: 120, pulses: 3000, coil: 'F3' }, 'coil'],
    ];
    for (const [body, field] of bad) {
      const response = await s.post('nurse', `/appointments/${first}/tms-record`, body).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const noThreshold = await s.post('nurse', `/appointments/${first}/tms-record`, { intensityPercent: 120, pulses: 3000 }).expect(409);
    expect(noThreshold.body.rule).toBe('motor-threshold-required');
    const noRecord = await s.discharge(first, {}).expect(409);
    expect(noRecord.body.rule).toBe('tms-record');

    const record = await s
      .post('nurse', `/appointments/${first}/tms-record`, { motorThresholdPercent: 52, intensityPercent: 120, pulses: 3000, coilPosition: 'L-DLPFC, Beam F3' })
      .expect(201);
    expect(record.body).toMatchObject({
      motorThresholdPercent: 52,
      motorThresholdInEffect: 52,
      intensityPercent: 120,
      pulses: 3000,
      recordedAt: at(SESSION_DAY, '12:55'),
    });
    const twice = await s.post('nurse', `/appointments/${first}/tms-record`, { intensityPercent: 120, pulses: 3000 }).expect(409);
    expect(twice.body.rule).toBe('tms-record-exists');
    await s.discharge(first, {}).expect(200);

    t.clock.set(at(NEXT_DAY, '12:58'));
    await s.checkIn(second).expect(200);
    await s.start(second).expect(200);
    const later = await s.post('provider', `/appointments/${second}/tms-record`, { intensityPercent: 120, pulses: 3000 }).expect(201);
    expect(later.body).toMatchObject({ motorThresholdPercent: null, motorThresholdInEffect: 52 });
    await s.discharge(second, {}).expect(200);
  });

  it('refuses a TMS record or a treatment end on the wrong treatment, and walks a follow-up visit', async () => {
    t.clock.set(NOW);
    const { id: ketamine } = await bookAppointment(t, aurora.booking('ketamine', SESSION_DAY, '14:00', 1));
    const { id: visit } = await bookAppointment(t, aurora.booking('follow_up', SESSION_DAY, '15:00'));
    t.clock.set(at(SESSION_DAY, '13:55'));
    await s.checkIn(ketamine).expect(200);
    await s.start(ketamine).expect(200);
    const wrong = await s.post('nurse', `/appointments/${ketamine}/tms-record`, { intensityPercent: 120, pulses: 3000, motorThresholdPercent: 50 }).expect(409);
    expect(wrong.body.rule).toBe('treatment-type');

    await s.checkIn(visit).expect(200);
    await s.start(visit).expect(200);
    const wrongEnd = await s.endTreatment(visit).expect(409);
    expect(wrongEnd.body.rule).toBe('treatment-type');
    await s.discharge(visit, {}).expect(200);
  });

  it('cannot act on a cancelled appointment, nor an unknown one', async () => {
    t.clock.set(NOW);
    const { id } = await bookAppointment(t, aurora.booking('tms', SESSION_DAY, '16:00'));
    await s.post('front_desk', `/appointments/${id}/cancel`, { reason: 'Patient unwell' }).expect(200);
    t.clock.set(at(SESSION_DAY, '15:55'));
    const refused = await s.checkIn(id).expect(409);
    expect(refused.body).toMatchObject({ rule: 'status', currentStatus: 'cancelled' });
    await s.checkIn('7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00').expect(404);
    const badId = await s.checkIn('not-a-uuid').expect(400);
    expect(badId.body.errors[0].field).toBe('id');
  });
});
