import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, createPatient, useStaffedClinic } from './support/factories';
import { SESSION_DAY, sessionClient, vitalsBody } from './support/sessions';

const waiting = (locationId: string, date?: string) => `/api/dosing-clearances/waiting?locationId=${locationId}${date ? `&date=${date}` : ''}`;

/** GET /api/dosing-clearances/waiting: the provider's queue of Spravato sessions held up by a high pre-dose BP. */
describe('dosing clearances waiting', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  const s = sessionClient(t);
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY], 2);
  const louisville = useStaffedClinic(t, 'louisville', [SESSION_DAY], 1);
  const ids: Record<'high' | 'normal' | 'noVitals' | 'elsewhere', string> = { high: '', normal: '', noVitals: '', elsewhere: '' };
  let highPatient: string;
  let chairName: string;

  beforeAll(async () => {
    highPatient = await createPatient(t.dataSource, { firstName: 'Dana', lastName: 'Reyes' });
    ids.high = (await bookAppointment(t, { ...aurora.booking('spravato', SESSION_DAY, '09:00', 0), patientId: highPatient })).id;
    ids.normal = (await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '09:00', 1))).id;
    ids.noVitals = (await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '09:30', 2))).id;
    ids.elsewhere = (await bookAppointment(t, louisville.booking('spravato', SESSION_DAY, '09:00', 0), { preferredLocation: 'louisville' })).id;
    [{ name: chairName }] = await t.dataSource.query('SELECT name FROM resources WHERE id = $1', [aurora.chairs[0]]);
    t.clock.set(at(SESSION_DAY, '08:50'));
    for (const id of Object.values(ids)) await s.checkIn(id).expect(200);
    await s.vitals(ids.high, vitalsBody('pre_dose', { systolic: 152, diastolic: 94, takenAt: at(SESSION_DAY, '08:48') })).expect(201);
    await s.vitals(ids.normal, vitalsBody('pre_dose')).expect(201);
    await s.vitals(ids.elsewhere, vitalsBody('pre_dose', { systolic: 160 })).expect(201);
  });

  it("lists the clinic's sessions whose latest pre-dose BP is above 140/90 and not cleared: patient, time, chair and the reading; audited per patient", async () => {
    const today = await t.http().get(waiting(aurora.id)).set(t.headers.provider).expect(200);
    expect(today.body).toHaveLength(1);
    const [entry] = today.body;
    expect(entry).toMatchObject({
      appointmentId: ids.high,
      startsAt: at(SESSION_DAY, '09:00'),
      status: 'checked_in',
      patient: { id: highPatient, firstName: 'Dana', lastName: 'Reyes' },
      chair: { id: aurora.chairs[0], name: chairName },
      reading: { systolic: 152, diastolic: 94, takenAt: at(SESSION_DAY, '08:48') },
      why: 'Pre-dose blood pressure 152/94 is above 140/90',
    });
    const [stored] = await t.dataSource.query(`SELECT id FROM vitals WHERE appointment_id = $1`, [ids.high]);
    expect(entry.reading.vitalsId).toBe(stored.id);

    const byDate = await t.http().get(waiting(aurora.id, SESSION_DAY)).set(t.headers.admin).expect(200);
    expect(byDate.body.map((e: { appointmentId: string }) => e.appointmentId)).toEqual([ids.high]);
    expect((await t.http().get(waiting(aurora.id, '2027-08-03')).set(t.headers.provider).expect(200)).body).toEqual([]);
    const louisvilleList = await t.http().get(waiting(louisville.id)).set(t.headers.provider).expect(200);
    expect(louisvilleList.body.map((e: { appointmentId: string }) => e.appointmentId)).toEqual([ids.elsewhere]);

    const audit = await t.dataSource.query(
      `SELECT entity_type, entity_id, details FROM audit_log WHERE action = 'dosing-clearances.waiting.read' AND details->>'locationId' = $1`,
      [aurora.id],
    );
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit.every((row: { entity_type: string; entity_id: string }) => row.entity_type === 'patient' && row.entity_id === highPatient)).toBe(true);
  });

  it('drops a session once a provider clears it, lists it again for a later high reading, and not once the dose is given', async () => {
    await s.clear(ids.high, 'Anxious on arrival; repeat BP trending down').expect(201);
    expect((await t.http().get(waiting(aurora.id)).set(t.headers.provider).expect(200)).body).toEqual([]);

    t.clock.set(at(SESSION_DAY, '09:05'));
    const again = await s.vitals(ids.high, vitalsBody('pre_dose', { systolic: 126, diastolic: 96 })).expect(201);
    const listed = await t.http().get(waiting(aurora.id)).set(t.headers.provider).expect(200);
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0].reading).toMatchObject({ vitalsId: again.body.id, systolic: 126, diastolic: 96 });

    await s.clear(ids.high, 'Diastolic within her usual range').expect(201);
    await s.dose(ids.high, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(201);
    await s.vitals(ids.normal, vitalsBody('pre_dose', { systolic: 150 })).expect(201);
    const afterDose = await t.http().get(waiting(aurora.id)).set(t.headers.provider).expect(200);
    expect(afterDose.body.map((e: { appointmentId: string }) => e.appointmentId)).toEqual([ids.normal]);
  });

  it('is for providers and admins: nurses and the front desk are refused (403); bad input is a 400 naming the field, an unknown clinic a 404', async () => {
    await t.http().get(waiting(aurora.id)).set(t.headers.nurse).expect(403);
    await t.http().get(waiting(aurora.id)).set(t.headers.front_desk).expect(403);
    await t.http().get(waiting(aurora.id)).expect(401);
    const noClinic = await t.http().get('/api/dosing-clearances/waiting').set(t.headers.provider).expect(400);
    expect(noClinic.body.errors[0].field).toBe('locationId');
    const badDate = await t.http().get(waiting(aurora.id, '2027-02-30')).set(t.headers.provider).expect(400);
    expect(badDate.body.errors[0].field).toBe('date');
    await t.http().get(waiting('00000000-0000-4000-8000-000000000000')).set(t.headers.provider).expect(404);
  });
});
