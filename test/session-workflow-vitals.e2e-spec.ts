import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, useStaffedClinic } from './support/factories';
import { SESSION_DAY, sessionClient, vitalsBody } from './support/sessions';

describe('session workflow: vitals are append-only, corrected by new entries', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  const s = sessionClient(t);
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY], 1);
  let id: string;

  beforeAll(async () => {
    ({ id } = await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '09:00', 0)));
    t.clock.set(at(SESSION_DAY, '08:50'));
    await s.checkIn(id).expect(200);
  });

  it('refuses physiologically impossible values and malformed input with a 400 naming the field, storing nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ systolic: 30 }, 'systolic'],
      [{ systolic: 301 }, 'systolic'],
      [{ spo2: 101 }, 'spo2'],
      [{ spo2: 42 }, 'spo2'],
      [{ heartRate: 400 }, 'heartRate'],
      [{ respiratoryRate: 0 }, 'respiratoryRate'],
      [{ sedationScore: 6 }, 'sedationScore'],
      [{ dissociationScore: -1 }, 'dissociationScore'],
      [{ systolic: 80, diastolic: 95 }, 'diastolic'],
      [{ systolic: 120.5 }, 'systolic'],
      [{ systolic: '120' }, 'systolic'],
      [{ timepoint: 'lunch' }, 'timepoint'],
      [{ takenAt: '2027-08-02T08:45:00' }, 'takenAt'],
      [{ takenAt: at(SESSION_DAY, '09:30') }, 'takenAt'],
      [{ takenAt: at('2027-08-01', '08:45') }, 'takenAt'],
      [{ correctsId: 'x' }, 'correctsId'],
      [{ correctsId: '7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00' }, 'correctsId'],
      [{ pulse: 70 }, 'pulse'],
    ];
    for (const [change, field] of cases) {
      const response = await s.vitals(id, vitalsBody('pre_dose', change)).expect(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const missing = await s.vitals(id, { timepoint: 'pre_dose' }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['systolic', 'diastolic', 'heartRate', 'spo2']));
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM vitals WHERE appointment_id = $1', [id]);
    expect(count).toBe(0);
  });

  it('records who took a reading and when, and corrects it with a new entry pointing at it', async () => {
    const first = await s.vitals(id, vitalsBody('pre_dose', { systolic: 182, diastolic: 88, takenAt: at(SESSION_DAY, '08:48'), notes: 'typo?' })).expect(201);
    expect(first.body).toMatchObject({
      timepoint: 'pre_dose',
      takenAt: at(SESSION_DAY, '08:48'),
      recordedAt: at(SESSION_DAY, '08:50'),
      recordedBy: expect.any(String),
      superseded: false,
    });

    // Typed 182 for 128: without the correction the dose would need a clearance.
    t.clock.set(at(SESSION_DAY, '08:52'));
    const fixed = await s
      .vitals(id, vitalsBody('pre_dose', { systolic: 128, diastolic: 88, takenAt: at(SESSION_DAY, '08:48'), correctsId: first.body.id }), 'provider')
      .expect(201);
    expect(fixed.body).toMatchObject({ correctsId: first.body.id, systolic: 128, recordedAt: at(SESSION_DAY, '08:52') });

    const again = await s.vitals(id, vitalsBody('pre_dose', { correctsId: first.body.id })).expect(409);
    expect(again.body).toMatchObject({ rule: 'already-corrected' });
    expect(again.body.detail).toContain(fixed.body.id);

    const list = await s.get('nurse', `/appointments/${id}/vitals`).expect(200);
    expect(list.body).toHaveLength(2);
    expect(list.body[0]).toMatchObject({ id: first.body.id, systolic: 182, superseded: true, correctedById: fixed.body.id });
    expect(list.body[1]).toMatchObject({ id: fixed.body.id, superseded: false, correctedById: null });
    const [original] = await t.dataSource.query('SELECT systolic FROM vitals WHERE id = $1', [first.body.id]);
    expect(original.systolic).toBe(182);

    t.clock.set(at(SESSION_DAY, '09:15'));
    // The corrected reading counts: 128/88 needs no clearance.
    await s.dose(id, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(201);
    const audit = await t.dataSource.query(`SELECT action, details FROM audit_log WHERE entity_id = $1 AND action LIKE 'session.vitals.%' ORDER BY id`, [id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['session.vitals.record', 'session.vitals.correct', 'session.vitals.read']);
    expect(audit[1].details).toMatchObject({ correctsId: first.body.id, vitalsId: fixed.body.id });
  });

  it('is append-only in the database itself: UPDATE, DELETE and TRUNCATE are refused whatever the role', async () => {
    for (const sql of [
      `UPDATE vitals SET systolic = 120 WHERE appointment_id = '${id}'`,
      `DELETE FROM vitals WHERE appointment_id = '${id}'`,
      'TRUNCATE vitals CASCADE',
      `UPDATE doses SET lot_number = 'OTHER' WHERE appointment_id = '${id}'`,
      `DELETE FROM session_events WHERE appointment_id = '${id}'`,
      `TRUNCATE dosing_clearances`,
      `TRUNCATE tms_records`,
    ]) {
      await expect(t.dataSource.query(sql)).rejects.toThrow(/append-only|permission denied/);
    }
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM vitals WHERE appointment_id = $1', [id]);
    expect(count).toBe(2);
    await expect(
      t.dataSource.query(`INSERT INTO vitals (appointment_id, timepoint, taken_at, systolic, diastolic, heart_rate, spo2, recorded_at)
      VALUES ('${id}', 'other', now(), 120, 80, 70, 120, now())`),
    ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23514' }) });
  });

  it('lets only nurses and providers chart; front desk sees statuses, not vitals, doses or forms', async () => {
    await s.vitals(id, vitalsBody('post_dose_40'), 'front_desk').expect(403);
    await s.get('front_desk', `/appointments/${id}/vitals`).expect(403);
    await s.dose(id, { doseMg: 56, devices: 2, lotNumber: 'X' }, 'front_desk').expect(403);
    await s.discharge(id, { rideConfirmed: true }, 'front_desk').expect(403);
    await s.checkIn(id, 'front_desk').expect(403);
    await s.get('front_desk', `/appointments/${id}/rems-form`).expect(403);
    const status = await s.get('front_desk', `/appointments/${id}`).expect(200);
    expect(status.body.status).toBe('observing');
    // Admin passes everywhere.
    await s.get('admin', `/appointments/${id}/vitals`).expect(200);
    await t.http().get(`/api/appointments/${id}/vitals`).expect(401);
  });

  it('replays a vitals POST sent twice with the same Idempotency-Key instead of charting it twice', async () => {
    t.clock.set(at(SESSION_DAY, '09:56'));
    const body = vitalsBody('post_dose_40');
    const headers = { ...(await t.auth('nurse')), 'Idempotency-Key': 'tablet-retry-1' };
    const first = await t.http().post(`/api/appointments/${id}/vitals`).set(headers).send(body).expect(201);
    const replay = await t.http().post(`/api/appointments/${id}/vitals`).set(headers).send(body).expect(201);
    expect(replay.body.id).toBe(first.body.id);
    const rows = await t.dataSource.query(`SELECT id FROM vitals WHERE appointment_id = $1 AND timepoint = 'post_dose_40'`, [id]);
    expect(rows).toHaveLength(1);
  });

  it('allows a correction after discharge but no new reading', async () => {
    const reading = await s
      .vitals(id, vitalsBody('discharge', { sedationScore: 5, dissociationResolved: true, takenAt: at(SESSION_DAY, '09:56') }))
      .expect(201);
    t.clock.set(at(SESSION_DAY, '11:20'));
    await s.vitals(id, vitalsBody('discharge', { sedationScore: 5, dissociationResolved: true })).expect(201);
    await s.discharge(id, { rideConfirmed: true }).expect(200);
    const late = await s.vitals(id, vitalsBody('other')).expect(409);
    expect(late.body).toMatchObject({ rule: 'status', currentStatus: 'discharged' });
    await s
      .vitals(
        id,
        vitalsBody('discharge', {
          systolic: 118,
          sedationScore: 5,
          dissociationResolved: true,
          takenAt: at(SESSION_DAY, '09:56'),
          correctsId: reading.body.id,
        }),
      )
      .expect(201);
  });
});
