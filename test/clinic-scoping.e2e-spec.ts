import type { Response } from 'supertest';
import { AuthHeader, useTestApp } from './support/app';
import { createAccount, session } from './support/accounts';
import { bookAppointment, createPatient, createStaff, useStaffedClinic } from './support/factories';
import { OpenApiDocument, operations, plausible } from './support/openapi-fuzz';

/**
 * api.md v2 "Clinic scoping", for every route of the OpenAPI document: staff of Aurora only, in each role
 * the route admits, aimed at Westminster's things. A patient they may not see is a 404 (a 400 naming the
 * field when the id is in a body, as an unknown id is); another clinic's location, appointment, course or
 * worklist item is a 403; a list shows nothing of Westminster's; nothing is stored. A route missing from
 * the table below fails the test: say how a new route is scoped (and declare it with @Access).
 */
type Expectation = { kind: 'refused'; status: 400 | 403 | 404 } | { kind: 'filtered' } | { kind: 'unscoped' } | { kind: 'admin-only' } | { kind: 'public' };

const refused = (status: 400 | 403 | 404): Expectation => ({ kind: 'refused', status });
const FILTERED: Expectation = { kind: 'filtered' };
const UNSCOPED: Expectation = { kind: 'unscoped' };
const ADMIN: Expectation = { kind: 'admin-only' };
const PUBLIC: Expectation = { kind: 'public' };

