import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, createPatient, createPatients, requestBooking, resourceIds, useStaffedClinic } from './support/factories';
import { r4Issues } from './support/fhir';
import { resourceDoubleBookings } from './support/invariants';

const NOW = '2027-07-01T12:00:00Z'; // 06:00 MDT
const DAY = '2027-08-02'; // a Monday, MDT
const TYPE_SYSTEM = 'urn:clinic-scheduler:appointment-type';
const HOLD_EXPIRES = 'urn:clinic-scheduler:fhir:hold-expires';
const FHIR_JSON = 'application/fhir+json';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Role = 'front_desk' | 'nurse' | 'provider' | 'admin';

describe('FHIR $hold: a held slot is blocked until it lapses, and $book of the held Appointment converts the hold', () => {
  const t = useTestApp({ now: NOW });
  const aurora = useStaffedClinic(t, 'aurora', [DAY, '2026-03-09'], 2);
  let devices: string[];

  const post = (path: string, body: unknown, role: Role = 'front_desk') =>
    t.http().post(`/fhir/R4/${path}`).set(t.headers[role]).set('content-type', FHIR_JSON).send(JSON.stringify(body));
  /** A FHIR answer: its content type, and the resource valid against R4. */
  const valid = (response: { headers: Record<string, string>; body: any }) => {
    expect(response.headers['content-type']).toBe(`${FHIR_JSON}; charset=utf-8`);
    expect(r4Issues(response.body)).toEqual([]);
    return response.body;
  };
  const parameters = (appointment: unknown) => ({ resourceType: 'Parameters', parameter: [{ name: 'appointment', resource: appointment }] });
  const entries = (bundle: any): any[] => (bundle.entry ?? []).map((entry: any) => entry.resource);
  const locationsOf = (appointment: any): string[] =>
    appointment.participant.map((p: any) => p.actor.reference).filter((r: string) => r.startsWith('Location/'));

  /** `$find`'s proposals of a type on a day at Aurora. */
  const find = async (type: string, day = DAY) =>
    entries(
      valid(
        await post('Appointment/$find', {
          resourceType: 'Parameters',
          parameter: [
            { name: 'start', valueDateTime: at(day, '00:00') },
            { name: 'end', valueDateTime: at(day, '23:59') },
            { name: 'service-type', valueCoding: { system: TYPE_SYSTEM, code: type } },
            { name: 'location', valueReference: { reference: `Location/${aurora.id}` } },
          ],
        }).expect(200),
      ),
    );
  /** `$find`'s proposal at that start (on the resource availability picks), with the patient added. */
  const proposal = async (type: string, start: string, patientId: string, day = DAY) => {
    const found = (await find(type, day)).find((a) => a.start === start);
    expect(found).toBeDefined();
    return withPatient(found, patientId);
  };
  /** The resource an appointment names (besides its clinic). */
  const resourceOf = (appointment: any): string => locationsOf(appointment)[1].slice('Location/'.length);
  const withPatient = (appointment: any, patientId: string) => ({
    ...appointment,
    participant: [
      { actor: { reference: `Patient/${patientId}` }, status: 'needs-action' },
      ...appointment.participant.filter((p: any) => !p.actor.reference.startsWith('Patient/')),
    ],
  });
  const hold = async (appointment: unknown, role: Role = 'front_desk') => valid(await post('Appointment/$hold', parameters(appointment), role).expect(200));
  const availableStarts = async (type: string, resourceId: string, day = DAY) =>
    (
      await t
        .http()
        .get('/api/availability')
        .query({ type, locationId: aurora.id, from: at(day, '00:00'), to: at(day, '23:59'), resourceId })
        .set(t.headers.front_desk)
        .expect(200)
    ).body.map((slot: { startsAt: string }) => slot.startsAt);
  const holdRow = async (id: string) => (await t.dataSource.query('SELECT reason, patient_id, expires_at FROM resource_holds WHERE id = $1', [id]))[0];

  beforeAll(async () => {
    devices = await resourceIds(t.dataSource, 'aurora', 'tms_device');
  });

  afterEach(() => t.clock.set(NOW));

  it('holds a proposal for FHIR_HOLD_MINUTES: pending, the hold as its id, the expiry in an extension, audited', async () => {
    const patientId = await createPatient(t.dataSource);
    const asked = await proposal('spravato', at(DAY, '09:00'), patientId);
    const chair = resourceOf(asked);
    const held = await hold(asked);
    expect(held).toMatchObject({
      resourceType: 'Appointment',
      status: 'pending',
      start: at(DAY, '09:00'),
      end: at(DAY, '11:30'),
      minutesDuration: 150,
      serviceType: [{ coding: [{ system: TYPE_SYSTEM, code: 'spravato' }] }],
      extension: [{ url: HOLD_EXPIRES, valueInstant: '2027-07-01T06:10:00-06:00' }],
    });
    expect(held.id).toMatch(UUID);
    expect(held.participant.map((p: any) => p.actor.reference)).toEqual([`Patient/${patientId}`, `Location/${aurora.id}`, `Location/${chair}`]);

    const row = await holdRow(held.id);
    expect(row).toMatchObject({ reason: 'fhir-hold', patient_id: patientId });
    expect(row.expires_at.toISOString()).toBe('2027-07-01T12:10:00.000Z');
    const segments = await t.dataSource.query('SELECT resource_id, starts_at, ends_at FROM appointment_segments WHERE hold_id = $1', [held.id]);
    expect(segments).toEqual([{ resource_id: chair, starts_at: new Date(at(DAY, '09:00')), ends_at: new Date(at(DAY, '11:30')) }]);
    // The same Idempotency-Key and body answer the same hold again, and hold nothing more.
    const someone = await createPatient(t.dataSource);
    const keyed = await proposal('spravato', at(DAY, '09:00'), someone);
    const first = await post('Appointment/$hold', parameters(keyed)).set('Idempotency-Key', 'fhir-hold-1').expect(200);
    const replayed = await post('Appointment/$hold', parameters(keyed)).set('Idempotency-Key', 'fhir-hold-1').expect(200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(valid(replayed)).toEqual(valid(first));
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM resource_holds WHERE patient_id = $1', [someone])).toEqual([{ n: 1 }]);

    const audit = await t.dataSource.query(`SELECT action, actor_role, details FROM audit_log WHERE entity_id = $1`, [held.id]);
    expect(audit).toEqual([
      {
        action: 'hold.create',
        actor_role: 'front_desk',
        details: { locationId: aurora.id, reason: 'fhir-hold', expiresAt: '2027-07-01T12:10:00.000Z', patientId },
      },
    ]);
  });

  it('blocks the slot until it lapses: availability, $find and Slot leave it out, a booking of it is refused; after expiry it is free again', async () => {
    const [holder, other] = await createPatients(t.dataSource, 2);
    const start = at(DAY, '12:00');
    const asked = await proposal('spravato', start, holder);
    const chair = resourceOf(asked);
    expect(await availableStarts('spravato', chair)).toContain(start);
    const held = await hold(asked);

    // Held: no longer available, proposed or free.
    expect(await availableStarts('spravato', chair)).not.toContain(start);
    expect((await find('spravato')).filter((a) => a.start === start && locationsOf(a).includes(`Location/${chair}`))).toEqual([]);
    const window = `start=ge${encodeURIComponent(at(DAY, '00:00'))}&start=lt${encodeURIComponent(at(DAY, '23:59'))}`;
    const busy = entries(valid(await t.http().get(`/fhir/R4/Slot?schedule=Schedule/${chair}&${window}&status=busy`).set(t.headers.front_desk).expect(200)));
    expect(busy.map((slot: any) => slot.start)).toContain(start);

    // POST /api/appointments of it is refused naming the hold; so is $book of the proposal, for anyone, the holder included.
    const refused = await requestBooking(t, { patientId: other, type: 'spravato', locationId: aurora.id, startsAt: start, resourceId: chair }).expect(409);
    expect(refused.body).toMatchObject({
      rule: 'resource-overlap',
      conflicts: [{ holdId: held.id, resourceId: chair, reason: 'the resource is on hold then' }],
    });
    for (const patientId of [other, holder]) {
      const outcome = valid(await post('Appointment/$book', parameters(withPatient(asked, patientId))).expect(409));
      expect(outcome.issue).toEqual([
        {
          severity: 'error',
          code: 'conflict',
          details: { coding: [{ system: 'urn:clinic-scheduler:rule', code: 'resource-overlap' }], text: 'Refused by the rule resource-overlap' },
          diagnostics: 'The resource is occupied for part of that time. (the resource is on hold then)',
        },
      ]);
    }
    // Nor can it be held twice.
    const twice = valid(await post('Appointment/$hold', parameters(withPatient(asked, other))).expect(409));
    expect(twice.issue[0].details.coding[0].code).toBe('resource-overlap');
    expect(await t.dataSource.query('SELECT id FROM appointments WHERE resource_id = $1 AND starts_at = $2', [chair, new Date(start)])).toEqual([]);

    // One minute before it lapses it still holds; at its expiry it holds nothing.
    t.clock.advanceMinutes(9);
    expect(await availableStarts('spravato', chair)).not.toContain(start);
    t.clock.advanceMinutes(1);
    expect(await availableStarts('spravato', chair)).toContain(start);
    expect((await find('spravato')).filter((a) => a.start === start && locationsOf(a).includes(`Location/${chair}`))).toHaveLength(1);
    const booked = await requestBooking(t, { patientId: other, type: 'spravato', locationId: aurora.id, startsAt: start, resourceId: chair }).expect(201);
    expect(booked.body.resourceId).toBe(chair);
    expect(await holdRow(held.id)).toBeUndefined();

    // The lapsed hold books nothing any more.
    const late = valid(await post('Appointment/$book', parameters(held)).expect(409));
    expect(late.issue[0].details.coding[0].code).toBe('hold-expired');
    expect(await resourceDoubleBookings(t.dataSource)).toEqual([]);
  });

  it('$book of the held Appointment converts the hold: booked under its id while others are refused, once', async () => {
    const patientId = await createPatient(t.dataSource);
    const start = at(DAY, '10:00');
    const held = await hold(await proposal('tms', start, patientId));
    const device = resourceOf(held);
    const other = await createPatient(t.dataSource);
    await requestBooking(t, { patientId: other, type: 'tms', locationId: aurora.id, startsAt: start, resourceId: device }).expect(409);
    // A minute before it lapses, the holder books it.
    t.clock.advanceMinutes(9);

    const response = await post('Appointment/$book', parameters(held)).expect(201);
    const booked = valid(response);
    expect(booked).toMatchObject({ id: held.id, status: 'booked', start, end: at(DAY, '10:30') });
    expect(booked.participant.map((p: any) => p.actor.reference)).toEqual([`Patient/${patientId}`, `Location/${aurora.id}`, `Location/${device}`]);
    expect(response.headers.location).toBe(`http://localhost:3000/fhir/R4/Appointment/${held.id}`);

    const [row] = await t.dataSource.query('SELECT patient_id, type, resource_id, status, starts_at FROM appointments WHERE id = $1', [held.id]);
    expect(row).toMatchObject({ patient_id: patientId, type: 'tms', resource_id: device, status: 'scheduled', starts_at: new Date(start) });
    expect(await holdRow(held.id)).toBeUndefined();
    const segments = await t.dataSource.query('SELECT appointment_id, hold_id FROM appointment_segments WHERE resource_id = $1 AND starts_at = $2', [
      device,
      new Date(start),
    ]);
    expect(segments).toEqual([{ appointment_id: held.id, hold_id: null }]);
    const audit = await t.dataSource.query(`SELECT action, details FROM audit_log WHERE entity_id = $1 ORDER BY id`, [held.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['hold.create', 'appointment.create', 'hold.convert']);
    expect(audit[2].details).toEqual({ patientId, appointmentId: held.id, via: 'fhir' });
    // A booking like any other: its reminder texts, and it reads back as FHIR.
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM reminders WHERE appointment_id = $1', [held.id]);
    expect(count).toBeGreaterThan(0);
    valid(await t.http().get(`/fhir/R4/Appointment/${held.id}`).set(t.headers.nurse).expect(200));

    // Booking it again names the booking.
    const again = valid(await post('Appointment/$book', parameters(held)).expect(409));
    expect(again.issue[0]).toMatchObject({
      code: 'business-rule',
      details: { coding: [{ code: 'hold-booked' }] },
      diagnostics: `The hold was booked already: Appointment/${held.id}.`,
    });
  });

  it('$book of a held Appointment must ask for what the hold keeps, and an Idempotency-Key answers a retry the same', async () => {
    const [patientId, someoneElse] = await createPatients(t.dataSource, 2);
    const held = await hold(await proposal('tms', at(DAY, '13:00'), patientId));
    const device = resourceOf(held);

    const otherPatient = valid(await post('Appointment/$book', parameters(withPatient(held, someoneElse))).expect(400));
    expect(otherPatient.issue.map((i: any) => i.expression[0])).toEqual(['appointment.participant']);
    const otherTime = valid(await post('Appointment/$book', parameters({ ...held, start: at(DAY, '13:30'), end: at(DAY, '14:00') })).expect(400));
    expect(otherTime.issue.map((i: any) => [i.expression[0], i.diagnostics])).toEqual([
      ['appointment.start', `the hold keeps the slot at ${at(DAY, '13:00')}`],
    ]);
    const otherDevice = valid(
      await post(
        'Appointment/$book',
        parameters({
          ...held,
          participant: held.participant.map((p: any) =>
            p.actor.reference === `Location/${device}` ? { ...p, actor: { reference: `Location/${devices.find((d) => d !== device)}` } } : p,
          ),
        }),
      ).expect(400),
    );
    expect(otherDevice.issue.map((i: any) => i.expression[0])).toEqual(['appointment.participant']);
    const notAHold = valid(await post('Appointment/$book', parameters({ ...held, id: 'hold-1' })).expect(400));
    expect(notAHold.issue.map((i: any) => i.expression[0])).toEqual(['appointment.id']);
    const unknown = valid(await post('Appointment/$book', parameters({ ...held, id: '7d1c1a36-57a4-4a8b-9a56-5b7b1b7c1a00' })).expect(409));
    expect(unknown.issue[0].details.coding[0].code).toBe('hold-expired');
    expect(await holdRow(held.id)).toMatchObject({ reason: 'fhir-hold' });

    // The bare Appointment as the body is read the same; a retry with the key answers the first booking again.
    const once = await post('Appointment/$book', held).set('Idempotency-Key', 'fhir-hold-book-1').expect(201);
    const retried = await post('Appointment/$book', held).set('Idempotency-Key', 'fhir-hold-book-1').expect(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(valid(retried)).toEqual(valid(once));
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM appointments WHERE patient_id = $1', [patientId]);
    expect(count).toBe(1);
  });

  it('lets a hold go early: $book of the held Appointment cancelled frees the slot at once (200)', async () => {
    const patientId = await createPatient(t.dataSource);
    const start = at(DAY, '14:00');
    const held = await hold(await proposal('ketamine', start, patientId));
    const chair = resourceOf(held);
    expect(await availableStarts('ketamine', chair)).not.toContain(start);

    const released = valid(await post('Appointment/$book', parameters({ ...held, status: 'cancelled' })).expect(200));
    expect(released).toMatchObject({ id: held.id, status: 'cancelled', start, extension: held.extension });
    expect(await holdRow(held.id)).toBeUndefined();
    expect(await availableStarts('ketamine', chair)).toContain(start);
    const [audit] = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'hold.release' AND entity_id = $1`, [held.id]);
    expect(audit.details).toEqual({ patientId, via: 'fhir' });

    const again = valid(await post('Appointment/$book', parameters({ ...held, status: 'cancelled' })).expect(409));
    expect(again.issue[0].details.coding[0].code).toBe('hold-expired');
    // A proposal cannot be "cancelled": only a hold.
    const { id: _id, ...withoutId } = held;
    expect(valid(await post('Appointment/$book', parameters({ ...withoutId, status: 'cancelled' })).expect(400)).issue[0].expression).toEqual([
      'appointment.id',
    ]);
  });

  it('holds only what could be booked now, by the same rules: a second treatment that day, a start past, a visit', async () => {
    const patientId = await createPatient(t.dataSource);
    const asked = await proposal('spravato', at(DAY, '15:00'), patientId);
    await bookAppointment(t, { patientId, type: 'ketamine', locationId: aurora.id, startsAt: at(DAY, '08:00') });
    const frequency = valid(await post('Appointment/$hold', parameters(asked)).expect(409));
    expect(frequency.issue[0].details.coding[0].code).toBe('treatment-frequency');

    const someone = await createPatient(t.dataSource);
    t.clock.set(at(DAY, '15:30'));
    const past = valid(await post('Appointment/$hold', parameters(withPatient(asked, someone))).expect(409));
    expect(past.issue[0].details.coding[0].code).toBe('start-in-past');
    t.clock.set(NOW);

    const visit = valid(
      await post('Appointment/$hold', parameters({ ...asked, serviceType: [{ coding: [{ system: TYPE_SYSTEM, code: 'intake' }] }] })).expect(400),
    );
    expect(visit.issue[0].expression).toEqual(['appointment.serviceType']);
    const malformed = valid(await post('Appointment/$hold', { resourceType: 'Parameters', parameter: [] }).expect(400));
    expect(malformed.issue[0].expression).toEqual(['appointment']);
    expect(await t.dataSource.query(`SELECT id FROM resource_holds WHERE patient_id = ANY($1)`, [[patientId, someone]])).toEqual([]);
  });

  it('holds an ECT suite with its recovery bay, and books both by converting', async () => {
    const patientId = await createPatient(t.dataSource);
    const held = await hold(await proposal('ect', at(DAY, '08:00'), patientId));
    const kept = await t.dataSource.query(
      `SELECT s.kind, r.kind AS resource_kind FROM appointment_segments s JOIN resources r ON r.id = s.resource_id WHERE s.hold_id = $1 ORDER BY s.starts_at`,
      [held.id],
    );
    expect(kept).toEqual([
      { kind: 'treatment', resource_kind: 'ect_suite' },
      { kind: 'recovery', resource_kind: 'recovery_bay' },
    ]);
    expect(locationsOf(held)).toHaveLength(3);
    const booked = valid(await post('Appointment/$book', parameters(held)).expect(201));
    expect(booked).toMatchObject({ id: held.id, status: 'booked', start: at(DAY, '08:00') });
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM appointment_segments WHERE appointment_id = $1', [held.id])).toEqual([{ n: 2 }]);
  });

  it('lets exactly one of concurrent $hold and $book requests of one slot win, and one of two $book of one hold', async () => {
    const patients = await createPatients(t.dataSource, 12);
    const start = at(DAY, '16:00');
    const asked = await proposal('tms', start, patients[0]);
    const statuses = await Promise.all(
      patients.map((patientId, i) => post(i % 2 ? 'Appointment/$hold' : 'Appointment/$book', parameters(withPatient(asked, patientId))).then((r) => r.status)),
    );
    expect(statuses).toHaveLength(12);
    expect(statuses.filter((s) => s === 200 || s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(11);
    expect(await resourceDoubleBookings(t.dataSource)).toEqual([]);

    const other = await createPatient(t.dataSource);
    const held = await hold(await proposal('tms', at(DAY, '17:00'), other));
    const both = await Promise.all([post('Appointment/$book', parameters(held)), post('Appointment/$book', parameters(held))]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body.issue[0].details.coding[0].code).toBe('hold-booked');
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM appointments WHERE patient_id = $1', [other]);
    expect(count).toBe(1);
  });

  it('is for the roles $book is for: front desk, providers (they book their follow-ups) and admins', async () => {
    const patientId = await createPatient(t.dataSource);
    const asked = await proposal('tms', at(DAY, '11:00'), patientId);
    expect(valid(await post('Appointment/$hold', parameters(asked), 'nurse').expect(403)).issue[0].code).toBe('forbidden');
    expect(
      (
        await t
          .http()
          .post('/fhir/R4/Appointment/$hold')
          .set('content-type', FHIR_JSON)
          .send(JSON.stringify(parameters(asked)))
      ).status,
    ).toBe(401);
    const held = await hold(asked, 'provider');
    expect(valid(await post('Appointment/$book', parameters({ ...held, status: 'cancelled' }), 'nurse').expect(403)).issue[0].code).toBe('forbidden');
    expect(await holdRow(held.id)).toMatchObject({ reason: 'fhir-hold' });
    const other = await proposal('tms', at(DAY, '14:00'), await createPatient(t.dataSource));
    expect(await holdRow((await hold(other, 'admin')).id)).toMatchObject({ reason: 'fhir-hold' });
  });

  it('says the expiry in the clinic offset of the moment, across the spring-forward of 8 March 2026', async () => {
    // 01:55 MST: ten minutes on is 03:05 MDT.
    t.clock.set('2026-03-08T08:55:00Z');
    const patientId = await createPatient(t.dataSource);
    const start = at('2026-03-09', '10:00');
    const held = await hold(await proposal('tms', start, patientId, '2026-03-09'));
    const device = resourceOf(held);
    expect(held.start).toBe('2026-03-09T10:00:00-06:00');
    expect(held.extension).toEqual([{ url: HOLD_EXPIRES, valueInstant: '2026-03-08T03:05:00-06:00' }]);
    t.clock.set('2026-03-08T09:04:00Z');
    expect(await availableStarts('tms', device, '2026-03-09')).not.toContain(start);
    t.clock.set('2026-03-08T09:05:00Z');
    expect(await availableStarts('tms', device, '2026-03-09')).toContain(start);
  });
});
