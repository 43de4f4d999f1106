import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, createPatient, useStaffedClinic } from './support/factories';
import { SESSION_DAY, sessionClient, vitalsBody } from './support/sessions';

const LATER_DAY = '2027-08-05';

describe('session workflow: the REMS Patient Monitoring Form', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  const s = sessionClient(t);
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY, LATER_DAY], 2);
  let westminster: string;
  let patient: string;
  let first: string;
  let observing: string;
  let second: string;

  const form = (id: string, role: 'provider' | 'nurse' = 'provider') => s.get(role, `/appointments/${id}/rems-form`);
  const pending = async (query = '') => (await s.get('provider', `/rems/pending${query}`).expect(200)).body;

  beforeAll(async () => {
    westminster = t.locations.westminster;
    patient = await createPatient(t.dataSource, { firstName: 'Ana', lastName: 'Lopez' });
    ({ id: first } = await bookAppointment(t, { ...aurora.booking('spravato', SESSION_DAY, '09:00', 0), patientId: patient }));
    ({ id: second } = await bookAppointment(t, { ...aurora.booking('spravato', LATER_DAY, '09:00', 0), patientId: patient }));
    ({ id: observing } = await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '09:00', 1)));
  });

  it('has no form before the dose, and none for nurses or front desk', async () => {
    t.clock.set(at(SESSION_DAY, '08:50'));
    await s.checkIn(first).expect(200);
    await form(first).expect(404);
    await form(first, 'nurse').expect(403);
    await s.get('nurse', '/rems/pending').expect(403);
    await s.get('front_desk', '/rems/pending').expect(403);
  });

  it('builds the form from the chart: dose, lot, device times, the three BPs, sedation, dissociation, clearance, minutes', async () => {
    await s.vitals(first, vitalsBody('pre_dose', { systolic: 146, diastolic: 88 })).expect(201);
    await s.clear(first, 'White-coat pattern, repeat stable').expect(201);
    await s.checkIn(observing).expect(200);
    await s.vitals(observing, vitalsBody('pre_dose')).expect(201);
    t.clock.set(at(SESSION_DAY, '09:15'));
    await s.dose(first, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(201);
    t.clock.set(at(SESSION_DAY, '09:16'));
    await s.dose(observing, { doseMg: 84, devices: 3, lotNumber: 'EKX4472' }).expect(201);
    t.clock.set(at(SESSION_DAY, '09:55'));
    await s
      .vitals(
        first,
        vitalsBody('post_dose_40', { systolic: 138, diastolic: 86, sedationScore: 3, dissociationScore: 18, dissociationResolved: false, spo2: 94 }),
      )
      .expect(201);
    t.clock.set(at(SESSION_DAY, '11:00'));
    await s.vitals(first, vitalsBody('discharge', { sedationScore: 5, dissociationScore: 2, dissociationResolved: true })).expect(201);
    t.clock.set(at(SESSION_DAY, '11:30'));
    await s.discharge(first, { rideConfirmed: true }).expect(200);

    const response = await form(first).expect(200);
    expect(response.body).toMatchObject({
      appointmentId: first,
      locationId: aurora.id,
      status: 'pending',
      dueAt: '2027-08-09T09:15:00-06:00',
      overdue: false,
      patient: { id: patient, firstName: 'Ana', lastName: 'Lopez', dateOfBirth: '1980-05-17' },
      firstTreatment: true,
      sessionDate: SESSION_DAY,
      doseMg: 56,
      doseCategory: '56',
      devices: 2,
      lotNumber: 'EKX4471',
      deviceTimes: [at(SESSION_DAY, '09:15'), at(SESSION_DAY, '09:20')],
      monitoringEndedAt: at(SESSION_DAY, '11:30'),
      totalMonitoringMinutes: 135,
      readyToLeaveAt: null,
      bloodPressure: {
        beforeDose: { systolic: 146, diastolic: 88, takenAt: at(SESSION_DAY, '08:50') },
        at40Minutes: { systolic: 138, diastolic: 86, takenAt: at(SESSION_DAY, '09:55') },
        beforeDischarge: { systolic: 124, diastolic: 78, takenAt: at(SESSION_DAY, '11:00') },
      },
      vitalsAcceptableBefore: true,
      vitalsAcceptableAtEnd: true,
      lowestSpo2: 94,
      sedation: { observed: true, lowestScore: 3 },
      dissociation: { observed: true, highestScore: 18 },
      respiratoryDepression: null,
      concomitantSedatingMedications: null,
      seriousAdverseEvents: null,
      dosingClearance: { reason: 'White-coat pattern, repeat stable', clearedBy: { id: expect.any(String), name: 'Dr. Priya Provider' } },
      monitoringProvider: null,
      submittedAt: null,
      missing: ['readyToLeaveAt', 'respiratoryDepression', 'concomitantSedatingMedications', 'seriousAdverseEvents'],
    });
  });

  it('lists unsubmitted forms with their due time, soonest first, per clinic', async () => {
    const list = await pending(`?locationId=${aurora.id}`);
    expect(list).toEqual([
      {
        appointmentId: first,
        patientId: patient,
        locationId: aurora.id,
        appointmentStatus: 'discharged',
        sessionDate: SESSION_DAY,
        dosedAt: at(SESSION_DAY, '09:15'),
        dueAt: '2027-08-09T09:15:00-06:00',
        overdue: false,
      },
      expect.objectContaining({ appointmentId: observing, appointmentStatus: 'observing', dueAt: '2027-08-09T09:16:00-06:00', overdue: false }),
    ]);
    expect(await pending(`?locationId=${westminster}`)).toEqual([]);
    expect((await pending()).length).toBe(2);
    const bad = await s.get('provider', '/rems/pending?locationId=aurora').expect(400);
    expect(bad.body.errors[0].field).toBe('locationId');
  });

  it('takes what the chart cannot know from the provider only, validated, and refuses an incomplete submission', async () => {
    const incomplete = await s.post('provider', `/appointments/${first}/rems-form/submit`).expect(409);
    expect(incomplete.body).toMatchObject({ rule: 'rems-form-incomplete', missing: expect.arrayContaining(['readyToLeaveAt', 'seriousAdverseEvents']) });
    await s.post('nurse', `/appointments/${first}/rems-form/submit`, {}).expect(403);
    await s.patch('nurse', `/appointments/${first}/rems-form`, { respiratoryDepression: false }).expect(403);

    const bad: Array<[object, string]> = [
      [{ concomitantSedatingMedications: ['alcohol'] }, 'concomitantSedatingMedications'],
      [{ concomitantSedatingMedications: 'opioid' }, 'concomitantSedatingMedications'],
      [{ readyToLeaveAt: at(SESSION_DAY, '09:00') }, 'readyToLeaveAt'],
      [{ readyToLeaveAt: at(SESSION_DAY, '11:45') }, 'readyToLeaveAt'],
      [{ readyToLeaveAt: '2027-08-02T10:50:00' }, 'readyToLeaveAt'],
      [{ seriousAdverseEvents: true }, 'seriousAdverseEventsDescription'],
      [{ respiratoryDepression: 'no' }, 'respiratoryDepression'],
      [{ sedation: false }, 'sedation'],
    ];
    for (const [body, field] of bad) {
      const response = await s.patch('provider', `/appointments/${first}/rems-form`, body).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const saved = await s
      .patch('provider', `/appointments/${first}/rems-form`, { concomitantSedatingMedications: ['benzodiazepine'], respiratoryDepression: false })
      .expect(200);
    expect(saved.body).toMatchObject({
      concomitantSedatingMedications: ['benzodiazepine'],
      respiratoryDepression: false,
      missing: ['readyToLeaveAt', 'seriousAdverseEvents'],
    });

    const notDischarged = await s
      .post('provider', `/appointments/${observing}/rems-form/submit`, {
        readyToLeaveAt: at(SESSION_DAY, '11:00'),
        respiratoryDepression: false,
        concomitantSedatingMedications: [],
        seriousAdverseEvents: false,
      })
      .expect(409);
    expect(notDischarged.body.missing).toContain('monitoringEndedAt');
  });

  it('knows a later session is not the first treatment', async () => {
    t.clock.set(at(LATER_DAY, '08:55'));
    await s.checkIn(second).expect(200);
    await s.vitals(second, vitalsBody('pre_dose')).expect(201);
    t.clock.set(at(LATER_DAY, '09:15'));
    await s.dose(second, { doseMg: 84, devices: 3, lotNumber: 'EKX5000' }).expect(201);
    expect((await form(second).expect(200)).body).toMatchObject({ firstTreatment: false, dueAt: '2027-08-12T09:15:00-06:00' });
  });

  it('marks forms overdue 7 days after the session', async () => {
    t.clock.set('2027-08-10T10:00:00-06:00');
    const list = await pending(`?locationId=${aurora.id}`);
    expect(list.map((f: { appointmentId: string; overdue: boolean }) => [f.appointmentId, f.overdue])).toEqual([
      [first, true],
      [observing, true],
      [second, false],
    ]);
  });

  it('submits: records who and when, freezes the form, and takes it off the pending list', async () => {
    const submitted = await s
      .post('provider', `/appointments/${first}/rems-form/submit`, { readyToLeaveAt: at(SESSION_DAY, '10:50'), seriousAdverseEvents: false })
      .expect(200);
    expect(submitted.body).toMatchObject({
      status: 'submitted',
      submittedAt: '2027-08-10T10:00:00-06:00',
      overdue: true,
      monitoringProvider: { id: expect.any(String), name: 'Dr. Priya Provider' },
      readyToLeaveAt: at(SESSION_DAY, '10:50'),
      concomitantSedatingMedications: ['benzodiazepine'],
      missing: [],
    });
    const [row] = await t.dataSource.query('SELECT submitted_by, submitted_at, submitted_form FROM rems_forms WHERE appointment_id = $1', [first]);
    expect(row.submitted_by).toBe(submitted.body.monitoringProvider.id);
    expect(row.submitted_at.toISOString()).toBe('2027-08-10T16:00:00.000Z');
    expect(row.submitted_form).toEqual(submitted.body);

    const twice = await s.post('provider', `/appointments/${first}/rems-form/submit`, {}).expect(409);
    expect(twice.body.rule).toBe('rems-form-submitted');
    await s.patch('provider', `/appointments/${first}/rems-form`, { respiratoryDepression: true }).expect(409);
    await expect(t.dataSource.query('UPDATE rems_forms SET respiratory_depression = true WHERE appointment_id = $1', [first])).rejects.toThrow(/submitted/);
    await expect(t.dataSource.query('DELETE FROM rems_forms WHERE appointment_id = $1', [observing])).rejects.toThrow(/refused/);

    // A later correction of the chart does not rewrite what was submitted.
    const [reading] = await t.dataSource.query(`SELECT id FROM vitals WHERE appointment_id = $1 AND timepoint = 'discharge'`, [first]);
    await s
      .vitals(
        first,
        vitalsBody('discharge', {
          systolic: 131,
          sedationScore: 5,
          dissociationScore: 2,
          dissociationResolved: true,
          takenAt: at(SESSION_DAY, '11:00'),
          correctsId: reading.id,
        }),
      )
      .expect(201);
    expect((await form(first).expect(200)).body).toEqual(submitted.body);

    expect((await pending()).map((f: { appointmentId: string }) => f.appointmentId)).toEqual([observing, second]);
    const [audit] = await t.dataSource.query(`SELECT actor_role, details FROM audit_log WHERE entity_id = $1 AND action = 'rems-form.submit'`, [first]);
    expect(audit).toMatchObject({ actor_role: 'provider', details: expect.objectContaining({ overdue: true }) });
  });

  it("downloads a clinic's forms as CSV for filing", async () => {
    const response = await s.get('provider', `/rems/forms.csv?locationId=${aurora.id}&from=2027-08-01&to=2027-08-31`).expect(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain('attachment');
    const lines = response.text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^appointment_id,status,session_date,due_at,overdue,patient_last_name/);
    const submittedLine = lines.find((l) => l.startsWith(first))!;
    expect(submittedLine).toContain(',submitted,2027-08-02,');
    expect(submittedLine).toContain(',Lopez,Ana,1980-05-17,true,benzodiazepine,Dr. Priya Provider,56,2,EKX4471,');
    expect(submittedLine).toContain(',146/88,138/86,124/78,');
    expect(lines.find((l) => l.startsWith(second))).toContain(',pending,2027-08-05,');

    const firstDayOnly = await s.get('provider', `/rems/forms.csv?locationId=${aurora.id}&from=2027-08-02&to=2027-08-02`).expect(200);
    expect(firstDayOnly.text.trimEnd().split('\r\n')).toHaveLength(3);
    await s.get('provider', `/rems/forms.csv?locationId=${aurora.id}&from=2027-08-31&to=2027-08-01`).expect(400);
    await s.get('provider', `/rems/forms.csv?locationId=${aurora.id}&from=2027-08-01`).expect(400);
    await s.get('nurse', `/rems/forms.csv?locationId=${aurora.id}&from=2027-08-01&to=2027-08-31`).expect(403);
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'rems-form.export'`);
    expect(count).toBe(5);
  });
});