/** `hidden`: Westminster's own patient (404); `shared`: an Aurora patient's appointment at Westminster (403). */
const EXPECTATIONS: Record<string, Expectation | { hidden: Expectation; shared: Expectation }> = {
  'POST /api/auth/login': PUBLIC,
  'POST /api/auth/refresh': PUBLIC,
  'POST /api/auth/logout': UNSCOPED,
  'GET /api/auth/me': UNSCOPED,
  'POST /api/auth/password': UNSCOPED,
  'POST /api/auth/mfa/setup': UNSCOPED,
  'POST /api/auth/mfa/confirm': UNSCOPED,
  'GET /api/staff': ADMIN,
  'POST /api/staff': ADMIN,
  'PATCH /api/staff/{id}': ADMIN,
  'GET /api/staff/{id}/shifts': FILTERED,
  'POST /api/staff/{id}/shifts': ADMIN,
  'DELETE /api/staff/{id}/shifts/{shiftId}': ADMIN,
  'POST /api/staff/{id}/password-reset': ADMIN,
  'POST /api/staff/{id}/mfa-reset': ADMIN,
  'GET /api/audit': ADMIN,
  'GET /api/sms/outbox': ADMIN,
  'POST /api/webhooks/sms/inbound': PUBLIC,
  'POST /api/webhooks/sms/status': PUBLIC,
  'GET /api/locations': FILTERED,
  'GET /api/locations/{id}': refused(403),
  'GET /api/locations/{id}/resources': refused(403),
  'POST /api/locations/{id}/resources': ADMIN,
  'GET /api/locations/{id}/hours': refused(403),
  'PUT /api/locations/{id}/hours': ADMIN,
  'GET /api/locations/{id}/closures': refused(403),
  'POST /api/locations/{id}/closures': ADMIN,
  'DELETE /api/locations/{id}/closures/{date}': ADMIN,
  'GET /api/locations/{id}/observation': refused(403),
  'POST /api/patients': refused(403),
  'GET /api/patients': FILTERED,
  'GET /api/patients/{id}': refused(404),
  'PATCH /api/patients/{id}': { hidden: refused(404), shared: refused(403) },
  'POST /api/patients/{id}/medication-trials': refused(404),
  'GET /api/patients/{id}/medication-trials': refused(404),
  'POST /api/patients/{id}/authorizations': refused(404),
  'GET /api/patients/{id}/authorizations': refused(404),
  'GET /api/patients/{id}/eligibility': refused(404),
  'GET /api/patients/{id}/courses': { hidden: refused(404), shared: FILTERED },
  'POST /api/appointments': { hidden: refused(400), shared: refused(403) },
  'GET /api/appointments': { hidden: refused(404), shared: FILTERED },
  'GET /api/availability': { hidden: refused(404), shared: refused(403) },
  'POST /api/courses': { hidden: refused(400), shared: refused(403) },
  'GET /api/protocols': UNSCOPED,
  'GET /api/rems/pending': refused(403),
  'GET /api/dosing-clearances/waiting': refused(403),
  'GET /api/rems/forms.csv': refused(403),
  'GET /api/worklist': refused(403),
  'GET /api/reports/utilization': refused(403),
  'GET /api/reports/attendance': refused(403),
  'GET /api/reports/courses': refused(403),
  'GET /api/reports/rems': refused(403),
  'GET /api/reports/texts': refused(403),
  'POST /api/worklist/{id}/done': refused(403),
  'GET /api/courses/{id}': { hidden: refused(404), shared: refused(403) },
  'POST /api/courses/{id}/cancel': { hidden: refused(404), shared: refused(403) },
  'GET /api/locations/{id}/settings': refused(403),
  'PATCH /api/locations/{id}/settings': ADMIN,
  'POST /api/courses/{id}/replan': { hidden: refused(404), shared: refused(403) },
  'POST /api/courses/{id}/outcomes': { hidden: refused(404), shared: refused(403) },
  'GET /api/courses/{id}/outcomes': { hidden: refused(404), shared: refused(403) },
  'POST /api/waitlist': { hidden: refused(400), shared: refused(403) },
  'GET /api/waitlist': refused(403),
  'GET /api/waitlist/offers': refused(403),
  'DELETE /api/waitlist/{id}': { hidden: refused(404), shared: refused(403) },
  'GET /api/recalls': refused(403),
  // Refused before the stream opens (an admitted call would stream until the test timed out).
  'GET /api/events': refused(403),
  'POST /api/calendar-feeds': refused(403),
  'GET /api/calendar-feeds': UNSCOPED,
  'DELETE /api/calendar-feeds/{id}': UNSCOPED,
  'POST /api/webhooks/subscriptions': ADMIN,
  'GET /api/webhooks/subscriptions': ADMIN,
  'GET /api/webhooks/subscriptions/{id}': ADMIN,
  'DELETE /api/webhooks/subscriptions/{id}': ADMIN,
  'GET /api/webhooks/subscriptions/{id}/deliveries': ADMIN,
  // FHIR: the same tokens and the same scoping (refusals are OperationOutcomes).
  'GET /fhir/R4/metadata': PUBLIC,
  'GET /fhir/R4/Patient': FILTERED,
  'GET /fhir/R4/Patient/{id}': refused(404),
  'GET /fhir/R4/Appointment': { hidden: refused(404), shared: FILTERED },
  'GET /fhir/R4/Appointment/{id}': { hidden: refused(404), shared: refused(403) },
  'POST /fhir/R4/Appointment/$find': { hidden: refused(400), shared: refused(403) },
  'GET /fhir/R4/Appointment/$find': { hidden: refused(404), shared: refused(403) },
  'POST /fhir/R4/Appointment/$book': { hidden: refused(400), shared: refused(403) },
  'POST /fhir/R4/Appointment/$hold': { hidden: refused(400), shared: refused(403) },
  // The directory: clinics, resources, staff, services, schedules and free/busy slots (no patient data).
  'GET /fhir/R4/Location': UNSCOPED,
  'GET /fhir/R4/Location/{id}': UNSCOPED,
  'GET /fhir/R4/Practitioner': UNSCOPED,
  'GET /fhir/R4/Practitioner/{id}': UNSCOPED,
  'GET /fhir/R4/HealthcareService': UNSCOPED,
  'GET /fhir/R4/HealthcareService/{id}': UNSCOPED,
  'GET /fhir/R4/Schedule': UNSCOPED,
  'GET /fhir/R4/Schedule/{id}': UNSCOPED,
  'GET /fhir/R4/Slot': UNSCOPED,
  'GET /fhir/R4/Slot/{id}': UNSCOPED,
};
const TYPE_SYSTEM = 'urn:clinic-scheduler:appointment-type';
// Everything of an appointment (the session workflow, REMS form, reminders) follows the appointment.
const APPOINTMENT_ROUTE = /^\w+ \/api\/appointments\/\{id\}/;

