import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { addAuthorization, addMedicationTrial, patientBody, registerPatient } from './support/factories';

// 09:00 in the clinics (MST): today is 2026-11-02 for every date rule.
const NOW = '2026-11-02T16:00:00Z';
const UNKNOWN_ID = '7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00';

interface AuditRow {
  action: string;
  actor_role: string;
  entity_type: string;
  entity_id: string;
  request_id: string | null;
  details: Record<string, unknown> | null;
}

describe('patients', () => {
  const t = useTestApp({ now: NOW });
  let aurora: string;

  beforeAll(() => {
    aurora = t.locations.aurora;
  });

  function auditRows(requestId: string): Promise<AuditRow[]> {
    return t.dataSource.query('SELECT * FROM audit_log WHERE request_id = $1 ORDER BY id', [requestId]);
  }

  function fieldsOf(body: { errors?: Array<{ field: string }> }): string[] {
    return (body.errors ?? []).map((e) => e.field);
  }

  describe('create', () => {
    it('registers a patient, stores it and audits the write without patient data', async () => {
      const body = patientBody({ firstName: ' Marisol ', preferredLocationId: aurora, remsEnrolledAt: '2026-09-01T10:00:00-06:00' });
      const response = await t.http().post('/api/patients').set(t.headers.front_desk).set('x-request-id', 'patient-create-1').send(body).expect(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        firstName: 'Marisol',
        lastName: body.lastName,
        dateOfBirth: '1984-03-17',
        phone: body.phone,
        smsOptIn: true,
        preferredLocationId: aurora,
        remsEnrolledAt: '2026-09-01T10:00:00-06:00',
        mriDate: null,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?-0[67]:00$/),
        updatedAt: expect.any(String),
      });
      const [stored] = await t.dataSource.query(
        `SELECT first_name, last_name, to_char(date_of_birth, 'YYYY-MM-DD') AS dob, phone, sms_opt_in, preferred_location_id, rems_enrolled_at
           FROM patients WHERE id = $1`,
        [response.body.id],
      );
      expect(stored).toEqual({
        first_name: 'Marisol',
        last_name: body.lastName,
        dob: '1984-03-17',
        phone: body.phone,
        sms_opt_in: true,
        preferred_location_id: aurora,
        rems_enrolled_at: new Date('2026-09-01T16:00:00Z'),
      });
      const audit = await auditRows('patient-create-1');
      expect(audit).toEqual([
        expect.objectContaining({ action: 'patient.create', actor_role: 'front_desk', entity_type: 'patient', entity_id: response.body.id }),
      ]);
      expect(JSON.stringify(audit)).not.toMatch(/Marisol|Testpatient|1984-03-17|\+1303555/);
    });

    it('makes preferredLocationId (for admins) and remsEnrolledAt optional', async () => {
      const patient = await t.http().post('/api/patients').set(t.headers.admin).send(patientBody()).expect(201);
      expect(patient.body).toMatchObject({ preferredLocationId: null, remsEnrolledAt: null });
      // Staff of several clinics choose the patient's clinic (who may see the patient follows from it).
      const unplaced = await t.http().post('/api/patients').set(t.headers.front_desk).send(patientBody()).expect(400);
      expect(unplaced.body.errors).toEqual([{ field: 'preferredLocationId', message: 'preferredLocationId is required: choose one of your clinics' }]);
    });

    it('answers invalid input with 400 problem+json naming each field', async () => {
      const auth = t.headers.front_desk;
      const bad = await t
        .http()
        .post('/api/patients')
        .set(auth)
        .send(patientBody({ phone: '303-555-0100', dateOfBirth: '1984-02-30', smsOptIn: 'yes', extra: 1, remsEnrolledAt: '2026-09-01T10:00:00' }))
        .expect(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(bad.body).toMatchObject({ status: 400, title: 'Bad Request' });
      expect(fieldsOf(bad.body)).toEqual(expect.arrayContaining(['phone', 'dateOfBirth', 'smsOptIn', 'extra', 'remsEnrolledAt']));
      expect(bad.body.errors).toContainEqual({ field: 'extra', message: 'unknown field' });

      const future = await t
        .http()
        .post('/api/patients')
        .set(auth)
        .send(patientBody({ dateOfBirth: '2026-11-03', preferredLocationId: aurora }))
        .expect(400);
      expect(future.body.errors).toEqual([{ field: 'dateOfBirth', message: 'dateOfBirth must not be in the future' }]);
      // Born today is fine.
      await t
        .http()
        .post('/api/patients')
        .set(auth)
        .send(patientBody({ dateOfBirth: '2026-11-02', preferredLocationId: aurora }))
        .expect(201);

      const location = await t
        .http()
        .post('/api/patients')
        .set(auth)
        .send(patientBody({ preferredLocationId: UNKNOWN_ID }))
        .expect(400);
      expect(fieldsOf(location.body)).toEqual(['preferredLocationId']);
      const notUuid = await t
        .http()
        .post('/api/patients')
        .set(auth)
        .send(patientBody({ preferredLocationId: 'aurora' }))
        .expect(400);
      expect(fieldsOf(notUuid.body)).toEqual(['preferredLocationId']);

      const missing = await t.http().post('/api/patients').set(auth).send({}).expect(400);
      expect(fieldsOf(missing.body)).toEqual(expect.arrayContaining(['firstName', 'lastName', 'dateOfBirth', 'phone', 'smsOptIn']));
      const blank = await t
        .http()
        .post('/api/patients')
        .set(auth)
        .send(patientBody({ lastName: '   ', preferredLocationId: aurora }))
        .expect(400);
      expect(fieldsOf(blank.body)).toEqual(['lastName']);
      const tooLong = await t
        .http()
        .post('/api/patients')
        .set(auth)
        .send(patientBody({ phone: '+1303555010012345', preferredLocationId: aurora }))
        .expect(400);
      expect(fieldsOf(tooLong.body)).toEqual(['phone']);
    });

    it('lets front desk and admin create, not nurses or providers', async () => {
      await t.http().post('/api/patients').set(t.headers.nurse).send(patientBody()).expect(403);
      await t.http().post('/api/patients').set(t.headers.provider).send(patientBody()).expect(403);
      await t.http().post('/api/patients').set(t.headers.admin).send(patientBody()).expect(201);
      await t.http().post('/api/patients').send(patientBody()).expect(401);
    });
  });

  describe('read', () => {
    it('returns a patient to any clinical role and audits every read', async () => {
      const patient = await registerPatient(t);
      for (const role of ['front_desk', 'nurse', 'provider', 'admin'] as const) {
        const response = await t.http().get(`/api/patients/${patient.id}`).set(t.headers[role]).set('x-request-id', `patient-read-${role}`).expect(200);
        expect(response.body).toEqual(patient);
        expect(await auditRows(`patient-read-${role}`)).toEqual([
          expect.objectContaining({ action: 'patient.read', actor_role: role, entity_type: 'patient', entity_id: patient.id, details: null }),
        ]);
      }
    });

    it('answers a bad id with 400 naming it and an unknown id with 404', async () => {
      const auth = t.headers.nurse;
      const bad = await t.http().get('/api/patients/not-a-uuid').set(auth).expect(400);
      expect(bad.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
      const missing = await t.http().get(`/api/patients/${UNKNOWN_ID}`).set(auth).set('x-request-id', 'patient-read-404').expect(404);
      expect(missing.headers['content-type']).toContain('application/problem+json');
      expect(missing.body).toMatchObject({ status: 404, detail: `Patient ${UNKNOWN_ID} does not exist` });
      expect(await auditRows('patient-read-404')).toEqual([]);
    });
  });

  describe('search', () => {
    let ids: Record<string, string>;

    beforeAll(async () => {
      const make = (firstName: string, lastName: string, extra: Record<string, unknown> = {}) =>
        registerPatient(t, { firstName, lastName, ...extra }).then((p) => p.id as string);
      ids = {
        anaZ: await make('Ana', 'Zephyrine'),
        bo: await make('Bo', 'Zephyrine'),
        anaY: await make('ana', 'Yarrowmere', { phone: '+13035559876', dateOfBirth: '1961-07-04' }),
        cy: await make('Cy', 'Zephyrine-Holt'),
      };
    });

    async function search(query: string, requestId?: string) {
      const request = t.http().get(`/api/patients?${query}`).set(t.headers.nurse);
      if (requestId) request.set('x-request-id', requestId);
      return request.expect(200);
    }

    it('matches a name fragment case-insensitively, as "first last" or "last, first", sorted by last, first', async () => {
      const byLast = await search('search=ZEPHYR');
      expect(byLast.body.map((p: { id: string }) => p.id)).toEqual([ids.anaZ, ids.bo, ids.cy]);
      expect((await search(`search=${encodeURIComponent('ana zeph')}`)).body.map((p: { id: string }) => p.id)).toEqual([ids.anaZ]);
      expect((await search(`search=${encodeURIComponent('zephyrine, b')}`)).body.map((p: { id: string }) => p.id)).toEqual([ids.bo]);
      expect((await search(`search=${encodeURIComponent('Yarrowmere,Ana')}`)).body.map((p: { id: string }) => p.id)).toEqual([ids.anaY]);
      expect((await search(`search=${encodeURIComponent('%%')}`)).body).toEqual([]);
    });

    it('matches a phone number or a date of birth exactly', async () => {
      expect((await search(`search=${encodeURIComponent('(303) 555-9876')}`)).body.map((p: { id: string }) => p.id)).toEqual([ids.anaY]);
      expect((await search(`search=${encodeURIComponent('+13035559876')}`)).body.map((p: { id: string }) => p.id)).toEqual([ids.anaY]);
      expect((await search('search=555987')).body).toEqual([]);
      expect((await search('search=1961-07-04')).body.map((p: { id: string }) => p.id)).toEqual([ids.anaY]);
    });

    it('pages with limit and the x-next-cursor header, and audits each patient returned', async () => {
      const first = await search('search=zephyr&limit=2', 'patient-search-page-1');
      expect(first.body.map((p: { id: string }) => p.id)).toEqual([ids.anaZ, ids.bo]);
      const cursor = first.headers['x-next-cursor'];
      expect(cursor).toBe(ids.bo);
      const second = await search(`search=zephyr&limit=2&cursor=${cursor}`, 'patient-search-page-2');
      expect(second.body.map((p: { id: string }) => p.id)).toEqual([ids.cy]);
      expect(second.headers['x-next-cursor']).toBeUndefined();

      const audit = await auditRows('patient-search-page-1');
      expect(audit.map((row) => [row.action, row.entity_type, row.entity_id, row.actor_role])).toEqual([
        ['patient.read', 'patient', ids.anaZ, 'nurse'],
        ['patient.read', 'patient', ids.bo, 'nurse'],
      ]);
      expect(audit.every((row) => row.details === null)).toBe(true);
      expect((await auditRows('patient-search-page-2')).map((row) => row.entity_id)).toEqual([ids.cy]);

      await search('search=nobody-by-this-name', 'patient-search-empty');
      expect(await auditRows('patient-search-empty')).toEqual([]);
    });

    it('lists everyone without a search, 50 to a page by default, to admins only', async () => {
      const all = await t.http().get('/api/patients').set(t.headers.admin).expect(200);
      const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM patients');
      expect(all.body).toHaveLength(Math.min(50, count));
      // Nobody else pages through every patient: a search of at least 2 characters.
      for (const query of ['', 'search=', 'search=z', 'search=%20%20z%20']) {
        const refused = await t.http().get(`/api/patients?${query}`).set(t.headers.nurse).expect(400);
        expect(fieldsOf(refused.body)).toEqual(['search']);
      }
    });

    it('refuses bad paging and search values with 400 naming the parameter', async () => {
      const auth = t.headers.nurse;
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['limit=abc', 'limit'],
        ['cursor=abc', 'cursor'],
        [`search=zephyr&cursor=${UNKNOWN_ID}`, 'cursor'],
        ['search=2026-02-30', 'search'],
        ['sort=name', 'sort'],
      ]) {
        const response = await t.http().get(`/api/patients?${query}`).set(auth).expect(400);
        expect([...new Set(fieldsOf(response.body))]).toEqual([field]);
      }
    });
  });

  describe('update', () => {
    it('applies a subset of fields and audits only the names of those that changed', async () => {
      const patient = await registerPatient(t, { remsEnrolledAt: '2026-09-01T10:00:00-06:00' });
      const auth = t.headers.front_desk;
      const response = await t
        .http()
        .patch(`/api/patients/${patient.id}`)
        .set(auth)
        .set('x-request-id', 'patient-update-1')
        .send({ phone: '+17205550199', smsOptIn: false, firstName: patient.firstName, remsEnrolledAt: null })
        .expect(200);
      expect(response.body).toMatchObject({ ...patient, phone: '+17205550199', smsOptIn: false, remsEnrolledAt: null, updatedAt: expect.any(String) });
      const [stored] = await t.dataSource.query('SELECT phone, sms_opt_in, rems_enrolled_at FROM patients WHERE id = $1', [patient.id]);
      expect(stored).toEqual({ phone: '+17205550199', sms_opt_in: false, rems_enrolled_at: null });
      const audit = await auditRows('patient-update-1');
      expect(audit).toEqual([
        expect.objectContaining({
          action: 'patient.update',
          entity_id: patient.id,
          details: { fields: ['phone', 'smsOptIn', 'remsEnrolledAt'] },
        }),
      ]);
      expect(JSON.stringify(audit)).not.toContain('7205550199');

      await t.http().patch(`/api/patients/${patient.id}`).set(auth).send({ preferredLocationId: aurora }).expect(200);
      const cleared = await t.http().patch(`/api/patients/${patient.id}`).set(auth).send({ preferredLocationId: null }).expect(200);
      expect(cleared.body.preferredLocationId).toBeNull();
    });

    it('refuses an empty body, nulls in required fields, bad values and unknown ids', async () => {
      const patient = await registerPatient(t);
      const auth = t.headers.front_desk;
      const empty = await t.http().patch(`/api/patients/${patient.id}`).set(auth).send({}).expect(400);
      expect(fieldsOf(empty.body)).toEqual(['body']);
      const nulls = await t.http().patch(`/api/patients/${patient.id}`).set(auth).send({ firstName: null, smsOptIn: null }).expect(400);
      expect(fieldsOf(nulls.body)).toEqual(expect.arrayContaining(['firstName', 'smsOptIn']));
      const bad = await t.http().patch(`/api/patients/${patient.id}`).set(auth).send({ phone: '5550100', dateOfBirth: '2030-01-01' }).expect(400);
      expect(fieldsOf(bad.body)).toEqual(['phone']);
      const future = await t.http().patch(`/api/patients/${patient.id}`).set(auth).send({ dateOfBirth: '2030-01-01' }).expect(400);
      expect(fieldsOf(future.body)).toEqual(['dateOfBirth']);
      const unknown = await t.http().patch(`/api/patients/${patient.id}`).set(auth).send({ id: UNKNOWN_ID }).expect(400);
      expect(unknown.body.errors).toEqual([{ field: 'id', message: 'unknown field' }]);
      await t.http().patch(`/api/patients/${UNKNOWN_ID}`).set(auth).send({ smsOptIn: false }).expect(404);
      await t.http().patch(`/api/patients/${patient.id}`).set(t.headers.nurse).send({ smsOptIn: false }).expect(403);
      const [stored] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [patient.id]);
      expect(stored.sms_opt_in).toBe(true);
    });
  });

  describe('medication trials', () => {
    it('records trials, lists them by start date, and audits both', async () => {
      const patient = await registerPatient(t);
      const auth = t.headers.front_desk;
      const trial = { medication: 'sertraline', drugClass: 'SSRI', startedOn: '2025-06-01', weeks: 8, adequate: true, outcome: 'no_response' };
      const created = await t
        .http()
        .post(`/api/patients/${patient.id}/medication-trials`)
        .set(auth)
        .set('x-request-id', 'trial-create-1')
        .send(trial)
        .expect(201);
      expect(created.body).toEqual({ id: expect.any(String), patientId: patient.id, ...trial, createdAt: expect.any(String) });
      await t
        .http()
        .post(`/api/patients/${patient.id}/medication-trials`)
        .set(auth)
        .send({ ...trial, medication: 'bupropion', drugClass: 'NDRI', startedOn: '2024-11-15', outcome: 'partial_response' })
        .expect(201);
      const [stored] = await t.dataSource.query('SELECT patient_id, medication, weeks, adequate, outcome FROM medication_trials WHERE id = $1', [
        created.body.id,
      ]);
      expect(stored).toEqual({ patient_id: patient.id, medication: 'sertraline', weeks: 8, adequate: true, outcome: 'no_response' });
      expect(await auditRows('trial-create-1')).toEqual([
        expect.objectContaining({
          action: 'patient.medication-trial.create',
          entity_type: 'patient',
          entity_id: patient.id,
          details: { trialId: created.body.id },
        }),
      ]);

      const list = await t.http().get(`/api/patients/${patient.id}/medication-trials`).set(t.headers.provider).set('x-request-id', 'trial-list-1').expect(200);
      expect(list.body.map((t: { medication: string }) => t.medication)).toEqual(['bupropion', 'sertraline']);
      expect(await auditRows('trial-list-1')).toEqual([expect.objectContaining({ action: 'patient.medication-trial.read', entity_id: patient.id })]);
    });

    it('validates trials, refuses nurses, and 404s for an unknown patient', async () => {
      const patient = await registerPatient(t);
      const auth = t.headers.front_desk;
      const bad = await t
        .http()
        .post(`/api/patients/${patient.id}/medication-trials`)
        .set(auth)
        .send({ medication: '', drugClass: 'SSRI', startedOn: '2025-6-1', weeks: 521, adequate: 'true', outcome: 'worse' })
        .expect(400);
      expect(fieldsOf(bad.body)).toEqual(expect.arrayContaining(['medication', 'startedOn', 'weeks', 'adequate', 'outcome']));
      const trial = { medication: 'sertraline', drugClass: 'SSRI', startedOn: '2025-06-01', weeks: 2.5, adequate: true, outcome: 'response' };
      expect(fieldsOf((await t.http().post(`/api/patients/${patient.id}/medication-trials`).set(auth).send(trial).expect(400)).body)).toEqual(['weeks']);
      const good = { ...trial, weeks: 6 };
      await t.http().post(`/api/patients/${patient.id}/medication-trials`).set(t.headers.nurse).send(good).expect(403);
      await t.http().post(`/api/patients/${UNKNOWN_ID}/medication-trials`).set(auth).send(good).expect(404);
      await t.http().get(`/api/patients/${UNKNOWN_ID}/medication-trials`).set(auth).expect(404);
    });
  });

  describe('authorizations', () => {
    it('records an authorization with a default threshold of 2, and audits it', async () => {
      const patient = await registerPatient(t);
      const created = await t
        .http()
        .post(`/api/patients/${patient.id}/authorizations`)
        .set(t.headers.front_desk)
        .set('x-request-id', 'authorization-create-1')
        .send({ payer: 'Rocky Mountain Health Plans', treatment: 'tms', approvedSessions: 36, validFrom: '2026-11-01', validTo: '2027-01-31' })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        patientId: patient.id,
        payer: 'Rocky Mountain Health Plans',
        treatment: 'tms',
        approvedSessions: 36,
        validFrom: '2026-11-01',
        validTo: '2027-01-31',
        requiredFailedTrials: 2,
        createdAt: expect.any(String),
      });
      const [stored] = await t.dataSource.query('SELECT treatment, approved_sessions, required_failed_trials FROM authorizations WHERE id = $1', [
        created.body.id,
      ]);
      expect(stored).toEqual({ treatment: 'tms', approved_sessions: 36, required_failed_trials: 2 });
      expect(await auditRows('authorization-create-1')).toEqual([
        expect.objectContaining({
          action: 'patient.authorization.create',
          entity_id: patient.id,
          details: { authorizationId: created.body.id, treatment: 'tms' },
        }),
      ]);
      const list = await t.http().get(`/api/patients/${patient.id}/authorizations`).set(t.headers.nurse).expect(200);
      expect(list.body).toEqual([created.body]);
    });

    it('refuses validTo before validFrom and other bad values with 400 naming the field', async () => {
      const patient = await registerPatient(t);
      const auth = t.headers.front_desk;
      const base = { payer: 'Payer', treatment: 'spravato', approvedSessions: 24, validFrom: '2026-11-01', validTo: '2027-04-30' };
      const reversed = await t
        .http()
        .post(`/api/patients/${patient.id}/authorizations`)
        .set(auth)
        .send({ ...base, validFrom: '2026-12-01', validTo: '2026-11-30' })
        .expect(400);
      expect(reversed.body.errors).toEqual([{ field: 'validTo', message: 'validTo must not be before validFrom' }]);
      const bad = await t
        .http()
        .post(`/api/patients/${patient.id}/authorizations`)
        .set(auth)
        .send({ ...base, treatment: 'lithium', approvedSessions: 0, requiredFailedTrials: -1, validFrom: 'soon' })
        .expect(400);
      expect(fieldsOf(bad.body)).toEqual(expect.arrayContaining(['treatment', 'approvedSessions', 'requiredFailedTrials', 'validFrom']));
      await t.http().post(`/api/patients/${patient.id}/authorizations`).set(t.headers.provider).send(base).expect(403);
      await t.http().post(`/api/patients/${UNKNOWN_ID}/authorizations`).set(auth).send(base).expect(404);
      const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM authorizations WHERE patient_id = $1', [patient.id]);
      expect(count).toBe(0);
    });
  });

  describe('eligibility', () => {
    let patientId: string;
    let otherPatientId: string;
    let spravatoAuthorizationId: string;

    async function insertAppointment(patient: string, type: string, status: string, startsAt: string): Promise<void> {
      const start = new Date(startsAt);
      const end = new Date(start.getTime() + 2 * 60 * 60_000);
      await t.dataSource.query(
        `INSERT INTO appointments (patient_id, type, status, location_id, starts_at, ends_at, occupancy_starts_at, occupancy_ends_at)
         VALUES ($1, $2, $3, $4, $5, $6, $5, $6)`,
        [patient, type, status, aurora, start, end],
      );
    }

    async function eligibility(treatment: string, requestId?: string) {
      const request = t.http().get(`/api/patients/${patientId}/eligibility?treatment=${treatment}`).set(t.headers.provider);
      if (requestId) request.set('x-request-id', requestId);
      return (await request.expect(200)).body;
    }

    beforeAll(async () => {
      patientId = (await registerPatient(t)).id;
      otherPatientId = (await registerPatient(t)).id;
      for (const outcome of ['no_response', 'partial_response', 'intolerant', 'response']) {
        await addMedicationTrial(t, patientId, { startedOn: '2025-01-01', outcome });
      }
      // Not adequate: does not count whatever the outcome.
      await addMedicationTrial(t, patientId, { startedOn: '2025-01-01', adequate: false, weeks: 3, outcome: 'no_response' });
      const spravato = await addAuthorization(t, patientId, {
        payer: 'Payer A',
        treatment: 'spravato',
        approvedSessions: 3,
        validFrom: '2026-10-01',
        validTo: '2026-11-30',
      });
      spravatoAuthorizationId = spravato.id;
      await addAuthorization(t, patientId, {
        payer: 'Payer B',
        treatment: 'ketamine',
        approvedSessions: 6,
        validFrom: '2026-10-01',
        validTo: '2027-03-31',
        requiredFailedTrials: 4,
      });

      // Counted: the first minutes of validFrom (MDT) and the last of validTo (MST), clinic-local.
      await insertAppointment(patientId, 'spravato', 'discharged', at('2026-10-01', '00:30'));
      await insertAppointment(patientId, 'spravato', 'scheduled', at('2026-11-30', '21:30'));
      // Not counted: outside the window, released, another treatment, another patient.
      await insertAppointment(patientId, 'spravato', 'discharged', at('2026-09-30', '21:30'));
      await insertAppointment(patientId, 'spravato', 'scheduled', at('2026-12-01', '00:30'));
      await insertAppointment(patientId, 'spravato', 'cancelled', at('2026-10-08', '09:00'));
      await insertAppointment(patientId, 'spravato', 'no_show', at('2026-10-15', '09:00'));
      await insertAppointment(patientId, 'tms', 'discharged', at('2026-10-20', '09:00'));
      await insertAppointment(otherPatientId, 'spravato', 'discharged', at('2026-10-20', '09:00'));
    });

    afterEach(() => t.clock.set(NOW));

    it('counts adequate failed trials and the sessions already used under the authorization', async () => {
      const body = await eligibility('spravato', 'eligibility-read-1');
      expect(body).toEqual({
        eligible: true,
        failedAdequateTrials: 2,
        requiredFailedTrials: 2,
        authorization: { id: spravatoAuthorizationId, remainingSessions: 1, validTo: '2026-11-30' },
        reasons: [],
      });
      expect(await auditRows('eligibility-read-1')).toEqual([
        expect.objectContaining({
          action: 'patient.eligibility.read',
          actor_role: 'provider',
          entity_type: 'patient',
          entity_id: patientId,
          details: { treatment: 'spravato', eligible: true },
        }),
      ]);
    });

    it("applies the payer's threshold, and treats a treatment without authorization as self-pay", async () => {
      expect(await eligibility('ketamine')).toMatchObject({
        eligible: false,
        failedAdequateTrials: 2,
        requiredFailedTrials: 4,
        authorization: { remainingSessions: 6, validTo: '2027-03-31' },
        reasons: ['2 failed adequate trials on file; the payer requires 4'],
      });
      expect(await eligibility('tms')).toEqual({
        eligible: true,
        failedAdequateTrials: 2,
        requiredFailedTrials: 2,
        authorization: null,
        reasons: ['no authorization on file for tms (self-pay)'],
      });
    });

    it('is not eligible once the authorization expires', async () => {
      t.clock.set('2026-12-01T16:00:00Z');
      expect(await eligibility('spravato')).toMatchObject({
        eligible: false,
        authorization: { id: spravatoAuthorizationId, validTo: '2026-11-30' },
        reasons: ['authorization expired on 2026-11-30'],
      });
    });

    it('is not eligible when every approved session is booked', async () => {
      await insertAppointment(patientId, 'spravato', 'checked_in', at('2026-11-02', '09:00'));
      expect(await eligibility('spravato')).toEqual({
        eligible: false,
        failedAdequateTrials: 2,
        requiredFailedTrials: 2,
        authorization: { id: spravatoAuthorizationId, remainingSessions: 0, validTo: '2026-11-30' },
        reasons: ['no approved sessions remaining (3 of 3 used)'],
      });
    });

    it('needs a known treatment, a known patient and a clinical role', async () => {
      const auth = t.headers.nurse;
      const missing = await t.http().get(`/api/patients/${patientId}/eligibility`).set(auth).expect(400);
      expect(fieldsOf(missing.body)).toEqual(['treatment']);
      const unknown = await t.http().get(`/api/patients/${patientId}/eligibility?treatment=lithium`).set(auth).expect(400);
      expect(fieldsOf(unknown.body)).toEqual(['treatment']);
      await t.http().get(`/api/patients/${UNKNOWN_ID}/eligibility?treatment=tms`).set(auth).expect(404);
      await t.http().get(`/api/patients/${patientId}/eligibility?treatment=tms`).set(t.headers.front_desk).expect(200);
    });
  });

  describe('audit log', () => {
    it('never holds a patient name, phone or date of birth', async () => {
      const patients: Array<{ first_name: string; last_name: string; phone: string; dob: string }> = await t.dataSource.query(
        `SELECT first_name, last_name, phone, to_char(date_of_birth, 'YYYY-MM-DD') AS dob FROM patients`,
      );
      const rows: Array<{ details: unknown }> = await t.dataSource.query(`SELECT details FROM audit_log WHERE entity_type = 'patient'`);
      expect(rows.length).toBeGreaterThan(20);
      const details = JSON.stringify(rows.map((row) => row.details));
      for (const p of patients) {
        for (const value of [p.last_name, p.phone, p.dob]) expect(details).not.toContain(value);
      }
    });
  });

  describe('documentation', () => {
    it('documents the patient routes and their fields', async () => {
      const doc = (await t.http().get('/docs-json').expect(200)).body;
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/patients',
          '/api/patients/{id}',
          '/api/patients/{id}/medication-trials',
          '/api/patients/{id}/authorizations',
          '/api/patients/{id}/eligibility',
        ]),
      );
      expect(Object.keys(doc.components.schemas.CreatePatientDto.properties)).toEqual(
        expect.arrayContaining(['firstName', 'lastName', 'dateOfBirth', 'phone', 'smsOptIn', 'preferredLocationId', 'remsEnrolledAt']),
      );
      expect(doc.paths['/api/patients'].post.tags).toEqual(['patients']);
    });
  });
});
