import { useTestApp } from './support/app';
import { bookAppointment, createPatient, useStaffedClinic } from './support/factories';

/** Every /api answer is `Cache-Control: no-store`; reading a day list and reading the audit log are audited. */
describe('caching and audit of reads', () => {
  const t = useTestApp({ now: '2027-07-01T15:00:00Z' });
  const aurora = useStaffedClinic(t, 'aurora', ['2027-07-06']);

  it('answers patient records, logins, the REMS CSV, errors and every other /api answer with Cache-Control: no-store', async () => {
    const patient = await createPatient(t.dataSource);
    const answers = [
      await t.http().post('/api/auth/login').send({ email: 'nurse@demo.clinic', password: 'demo-nurse' }),
      await t.http().post('/api/auth/login').send({ email: 'nurse@demo.clinic', password: 'wrong-password' }),
      await t.http().get(`/api/patients/${patient}`).set(t.headers.admin),
      await t.http().get('/api/patients').query({ search: 'Test' }).set(t.headers.admin),
      await t.http().get('/api/rems/forms.csv').query({ locationId: aurora.id, from: '2027-06-01', to: '2027-07-01' }).set(t.headers.provider),
      await t.http().get('/api/locations').set(t.headers.nurse),
      await t.http().get('/api/appointments/not-a-uuid').set(t.headers.nurse),
      await t.http().get('/api/no-such-route').set(t.headers.nurse),
      await t.http().get('/api/locations'),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 401, 200, 200, 200, 200, 400, 404, 401]);
    expect(answers.map((r) => r.headers['cache-control'])).toEqual(answers.map(() => 'no-store'));
  });

  it('audits a clinic day list: one entry per patient on it, naming the clinic and the day; the list names each patient, in one request', async () => {
    const first = await bookAppointment(t, aurora.booking('tms', '2027-07-06', '09:00'), { firstName: 'Rowan', lastName: 'Ibarra' });
    const second = await bookAppointment(t, aurora.booking('tms', '2027-07-06', '10:00'), { firstName: 'Sasha', lastName: 'Quint' });
    const response = await t
      .http()
      .get('/api/appointments')
      .query({ locationId: aurora.id, date: '2027-07-06' })
      .set(t.headers.nurse)
      .set('x-request-id', 'day-list-read-1')
      .expect(200);
    expect(response.body).toHaveLength(2);
    expect(response.body.map((a: { id: string; patient: unknown }) => [a.id, a.patient])).toEqual([
      [first.id, { id: first.patientId, firstName: 'Rowan', lastName: 'Ibarra' }],
      [second.id, { id: second.patientId, firstName: 'Sasha', lastName: 'Quint' }],
    ]);
    // A patient's own list (not the board) carries no names.
    const own = await t.http().get('/api/appointments').query({ patientId: first.patientId }).set(t.headers.nurse).expect(200);
    expect(own.body.length).toBeGreaterThan(0);
    expect(own.body.every((a: object) => !('patient' in a))).toBe(true);
    const rows = await t.dataSource.query(
      `SELECT action, actor_role, entity_type, entity_id, details FROM audit_log WHERE request_id = 'day-list-read-1' ORDER BY entity_id`,
    );
    expect(rows).toEqual(
      [first.patientId, second.patientId].sort().map((patientId) => ({
        action: 'appointments.day-list.read',
        actor_role: 'nurse',
        entity_type: 'patient',
        entity_id: patientId,
        details: { locationId: aurora.id, date: '2027-07-06', names: true },
      })),
    );
  });

  it('audits reading the audit log, with the filter used', async () => {
    await t.http().get('/api/audit').query({ entityType: 'patient' }).set(t.headers.admin).set('x-request-id', 'audit-read-1').expect(200);
    const rows = await t.dataSource.query(`SELECT action, actor_role, entity_type, details FROM audit_log WHERE request_id = 'audit-read-1'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'audit.read', actor_role: 'admin', entity_type: 'audit_log', details: { entityType: 'patient' } });
    expect(rows[0].details.count).toBeGreaterThan(0);
  });
});
