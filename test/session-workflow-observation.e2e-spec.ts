import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, resourceIds, useStaffedClinic } from './support/factories';
import { SESSION_DAY, sessionClient, vitalsBody } from './support/sessions';

describe('session workflow: the observation board', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  const s = sessionClient(t);
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY], 2);
  let bays: string[];
  let spravato: string;
  let nextOnChair: string;
  let ketamine: string;
  let ect: string;

  const board = async (role: 'nurse' | 'front_desk' = 'nurse') => (await s.get(role, `/locations/${aurora.id}/observation`).expect(200)).body;
  const entry = async (id: string) => (await board()).find((e: { appointmentId: string }) => e.appointmentId === id);

  beforeAll(async () => {
    bays = await resourceIds(t.dataSource, 'aurora', 'recovery_bay');
    ({ id: spravato } = await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '09:00', 0)));
    ({ id: nextOnChair } = await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '11:30', 0)));
    ({ id: ketamine } = await bookAppointment(t, aurora.booking('ketamine', SESSION_DAY, '10:00', 1)));
    ({ id: ect } = await bookAppointment(t, aurora.booking('ect', SESSION_DAY, '07:30')));
  });

  it('shows an ECT patient in the recovery bay they occupy, with no vitals schedule', async () => {
    t.clock.set(at(SESSION_DAY, '07:20'));
    await s.checkIn(ect).expect(200);
    expect(await board()).toEqual([]);
    t.clock.set(at(SESSION_DAY, '07:30'));
    await s.start(ect).expect(200);
    expect(await entry(ect)).toBeUndefined();
    t.clock.set(at(SESSION_DAY, '07:55'));
    await s.endTreatment(ect).expect(200);
    const recovering = await entry(ect);
    // The bay the service picked for the patient (see resourcePreference).
    expect(bays).toContain(recovering.resourceId);
    expect(recovering).toMatchObject({
      status: 'observing',
      type: 'ect',
      earliestDischargeAt: at(SESSION_DAY, '08:25'),
      nextVitalsDueAt: null,
      expectedFreeAt: at(SESSION_DAY, '08:35'),
      overrunsNextBooking: false,
      nextBookingAppointmentId: null,
    });
    t.clock.set(at(SESSION_DAY, '08:30'));
    await s.discharge(ect, { rideConfirmed: true, escortName: 'Ana (sister)' }).expect(200);
    expect(await entry(ect)).toBeUndefined();
  });

  it('shows a Spravato patient with the 40-minute BP due, and the chair free just in time for the next booking', async () => {
    t.clock.set(at(SESSION_DAY, '08:50'));
    await s.checkIn(spravato).expect(200);
    await s.vitals(spravato, vitalsBody('pre_dose')).expect(201);
    t.clock.set(at(SESSION_DAY, '09:15'));
    await s.dose(spravato, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(201);
    t.clock.set(at(SESSION_DAY, '09:30'));
    const entries = await board();
    expect(entries).toEqual([
      {
        appointmentId: spravato,
        patientId: expect.any(String),
        resourceId: aurora.chairs[0],
        type: 'spravato',
        status: 'observing',
        earliestDischargeAt: at(SESSION_DAY, '11:20'),
        nextVitalsDueAt: at(SESSION_DAY, '09:55'),
        expectedFreeAt: at(SESSION_DAY, '11:30'),
        overrunsNextBooking: false,
        nextBookingAppointmentId: nextOnChair,
        nextBookingStartsAt: at(SESSION_DAY, '11:30'),
      },
    ]);
    t.clock.set(at(SESSION_DAY, '09:56'));
    await s.vitals(spravato, vitalsBody('post_dose_40')).expect(201);
    expect((await entry(spravato)).nextVitalsDueAt).toBe(at(SESSION_DAY, '11:20'));
  });

  it('shows a ketamine infusion under way with vitals every 15 minutes', async () => {
    t.clock.set(at(SESSION_DAY, '09:58'));
    await s.checkIn(ketamine).expect(200);
    t.clock.set(at(SESSION_DAY, '10:00'));
    await s.start(ketamine).expect(200);
    t.clock.set(at(SESSION_DAY, '10:05'));
    expect(await entry(ketamine)).toMatchObject({
      status: 'in_treatment',
      resourceId: aurora.chairs[1],
      earliestDischargeAt: null,
      nextVitalsDueAt: at(SESSION_DAY, '10:15'),
      expectedFreeAt: at(SESSION_DAY, '11:20'),
      overrunsNextBooking: false,
    });
    t.clock.set(at(SESSION_DAY, '10:16'));
    await s.vitals(ketamine, vitalsBody('intra')).expect(201);
    expect((await entry(ketamine)).nextVitalsDueAt).toBe(at(SESSION_DAY, '10:31'));
    t.clock.set(at(SESSION_DAY, '10:45'));
    await s.endTreatment(ketamine).expect(200);
    expect(await entry(ketamine)).toMatchObject({
      status: 'observing',
      earliestDischargeAt: at(SESSION_DAY, '11:15'),
      nextVitalsDueAt: at(SESSION_DAY, '11:15'),
    });
  });

  it('flags a stay that will run into the next booking of the chair, for the front desk to move it', async () => {
    t.clock.set(at(SESSION_DAY, '11:10'));
    await s.vitals(spravato, vitalsBody('discharge', { sedationScore: 4, dissociationResolved: true })).expect(201);
    t.clock.set(at(SESSION_DAY, '11:20'));
    // Still sedated: stays. Free at 11:30 at the earliest, as booked.
    await s.discharge(spravato, { rideConfirmed: true }).expect(409);
    expect((await entry(spravato)).overrunsNextBooking).toBe(false);
    t.clock.set(at(SESSION_DAY, '11:21'));
    const front = (await board('front_desk')).find((e: { appointmentId: string }) => e.appointmentId === spravato);
    expect(front).toMatchObject({ expectedFreeAt: at(SESSION_DAY, '11:31'), overrunsNextBooking: true, nextBookingAppointmentId: nextOnChair });
    // The front desk moves the next patient to another chair: nothing to collide with any more.
    await s.patch('front_desk', `/appointments/${nextOnChair}`, { resourceId: aurora.chairs[2] }).expect(200);
    expect(await entry(spravato)).toMatchObject({ overrunsNextBooking: false, nextBookingAppointmentId: null });
  });

  it('answers 404 for an unknown clinic and 400 for a malformed id, and audits the reads', async () => {
    await s.get('nurse', '/locations/7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00/observation').expect(404);
    const bad = await s.get('nurse', '/locations/aurora.id/observation').expect(400);
    expect(bad.body.errors[0].field).toBe('id');
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'observation-board.read' AND entity_id = $1`, [
      aurora.id,
    ]);
    expect(count).toBeGreaterThan(0);
  });
});
