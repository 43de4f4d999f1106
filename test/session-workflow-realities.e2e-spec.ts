import { useTestApp } from './support/app';
import { HoldService } from '../src/appointments/hold.service';
import { SYSTEM_ACTOR } from '../src/common/actor';
import { at, atDate } from './support/clinic-time';
import { bookAppointment, createPatient, createPatients, requestBooking, useStaffedClinic } from './support/factories';
import { remindersOf } from './support/reads';
import { SESSION_DAY, sessionClient, vitalsBody } from './support/sessions';

/** A Spravato session of `id` checked in at 08:50 with normal pre-dose vitals, dosed 56 mg at `doseAt`. */
async function dosed(s: ReturnType<typeof sessionClient>, t: { clock: { set(at: string): void } }, id: string, doseAt: string, day = SESSION_DAY) {
  t.clock.set(at(day, '08:50'));
  await s.checkIn(id).expect(200);
  await s.vitals(id, vitalsBody('pre_dose')).expect(201);
  t.clock.set(at(day, doseAt));
  return s.dose(id, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(201);
}

describe('session workflow: a 40-minute blood pressure taken late, and dissociation as the clinician judges it', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  const s = sessionClient(t);
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY], 2);

  it('takes a BP at minute 62 with the reason, and discharges at 120 minutes after the last device', async () => {
    const { id } = await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '09:00', 0));
    // Devices at 09:15 and 09:20: the 40-minute BP is due 09:45–10:15; earliest discharge 11:20.
    await dosed(s, t, id, '09:15');
    t.clock.set(at(SESSION_DAY, '10:17'));
    const noReason = await s.vitals(id, vitalsBody('post_dose_40')).expect(400);
    expect(noReason.body.errors).toEqual([{ field: 'deviationReason', message: expect.stringContaining('give the reason') }]);
    const beforeDose = await s.vitals(id, vitalsBody('post_dose_40', { takenAt: at(SESSION_DAY, '09:10'), deviationReason: 'typo' })).expect(400);
    expect(beforeDose.body.errors[0].field).toBe('takenAt');
    const late = await s.vitals(id, vitalsBody('post_dose_40', { deviationReason: 'Room busy: two patients dosed at once' })).expect(201);
    expect(late.body).toMatchObject({ deviationReason: 'Room busy: two patients dosed at once', takenAt: at(SESSION_DAY, '10:17') });

    t.clock.set(at(SESSION_DAY, '11:10'));
    const noJudgement = await s.vitals(id, vitalsBody('discharge', { sedationScore: 5 })).expect(400);
    expect(noJudgement.body.errors.map((e: { field: string }) => e.field)).toEqual(['dissociationResolved']);
    const noSedation = await s.vitals(id, vitalsBody('discharge', { dissociationResolved: true })).expect(400);
    expect(noSedation.body.errors.map((e: { field: string }) => e.field)).toEqual(['sedationScore']);
    await s.vitals(id, vitalsBody('discharge', { sedationScore: 5, dissociationResolved: true, dissociationScore: 9 })).expect(201);

    t.clock.set(at(SESSION_DAY, '11:19'));
    const early = await s.discharge(id, { rideConfirmed: true }).expect(409);
    expect(early.body.rule).toBe('observation-minimum');
    t.clock.set(at(SESSION_DAY, '11:20'));
    // A CADSS of 9 with the clinician's judgement "resolved": no CADSS ceiling by default.
    await s.discharge(id, { rideConfirmed: true }).expect(200);

    const form = await s.get('provider', `/appointments/${id}/rems-form`).expect(200);
    expect(form.body.bloodPressure.at40Minutes).toEqual({
      systolic: 124,
      diastolic: 78,
      takenAt: at(SESSION_DAY, '10:17'),
      minutesAfterFirstDevice: 62,
      deviationReason: 'Room busy: two patients dosed at once',
    });
    expect(form.body.dissociation).toEqual({ observed: false, highestScore: 9 });
  });

  it('keeps a patient whose dissociation the clinician judges unresolved, and holds a clinic to the CADSS ceiling it sets', async () => {
    t.clock.set('2027-07-01T12:00:00Z');
    const { id } = await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '09:00', 1));
    await dosed(s, t, id, '09:15');
    t.clock.set(at(SESSION_DAY, '09:55'));
    await s.vitals(id, vitalsBody('post_dose_40')).expect(201);
    t.clock.set(at(SESSION_DAY, '11:15'));
    await s.vitals(id, vitalsBody('discharge', { sedationScore: 5, dissociationResolved: false })).expect(201);
    t.clock.set(at(SESSION_DAY, '11:25'));
    const unresolved = await s.discharge(id, { rideConfirmed: true }).expect(409);
    expect(unresolved.body).toMatchObject({ rule: 'dissociation-not-resolved', currentStatus: 'observing' });

    await t.http().patch(`/api/locations/${aurora.id}/settings`).set(t.headers.admin).send({ cadssCeiling: 4 }).expect(200);
    try {
      await s.vitals(id, vitalsBody('discharge', { sedationScore: 5, dissociationResolved: true, dissociationScore: 6 })).expect(201);
      const above = await s.discharge(id, { rideConfirmed: true }).expect(409);
      expect(above.body).toMatchObject({ rule: 'dissociation-not-resolved' });
      expect(above.body.detail).toContain('ceiling of 4');
      t.clock.set(at(SESSION_DAY, '11:30'));
      await s.vitals(id, vitalsBody('discharge', { sedationScore: 5, dissociationResolved: true, dissociationScore: 3 })).expect(201);
      await s.discharge(id, { rideConfirmed: true }).expect(200);
      const form = await s.get('provider', `/appointments/${id}/rems-form`).expect(200);
      expect(form.body.dissociation).toEqual({ observed: true, highestScore: 6 });
    } finally {
      await t.http().patch(`/api/locations/${aurora.id}/settings`).set(t.headers.admin).send({ cadssCeiling: null }).expect(200);
    }
  });
});

