import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, createPatient, resourceIds, useStaffedClinic } from './support/factories';
import { r4Issues } from './support/fhir';
import { sessionClient } from './support/sessions';

const NOW = '2027-07-01T12:00:00Z';
const DAY = '2027-08-02'; // a Monday, MDT
const TYPE_SYSTEM = 'urn:clinic-scheduler:appointment-type';
const FHIR_JSON = 'application/fhir+json';

describe('FHIR R4: read and search, $find and $book under the booking rules ($hold: fhir-hold.e2e-spec.ts)', () => {
  const t = useTestApp({ now: NOW });
  const aurora = useStaffedClinic(t, 'aurora', [DAY], 2);
  const s = sessionClient(t);
  let patientId: string;
  let booked: { id: string };

  const get = (path: string, role: 'front_desk' | 'nurse' | 'provider' | 'admin' = 'front_desk') => t.http().get(`/fhir/R4/${path}`).set(t.headers[role]);
  const post = (path: string, body: unknown, role: 'front_desk' | 'nurse' | 'provider' | 'admin' = 'front_desk') =>
    t.http().post(`/fhir/R4/${path}`).set(t.headers[role]).set('content-type', FHIR_JSON).send(JSON.stringify(body));
  /** A 2xx FHIR answer: its content type, and the resource valid against R4. */
  const valid = (response: { status: number; headers: Record<string, string>; body: any }) => {
    expect(response.headers['content-type']).toBe(`${FHIR_JSON}; charset=utf-8`);
    expect(r4Issues(response.body)).toEqual([]);
    return response.body;
  };
  const findParameters = (extra: Array<Record<string, unknown>> = [], type = 'spravato') => ({
    resourceType: 'Parameters',
    parameter: [
      { name: 'start', valueDateTime: at(DAY, '00:00') },
      { name: 'end', valueDateTime: at(DAY, '23:59') },
      { name: 'service-type', valueCoding: { system: TYPE_SYSTEM, code: type } },
      { name: 'location', valueReference: { reference: `Location/${aurora.id}` } },
      ...extra,
    ],
  });
  const entries = (bundle: any) => (bundle.entry ?? []).map((entry: any) => entry.resource);

  beforeAll(async () => {
    patientId = await createPatient(t.dataSource, { firstName: 'Imelda', lastName: 'Fhirtest' });
    // A chair taken at 09:00 cuts the day's availability.
    booked = await bookAppointment(t, { ...aurora.booking('spravato', DAY, '09:00', 0), patientId });
  });

  it('publishes a CapabilityStatement of exactly what it supports, without a token', async () => {
    const statement = valid(await t.http().get('/fhir/R4/metadata').expect(200));
    expect(statement).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance', status: 'active' });
    const resources = statement.rest[0].resource;
    expect(resources.map((r: { type: string }) => r.type)).toEqual([
      'Patient',
      'Location',
      'Practitioner',
      'HealthcareService',
      'Schedule',
      'Slot',
      'Appointment',
    ]);
    expect(resources.every((r: { interaction: Array<{ code: string }> }) => r.interaction.map((i) => i.code).join() === 'read,search-type')).toBe(true);
    expect(resources.find((r: { type: string }) => r.type === 'Appointment').operation.map((o: { name: string }) => o.name)).toEqual(['find', 'hold', 'book']);
  });

  it('answers errors as OperationOutcomes: no token, wrong role, unknown id, unknown resource type, unknown parameter', async () => {
    const cases = [
      [await t.http().get(`/fhir/R4/Patient/${patientId}`), 401, 'login'],
      [await post('Appointment/$book', findParameters(), 'nurse'), 403, 'forbidden'],
      [await get('Patient/7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00'), 404, 'not-found'],
      [await get('Patient/not-an-id'), 404, 'not-found'],
      [await get('Observation'), 404, 'not-found'],
      [await get('Appointment?colour=red'), 400, 'invalid'],
    ] as const;
    for (const [response, status, code] of cases) {
      expect({ status: response.status, code: response.body.issue?.[0]?.code }).toEqual({ status, code });
      valid(response);
    }
    expect(cases[5][0].body.issue[0].expression).toEqual(['colour']);
  });

  it('$find proposes exactly the starts GET /api/availability lists for the same window', async () => {
    const listed = (
      await t
        .http()
        .get('/api/availability')
        .query({ type: 'spravato', locationId: aurora.id, from: at(DAY, '00:00'), to: at(DAY, '23:59') })
        .set(t.headers.front_desk)
        .expect(200)
    ).body;
    const found = valid(await post('Appointment/$find', findParameters()).expect(200));
    expect(found).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    const proposed = entries(found);
    expect(listed.length).toBeGreaterThan(10);
    expect(proposed).toHaveLength(listed.length);
    expect(proposed.map((a: any) => [a.start, a.end, a.participant.map((p: any) => p.actor.reference)])).toEqual(
      listed.map((slot: any) => [slot.startsAt, slot.endsAt, [`Location/${aurora.id}`, `Location/${slot.resourceId}`]]),
    );
    expect(proposed.every((a: any) => a.status === 'proposed' && a.serviceType[0].coding[0].code === 'spravato')).toBe(true);
    // The chair taken at 09:00 is not proposed then.
    expect(proposed.filter((a: any) => a.start === at(DAY, '09:00')).map((a: any) => a.participant[1].actor.reference)).not.toContain(
      `Location/${aurora.chairs[0]}`,
    );
    // The same as a GET, with the parameters in the query.
    const byQuery = await get(
      `Appointment/$find?start=${encodeURIComponent(at(DAY, '00:00'))}&end=${encodeURIComponent(at(DAY, '23:59'))}&service-type=spravato&location=Location/${aurora.id}`,
    ).expect(200);
    expect(entries(byQuery.body)).toEqual(proposed);
  });

  it("$find for a patient applies that patient's rules: the times the patient is busy, and their treatments that day", async () => {
    const patient = [{ name: 'patient', valueReference: { reference: `Patient/${patientId}` } }];
    // A TMS session is possible that day, but not while the patient is in the Spravato chair (09:00–11:30).
    const proposed = entries(valid(await post('Appointment/$find', findParameters(patient, 'tms')).expect(200)));
    expect(proposed.length).toBeGreaterThan(0);
    const busy = { start: Date.parse(at(DAY, '09:00')), end: Date.parse(at(DAY, '11:30')) };
    expect(proposed.filter((a: any) => Date.parse(a.start) < busy.end && Date.parse(a.end) > busy.start)).toEqual([]);
    expect(proposed[0].participant[0]).toEqual({ actor: { reference: `Patient/${patientId}` }, required: 'required', status: 'needs-action' });
    // A second Spravato the same day is never right (treatment-frequency): none is proposed for this patient.
    const spravato = entries(valid(await post('Appointment/$find', findParameters(patient)).expect(200)));
    expect(spravato).toEqual([]);
    const [audit] = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'patient.availability.read' AND entity_id = $1`, [patientId]);
    expect(audit.details).toMatchObject({ via: 'fhir' });
  });

  it('refuses $find without its required parameters, naming each', async () => {
    const response = await post('Appointment/$find', {
      resourceType: 'Parameters',
      parameter: [{ name: 'start', valueDateTime: '2027-08-02T00:00:00' }],
    }).expect(400);
    expect(response.body.issue.map((i: any) => i.expression[0])).toEqual(['start']);
    const missing = await post('Appointment/$find', { resourceType: 'Parameters', parameter: [] }).expect(400);
    expect(missing.body.issue.map((i: any) => i.expression[0])).toEqual(['start', 'end', 'service-type']);
    await post('Appointment/$find', { resourceType: 'Patient' }).expect(400);
  });

  it('$book books a proposed appointment like POST /api/appointments, and a second $book of it is a 409 naming the rule', async () => {
    const [proposal] = entries((await post('Appointment/$find', findParameters([], 'tms')).expect(200)).body);
    const first = await createPatient(t.dataSource);
    const withPatient = (id: string) => ({
      ...proposal,
      participant: [{ actor: { reference: `Patient/${id}` }, status: 'needs-action' }, ...proposal.participant],
    });

    const response = await post('Appointment/$book', { resourceType: 'Parameters', parameter: [{ name: 'appointment', resource: withPatient(first) }] }).expect(
      201,
    );
    const appointment = valid(response);
    expect(appointment).toMatchObject({ resourceType: 'Appointment', status: 'booked', start: proposal.start, end: proposal.end });
    expect(response.headers.location).toBe(`http://localhost:3000/fhir/R4/Appointment/${appointment.id}`);
    const [row] = await t.dataSource.query('SELECT patient_id, type, resource_id, status, starts_at FROM appointments WHERE id = $1', [appointment.id]);
    expect(row).toMatchObject({
      patient_id: first,
      type: 'tms',
      resource_id: proposal.participant[1].actor.reference.slice('Location/'.length),
      status: 'scheduled',
    });
    expect(row.starts_at.toISOString()).toBe(new Date(proposal.start).toISOString());
    const audit = await t.dataSource.query(`SELECT action FROM audit_log WHERE entity_id = $1`, [appointment.id]);
    expect(audit.map((a: { action: string }) => a.action)).toContain('appointment.create');
    // The booking's reminder texts were planned with it, as for any booking.
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM reminders WHERE appointment_id = $1', [appointment.id]);
    expect(count).toBeGreaterThan(0);

    const second = await post('Appointment/$book', {
      resourceType: 'Parameters',
      parameter: [{ name: 'appointment', resource: withPatient(await createPatient(t.dataSource)) }],
    }).expect(409);
    valid(second);
    expect(second.body.issue).toEqual([
      {
        severity: 'error',
        code: 'conflict',
        details: { coding: [{ system: 'urn:clinic-scheduler:rule', code: 'resource-overlap' }], text: 'Refused by the rule resource-overlap' },
        diagnostics: expect.any(String),
      },
    ]);
    const [{ booked: stored }] = await t.dataSource.query(
      `SELECT count(*)::int AS booked FROM appointments WHERE starts_at = $1 AND resource_id = $2 AND status = 'scheduled'`,
      [new Date(proposal.start), row.resource_id],
    );
    expect(stored).toBe(1);
  });

  it('$book takes an Idempotency-Key: the same key and body answer the same again, a refusal again as an OperationOutcome', async () => {
    const [proposal] = entries((await post('Appointment/$find', findParameters([], 'tms')).expect(200)).body);
    const patient = await createPatient(t.dataSource);
    const body = {
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'appointment',
          resource: { ...proposal, participant: [{ actor: { reference: `Patient/${patient}` }, status: 'needs-action' }, ...proposal.participant] },
        },
      ],
    };
    const once = await post('Appointment/$book', body).set('Idempotency-Key', 'fhir-book-1').expect(201);
    const again = await post('Appointment/$book', body).set('Idempotency-Key', 'fhir-book-1').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(once.body.id);
    valid(again);
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM appointments WHERE patient_id = $1', [patient]);
    expect(count).toBe(1);

    const other = {
      ...body,
      parameter: [
        {
          name: 'appointment',
          resource: {
            ...body.parameter[0].resource,
            participant: [{ actor: { reference: `Patient/${await createPatient(t.dataSource)}` } }, ...proposal.participant],
          },
        },
      ],
    };
    const refused = await post('Appointment/$book', other).set('Idempotency-Key', 'fhir-book-2').expect(409);
    const replayed = await post('Appointment/$book', other).set('Idempotency-Key', 'fhir-book-2').expect(409);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(refused.body);
    valid(replayed);
  });

  it('refuses a malformed $book with a 400 OperationOutcome naming what is wrong, and books nothing', async () => {
    const before = (await t.dataSource.query('SELECT count(*)::int AS count FROM appointments'))[0].count;
    const proposal = {
      resourceType: 'Appointment',
      status: 'proposed',
      serviceType: [{ coding: [{ system: TYPE_SYSTEM, code: 'tms' }] }],
      start: at(DAY, '15:00'),
      participant: [{ actor: { reference: `Location/${aurora.id}` }, status: 'accepted' }],
    };
    const noPatient = await post('Appointment/$book', { resourceType: 'Parameters', parameter: [{ name: 'appointment', resource: proposal }] }).expect(400);
    expect(noPatient.body.issue[0].expression).toEqual(['appointment.participant']);
    const unknownPatient = await post('Appointment/$book', {
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'appointment',
          resource: { ...proposal, participant: [{ actor: { reference: 'Patient/7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00' } }, ...proposal.participant] },
        },
      ],
    }).expect(400);
    expect(unknownPatient.body.issue[0].expression).toEqual(['appointment.participant']);
    const malformed = await t
      .http()
      .post('/fhir/R4/Appointment/$book')
      .set(t.headers.front_desk)
      .set('content-type', FHIR_JSON)
      .send('{"resourceType":')
      .expect(400);
    expect(malformed.body.resourceType).toBe('OperationOutcome');
    expect((await t.dataSource.query('SELECT count(*)::int AS count FROM appointments'))[0].count).toBe(before);
  });

  it('reads and searches appointments, with our statuses mapped to FHIR', async () => {
    const appointment = valid(await get(`Appointment/${booked.id}`).expect(200));
    expect(appointment).toMatchObject({
      id: booked.id,
      status: 'booked',
      start: at(DAY, '09:00'),
      participant: [
        { actor: { reference: `Patient/${patientId}` } },
        { actor: { reference: `Location/${aurora.id}` } },
        { actor: { reference: `Location/${aurora.chairs[0]}` } },
      ],
      extension: [{ url: 'urn:clinic-scheduler:fhir:appointment-status', valueCode: 'scheduled' }],
    });
    const [audit] = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'appointment.read' AND entity_id = $1`, [booked.id]);
    expect(audit.details).toEqual({ patientId, via: 'fhir' });

    t.clock.set(at(DAY, '08:45'));
    await s.checkIn(booked.id).expect(200);
    const byPatient = valid(await get(`Appointment?patient=Patient/${patientId}&date=${DAY}`).expect(200));
    expect(entries(byPatient).map((a: any) => [a.id, a.status])).toEqual([[booked.id, 'checked-in']]);
    const byClinic = valid(await get(`Appointment?location=${aurora.id}&date=ge${DAY}&date=lt2027-08-03&status=checked-in`).expect(200));
    expect(entries(byClinic).map((a: any) => a.id)).toEqual([booked.id]);
    await get(`Appointment?location=${aurora.id}`).expect(400);
    t.clock.set(NOW);
  });

  it('reads and searches the directory: patients, clinics and their resources, practitioners, services, schedules', async () => {
    const patient = valid(await get(`Patient/${patientId}`, 'nurse').expect(200));
    expect(patient).toMatchObject({ resourceType: 'Patient', name: [{ family: 'Fhirtest', given: ['Imelda'] }], birthDate: '1980-05-17' });
    const search = valid(await get('Patient?family=fhirtest').expect(200));
    expect(entries(search).map((p: any) => p.id)).toEqual([patientId]);
    expect(entries(valid(await get('Patient?given=imelda').expect(200))).map((p: any) => p.id)).toEqual([patientId]);
    const equinox = await createPatient(t.dataSource, { firstName: 'Eq', lastName: 'Equinoxia' });
    expect(entries(valid(await get('Patient?name=equinoxia').expect(200))).map((p: any) => p.id)).toEqual([equinox]);
    await get('Patient?birthdate=ge1980-05-17').expect(400);
    await get('Patient').expect(400);

    const clinics = entries(valid(await get('Location?name=aurora').expect(200)));
    expect(clinics.map((l: any) => l.id)).toContain(aurora.id);
    const inside = entries(valid(await get(`Location?partof=Location/${aurora.id}&type=treatment_chair`).expect(200)));
    expect(inside.map((l: any) => l.id).sort()).toEqual([...aurora.chairs].sort());
    valid(await get(`Location/${aurora.chairs[0]}`).expect(200));

    const practitioners = entries(valid(await get('Practitioner').expect(200)));
    expect(practitioners.length).toBeGreaterThan(0);
    valid(await get(`Practitioner/${practitioners[0].id}`).expect(200));

    const services = entries(valid(await get('HealthcareService').expect(200)));
    expect(services.map((h: any) => h.id)).toEqual(['spravato', 'ketamine', 'tms', 'ect', 'intake', 'follow-up']);
    valid(await get('HealthcareService/follow-up').expect(200));

    const schedules = entries(valid(await get(`Schedule?actor=Location/${aurora.chairs[0]}`).expect(200)));
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ id: aurora.chairs[0], serviceType: [{ coding: [{ code: 'spravato' }] }, { coding: [{ code: 'ketamine' }] }] });
    const tmsSchedules = entries(valid(await get('Schedule?service-type=tms').expect(200)));
    const devices = await resourceIds(t.dataSource, 'aurora', 'tms_device');
    expect(tmsSchedules.map((sc: any) => sc.id)).toEqual(expect.arrayContaining(devices));
  });

  it("computes a chair schedule's free slots as availability does, and its busy ones from its bookings", async () => {
    const chair = aurora.chairs[0];
    const window = `start=ge${encodeURIComponent(at(DAY, '00:00'))}&start=lt${encodeURIComponent(at(DAY, '23:59'))}`;
    const free = entries(valid(await get(`Slot?schedule=Schedule/${chair}&${window}&status=free&service-type=spravato`).expect(200)));
    const listed = (
      await t
        .http()
        .get('/api/availability')
        .query({ type: 'spravato', locationId: aurora.id, from: at(DAY, '00:00'), to: at(DAY, '23:59'), resourceId: chair })
        .set(t.headers.front_desk)
        .expect(200)
    ).body;
    expect(free.length).toBeGreaterThan(0);
    expect(free.map((slot: any) => [slot.start, slot.end])).toEqual(listed.map((slot: any) => [slot.startsAt, slot.endsAt]));
    const busy = entries(valid(await get(`Slot?schedule=Schedule/${chair}&${window}&status=busy`).expect(200)));
    expect(busy.map((slot: any) => slot.start)).toEqual([at(DAY, '09:00')]);
    // A slot read by its id is computed again.
    const again = valid(await get(`Slot/${free[0].id}`).expect(200));
    expect(again).toMatchObject({ status: 'free', start: free[0].start });
    valid(await get(`Slot/${busy[0].id}`).expect(200));
    // Free slots need a service type; a recovery bay or a wrong type serves none.
    expect((await get(`Slot?schedule=Schedule/${chair}&${window}&status=free`).expect(400)).body.issue[0].expression).toEqual(['service-type']);
    await get(`Slot?schedule=Schedule/${chair}&${window}&status=free&service-type=tms`).expect(400);
    await get(`Slot?schedule=Schedule/${chair}&status=busy`).expect(400);
  });

  it('keeps local times right across the 2026 DST changes', async () => {
    const patient = await createPatient(t.dataSource);
    t.clock.set('2026-02-01T12:00:00Z');
    const before = await bookAppointment(t, { patientId: patient, type: 'tms', locationId: aurora.id, startsAt: at('2026-03-06', '10:00') });
    const after = await bookAppointment(t, { patientId: patient, type: 'tms', locationId: aurora.id, startsAt: at('2026-03-09', '10:00') });
    const found = entries(valid(await get(`Appointment?patient=${patient}&date=ge2026-03-01&date=lt2026-03-31`).expect(200)));
    expect(found.map((a: any) => [a.id, a.start])).toEqual([
      [before.id, '2026-03-06T10:00:00-07:00'],
      [after.id, '2026-03-09T10:00:00-06:00'],
    ]);
    t.clock.set(NOW);
  });
});