describe('clinic scoping on every route', () => {
  const t = useTestApp({ now: '2027-07-01T15:00:00Z' });
  const westminster = useStaffedClinic(t, 'westminster', ['2027-07-06']);
  useStaffedClinic(t, 'aurora', ['2027-07-06']);
  let doc: OpenApiDocument;
  let proposal: { participant: unknown[]; [field: string]: unknown };
  let auroraStaff: Record<'front_desk' | 'nurse' | 'provider', AuthHeader>;
  /** Westminster's things; `shared` ones belong to an Aurora patient. */
  const w = {} as Record<
    'location' | 'patient' | 'appointment' | 'course' | 'item' | 'staff' | 'entry' | 'sharedPatient' | 'sharedAppointment' | 'sharedCourse' | 'sharedEntry',
    string
  >;

  beforeAll(async () => {
    doc = (await t.http().get('/docs-json').expect(200)).body;
    auroraStaff = {
      front_desk: (await session(t, await createAccount(t, 'front_desk', [t.locations.aurora]))).auth,
      nurse: (await session(t, await createAccount(t, 'nurse', [t.locations.aurora]))).auth,
      provider: (await session(t, await createAccount(t, 'provider', [t.locations.aurora]))).auth,
    };
    w.location = t.locations.westminster;
    w.patient = await createPatient(t.dataSource, { preferredLocation: 'westminster' });
    w.appointment = (await bookAppointment(t, { ...westminster.booking('tms', '2027-07-06', '09:00'), patientId: w.patient })).id;
    w.sharedPatient = await createPatient(t.dataSource, { preferredLocation: 'aurora' });
    w.sharedAppointment = (await bookAppointment(t, { ...westminster.booking('tms', '2027-07-06', '10:00'), patientId: w.sharedPatient })).id;
    const course = (patient: string) =>
      t.dataSource
        .query(
          `INSERT INTO courses (patient_id, protocol, treatment, location_id, start_date, preferred_time, total_sessions)
           VALUES ($1, 'tms-standard', 'tms', $2, '2027-07-06', '09:00', 36) RETURNING id`,
          [patient, w.location],
        )
        .then(([row]) => row.id as string);
    w.course = await course(w.patient);
    w.sharedCourse = await course(w.sharedPatient);
    const [item] = await t.dataSource.query(
      `INSERT INTO worklist_items (kind, location_id, patient_id, detail) VALUES ('unmatched-reply', $1, $2, 'a reply') RETURNING id`,
      [w.location, w.patient],
    );
    w.item = item.id;
    w.staff = await createStaff(t.dataSource, 'nurse', 'westminster');
    const entry = (patient: string) =>
      t.dataSource
        .query(
          `INSERT INTO waitlist_entries (patient_id, type, location_ids, from_date, to_date) VALUES ($1, 'tms', ARRAY[$2]::uuid[], '2027-07-06', '2027-07-20') RETURNING id`,
          [patient, w.location],
        )
        .then(([row]) => row.id as string);
    w.entry = await entry(w.patient);
    w.sharedEntry = await entry(w.sharedPatient);
    // A time Westminster proposes, for $book.
    const found = await t
      .http()
      .get('/fhir/R4/Appointment/$find')
      .query({ start: '2027-07-06T13:00:00-06:00', end: '2027-07-06T15:00:00-06:00', 'service-type': 'tms', location: `Location/${w.location}` })
      .set(t.headers.admin)
      .expect(200);
    proposal = found.body.entry[0].resource;
  });

  /** What a request aims at: Westminster's own patient, or an Aurora patient's things at Westminster. */
  function request(method: string, path: string, target: 'hidden' | 'shared') {
    const patient = target === 'hidden' ? w.patient : w.sharedPatient;
    const appointment = target === 'hidden' ? w.appointment : w.sharedAppointment;
    const course = target === 'hidden' ? w.course : w.sharedCourse;
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name === 'date') return '2027-07-06';
      if (name === 'shiftId') return '00000000-0000-4000-8000-000000000000';
      if (path.startsWith('/api/patients/')) return patient;
      if (path.startsWith('/api/appointments/')) return appointment;
      if (path.startsWith('/api/courses/')) return course;
      if (path.startsWith('/api/locations/')) return w.location;
      if (path.startsWith('/api/worklist/')) return w.item;
      if (path.startsWith('/api/staff/')) return w.staff;
      if (path.startsWith('/fhir/R4/Patient/')) return patient;
      if (path.startsWith('/fhir/R4/Appointment/')) return appointment;
      if (path.startsWith('/api/waitlist/')) return target === 'hidden' ? w.entry : w.sharedEntry;
      if (path.startsWith('/api/webhooks/') || path.startsWith('/api/calendar-feeds/')) return '00000000-0000-4000-8000-000000000000';
      throw new Error(`no id for ${name} in ${path}`);
    });
    const op = operations(doc).find((o) => o.method === method && o.path === path)!;
    const ids: Record<string, unknown> = {
      patientId: patient,
      locationId: w.location,
      preferredLocationId: w.location,
      alternateLocationIds: [w.location],
      locationIds: [w.location],
      date: '2027-07-06',
      from: path.includes('availability') ? '2027-07-06T00:00:00-06:00' : path.includes('forms.csv') ? '2027-07-01' : undefined,
      to: path.includes('availability') ? '2027-07-07T00:00:00-06:00' : path.includes('forms.csv') ? '2027-07-31' : undefined,
      search: 'Test',
    };
    const query = Object.fromEntries(
      op.parameters
        .filter((p) => p.in === 'query')
        .flatMap((p) => (p.name in ids ? [[p.name, ids[p.name]]] : p.required ? [[p.name, plausible(doc, p.schema)]] : [])),
    );
    if (path === '/api/appointments' && method === 'GET') {
      delete query.locationId;
      delete query.date;
      delete query.from;
      delete query.to;
    }
    const body = op.body ? { ...(plausible(doc, op.body) as Record<string, unknown>) } : undefined;
    if (body) for (const key of Object.keys(body)) if (key in ids && key !== 'date') body[key] = ids[key];
    if (path === '/api/calendar-feeds') Object.assign(body!, { scope: 'location', id: w.location });
    // FHIR takes references and Parameters resources.
    const window = { start: '2027-07-06T00:00:00-06:00', end: '2027-07-06T23:59:00-06:00' };
    if (path === '/fhir/R4/Patient') return { url, query: { name: 'Test' }, body: undefined };
    if (path === '/fhir/R4/Appointment') return { url, query: { patient: `Patient/${patient}` }, body: undefined };
    if (path === '/fhir/R4/Appointment/$find' && method === 'GET') {
      return { url, query: { ...window, 'service-type': 'tms', location: `Location/${w.location}`, patient: `Patient/${patient}` }, body: undefined };
    }
    if (path === '/fhir/R4/Appointment/$find') {
      const parameter = [
        { name: 'start', valueDateTime: window.start },
        { name: 'end', valueDateTime: window.end },
        { name: 'service-type', valueCoding: { system: TYPE_SYSTEM, code: 'tms' } },
        { name: 'location', valueReference: { reference: `Location/${w.location}` } },
        { name: 'patient', valueReference: { reference: `Patient/${patient}` } },
      ];
      return { url, query: {}, body: { resourceType: 'Parameters', parameter } };
    }
    if (path === '/fhir/R4/Appointment/$book' || path === '/fhir/R4/Appointment/$hold') {
      const appointment = { ...proposal, participant: [{ actor: { reference: `Patient/${patient}` }, status: 'needs-action' }, ...proposal.participant] };
      return { url, query: {}, body: { resourceType: 'Parameters', parameter: [{ name: 'appointment', resource: appointment }] } };
    }
    return { url, query, body: op.isArrayBody ? [body] : body };
  }

  async function counts(): Promise<string> {
    const tables = ['patients', 'appointments', 'courses', 'medication_trials', 'authorizations', 'worklist_items', 'vitals', 'session_events', 'rems_forms'];
    const [row] = await t.dataSource.query(`SELECT ${tables.map((name) => `(SELECT count(*) FROM ${name}) AS ${name}`).join(', ')}`);
    return JSON.stringify(row);
  }

  const roleRefusal = (response: Response) => response.status === 403 && /needs one of the roles|clinical act/.test(JSON.stringify(response.body ?? ''));

  it('holds for every route of the OpenAPI document', async () => {
    const ops = operations(doc).filter((op) => op.path.startsWith('/api/') || op.path.startsWith('/fhir/'));
    const unlisted = ops.map((op) => `${op.method} ${op.path}`).filter((key) => !(key in EXPECTATIONS) && !APPOINTMENT_ROUTE.test(key));
    expect(unlisted).toEqual([]);

    const westminsterIds = [w.location, w.patient, w.appointment, w.course, w.item, w.entry, w.sharedAppointment, w.sharedCourse, w.sharedEntry];
    const failures: string[] = [];
    let checked = 0;
    for (const op of ops) {
      const key = `${op.method} ${op.path}`;
      const listed = EXPECTATIONS[key] ?? { hidden: refused(404), shared: refused(403) };
      const cases =
        'hidden' in listed
          ? ([
              ['hidden', listed.hidden],
              ['shared', listed.shared],
            ] as const)
          : ([['hidden', listed]] as const);
      for (const [target, expected] of cases) {
        if (expected.kind === 'public' || expected.kind === 'unscoped') continue;
        const { url, query, body } = request(op.method, op.path, target);
        let admitted = 0;
        for (const [role, auth] of Object.entries(auroraStaff)) {
          const before = await counts();
          let call = t
            .http()
            [op.method.toLowerCase() as 'get'](url)
            .set(auth)
            .query(query as Record<string, string>);
          if (body !== undefined && op.method !== 'GET') call = call.send(body as object);
          const response = await call;
          const where = `${key} (${target}) as ${role}: ${response.status} ${String(response.body?.detail ?? '').slice(0, 100)}`;
          if (roleRefusal(response)) continue;
          admitted++;
          checked++;
          if (expected.kind === 'admin-only') failures.push(`${where}: admin-only route admitted a non-admin`);
          if (expected.kind === 'refused') {
            if (response.status !== expected.status) failures.push(`${where}: expected ${expected.status}`);
            const otherClinic =
              response.body?.type === '/problems/other-clinic' || /clinic you do not work at/.test(JSON.stringify(response.body?.issue ?? ''));
            if (expected.status === 403 && !otherClinic) failures.push(`${where}: not an other-clinic 403`);
            if ((await counts()) !== before) failures.push(`${where}: stored something`);
          }
          if (expected.kind === 'filtered') {
            if (response.status !== 200) failures.push(`${where}: expected 200`);
            const leaked = westminsterIds.filter((id) => response.text.includes(id) && !url.includes(id));
            if (leaked.length) failures.push(`${where}: shows ${leaked.join(', ')}`);
          }
        }
        if (expected.kind !== 'admin-only' && admitted === 0) failures.push(`${key} (${target}): no Aurora role is admitted, so nothing was checked`);
      }
    }
    expect(checked).toBeGreaterThan(60);
    expect(failures).toEqual([]);
  });

  it("lets Aurora staff do the same to Aurora's things, and admins to everyone's", async () => {
    const auroraClinic = t.locations.aurora;
    const ownPatient = await createPatient(t.dataSource, { preferredLocation: 'aurora' });
    const own = await bookAppointment(t, { patientId: ownPatient, type: 'tms', locationId: auroraClinic, startsAt: '2027-07-06T11:00:00-06:00' });
    await t.http().get('/api/appointments').query({ locationId: auroraClinic, date: '2027-07-06' }).set(auroraStaff.nurse).expect(200);
    await t.http().get(`/api/appointments/${own.id}`).set(auroraStaff.nurse).expect(200);
    await t.http().get(`/api/patients/${ownPatient}`).set(auroraStaff.nurse).expect(200);
    await t.http().get(`/api/locations/${auroraClinic}/observation`).set(auroraStaff.nurse).expect(200);
    await t.http().post(`/api/appointments/${own.id}/cancel`).set(auroraStaff.front_desk).send({ reason: 'test' }).expect(200);
    // Providers book (and move) as the front desk does: their follow-ups, at their clinics.
    const byProvider = await t
      .http()
      .post('/api/appointments')
      .set(auroraStaff.provider)
      .send({ patientId: ownPatient, type: 'tms', locationId: auroraClinic, startsAt: '2027-07-06T14:00:00-06:00' })
      .expect(201);
    await t.http().patch(`/api/appointments/${byProvider.body.id}`).set(auroraStaff.provider).send({ startsAt: '2027-07-06T14:30:00-06:00' }).expect(200);
    await t
      .http()
      .post('/api/appointments')
      .set(auroraStaff.nurse)
      .send({ patientId: ownPatient, type: 'tms', locationId: auroraClinic, startsAt: '2027-07-06T16:00:00-06:00' })
      .expect(403);
    // A patient seen at both clinics: Aurora sees the patient, and their Aurora appointments only.
    const list = await t.http().get('/api/appointments').query({ patientId: w.sharedPatient }).set(auroraStaff.nurse).expect(200);
    expect(list.body).toEqual([]);
    const all = await t.http().get('/api/appointments').query({ patientId: w.sharedPatient }).set(t.headers.admin).expect(200);
    expect(all.body.map((a: { id: string }) => a.id)).toEqual([w.sharedAppointment]);
    await t.http().get(`/api/appointments/${w.appointment}`).set(t.headers.admin).expect(200);
    // Lists without a clinic keep to the actor's clinics.
    const pending = await t.http().get('/api/rems/pending').set(auroraStaff.provider).expect(200);
    expect(pending.body.filter((form: { locationId: string }) => form.locationId !== auroraClinic)).toEqual([]);
    const locations = await t.http().get('/api/locations').set(auroraStaff.nurse).expect(200);
    expect(locations.body.map((l: { id: string }) => l.id)).toEqual([auroraClinic]);
  });

  it('shows a patient to the staff of every clinic where they have an appointment or a course, and no one else', async () => {
    const patient = await createPatient(t.dataSource, { preferredLocation: null, lastName: 'Quillfeather' });
    const louisvilleNurse = (await session(t, await createAccount(t, 'nurse', [t.locations.louisville]))).auth;
    const search = (auth: AuthHeader) => t.http().get('/api/patients').query({ search: 'Quillfeather' }).set(auth).expect(200);
    expect((await search(auroraStaff.nurse)).body).toEqual([]);
    await t.http().get(`/api/patients/${patient}`).set(auroraStaff.nurse).expect(404);
    // Nobody's patient yet: only an admin may book them.
    const booking = { patientId: patient, type: 'tms', locationId: t.locations.westminster, startsAt: '2027-07-06T12:00:00-06:00' };
    await t
      .http()
      .post('/api/appointments')
      .set(auroraStaff.front_desk)
      .send({ ...booking, locationId: t.locations.aurora })
      .expect(400);
    await t.http().post('/api/appointments').set(t.headers.admin).send(booking).expect(201);
    expect((await search(auroraStaff.nurse)).body).toEqual([]);
    await t.dataSource.query(
      `INSERT INTO courses (patient_id, protocol, treatment, location_id, start_date, preferred_time, total_sessions) VALUES ($1, 'tms-standard', 'tms', $2, '2027-08-02', '09:00', 36)`,
      [patient, t.locations.aurora],
    );
    expect((await search(auroraStaff.nurse)).body.map((p: { id: string }) => p.id)).toEqual([patient]);
    await t.http().get(`/api/patients/${patient}`).set(auroraStaff.nurse).expect(200);
    expect((await search(louisvilleNurse)).body).toEqual([]);
  });
});