describe('session workflow: a dose given later than booked', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  const s = sessionClient(t);
  const LATE_DAY = '2027-08-03';
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY], 2);
  const louisville = useStaffedClinic(t, 'louisville', [LATE_DAY], 2);

  const worklist = async (locationId: string) => (await t.http().get('/api/worklist').query({ locationId }).set(t.headers.front_desk).expect(200)).body;

  it("moves the chair's next booking to another free chair at the same time: its patient's time and texts do not change", async () => {
    const [first, next] = await createPatients(t.dataSource, 2, () => ({ smsOptIn: true }));
    const { id } = await bookAppointment(t, { ...aurora.booking('spravato', SESSION_DAY, '09:00', 0), patientId: first });
    const following = await bookAppointment(t, { ...aurora.booking('spravato', SESSION_DAY, '11:30', 0), patientId: next });
    const textsBefore = await remindersOf(t, following.id);
    expect(textsBefore.length).toBeGreaterThan(0);

    // Dosed 40 minutes late: devices 09:55 and 10:00, earliest discharge 12:00, the chair held until 12:10.
    const dose = await dosed(s, t, id, '09:55');
    expect(dose.body.occupancy.endsAt).toBe(at(SESSION_DAY, '12:10'));
    expect(dose.body.warnings).toContainEqual(expect.stringContaining('was moved to Chair'));

    const moved = (await t.http().get(`/api/appointments/${following.id}`).set(t.headers.front_desk).expect(200)).body;
    expect(moved.startsAt).toBe(at(SESSION_DAY, '11:30'));
    expect(moved.resourceId).not.toBe(aurora.chairs[0]);
    expect(aurora.chairs).toContain(moved.resourceId);
    expect(moved.segments).toEqual([expect.objectContaining({ resourceId: moved.resourceId, startsAt: at(SESSION_DAY, '11:30') })]);
    expect(await remindersOf(t, following.id)).toEqual(textsBefore);
    const [audit] = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'appointment.reassign' AND entity_id = $1`, [following.id]);
    expect(audit.details).toMatchObject({ from: aurora.chairs[0], to: moved.resourceId, overrunBy: id });
    // The late patient's chair is held until 12:10 in the calendar too: nobody else may take it at 11:45.
    const [other] = await createPatients(t.dataSource, 1);
    const taken = await requestBooking(t, { ...aurora.booking('ketamine', SESSION_DAY, '11:45', 0), patientId: other }).expect(409);
    expect(taken.body.rule).toBe('resource-overlap');
    expect((await worklist(aurora.id)).filter((item: { kind: string }) => item.kind === 'chair-conflict')).toEqual([]);
  });

  it('puts the next booking on the worklist as a chair conflict when no other chair is free, and keeps the board’s overrun flag', async () => {
    t.clock.set('2027-07-01T12:00:00Z');
    const patients = await createPatients(t.dataSource, 5);
    const chairs = louisville.chairs;
    const { id } = await bookAppointment(t, { ...louisville.booking('spravato', LATE_DAY, '09:00', 0), patientId: patients[0] });
    const following = await bookAppointment(t, { ...louisville.booking('spravato', LATE_DAY, '11:30', 0), patientId: patients[1] });
    // Every other chair is busy from 11:00.
    for (const [index, chair] of chairs.slice(1).entries()) {
      await requestBooking(t, {
        type: 'ketamine',
        locationId: louisville.id,
        startsAt: at(LATE_DAY, '11:00'),
        resourceId: chair,
        patientId: patients[2 + index],
      }).expect(201);
    }
    const dose = await dosed(s, t, id, '09:55', LATE_DAY);
    expect(dose.body.warnings).toContainEqual(expect.stringContaining("front desk's worklist"));

    const items = (await worklist(louisville.id)).filter((item: { kind: string }) => item.kind === 'chair-conflict');
    expect(items).toEqual([expect.objectContaining({ appointmentId: following.id, patientId: patients[1] })]);
    expect(items[0].detail).toMatch(/12:10/);
    const [row] = await t.dataSource.query('SELECT resource_id FROM appointments WHERE id = $1', [following.id]);
    expect(row.resource_id).toBe(chairs[0]);
    const board = (await s.get('nurse', `/locations/${louisville.id}/observation`).expect(200)).body;
    expect(board.find((e: { appointmentId: string }) => e.appointmentId === id)).toMatchObject({
      overrunsNextBooking: true,
      nextBookingAppointmentId: following.id,
      expectedFreeAt: at(LATE_DAY, '12:10'),
    });

    // The front desk moves the next patient later: the conflict is settled.
    await s.patch('front_desk', `/appointments/${following.id}`, { startsAt: at(LATE_DAY, '13:30') }).expect(200);
    expect((await worklist(louisville.id)).filter((item: { kind: string }) => item.kind === 'chair-conflict')).toEqual([]);
  });

  it('lets a late dose take back a slot held for a waitlist offer on that chair: the hold goes, the dose is recorded', async () => {
    t.clock.set('2027-07-01T12:00:00Z');
    const [first] = await createPatients(t.dataSource, 1);
    const chair = aurora.chairs[aurora.chairs.length - 1];
    const { id } = await bookAppointment(t, { ...aurora.booking('spravato', SESSION_DAY, '14:30'), resourceId: chair, patientId: first });
    // The chair is held from 17:00 (the end of the booking) for an offer, as the waitlist holds a freed slot.
    const hold = await t.dataSource.transaction((manager) =>
      t.app.get(HoldService).hold(
        manager,
        {
          locationId: aurora.id,
          segments: [{ resourceId: chair, kind: 'treatment', start: atDate(SESSION_DAY, '17:00'), end: atDate(SESSION_DAY, '19:00') }],
        },
        { ttlMinutes: 24 * 60, reason: 'waitlist-offer' },
        SYSTEM_ACTOR,
      ),
    );
    // Dosed 40 minutes late: the chair is held until 17:40 (last device 15:30 + 120 + the 10-minute margin).
    const dose = await dosed(s, t, id, '15:25');
    expect(dose.body.occupancy.endsAt).toBe(at(SESSION_DAY, '17:40'));
    expect(await t.dataSource.query('SELECT id FROM resource_holds WHERE id = $1', [hold.id])).toEqual([]);
    const [audit] = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'appointment.occupancy-extend' AND entity_id = $1`, [id]);
    expect(audit.details.releasedHolds).toEqual([hold.id]);
  });

  it('changes nothing when the dose is on time', async () => {
    t.clock.set('2027-07-01T12:00:00Z');
    const patientId = await createPatient(t.dataSource);
    const booked = await bookAppointment(t, { ...aurora.booking('spravato', SESSION_DAY, '14:30', 3), patientId });
    t.clock.set(at(SESSION_DAY, '14:25'));
    await s.checkIn(booked.id).expect(200);
    await s.vitals(booked.id, vitalsBody('pre_dose')).expect(201);
    t.clock.set(at(SESSION_DAY, '14:45'));
    const dose = await s.dose(booked.id, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(201);
    expect(dose.body.occupancy).toEqual(booked.occupancy);
    expect(dose.body.warnings).toBeUndefined();
  });
});
