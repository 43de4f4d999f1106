import { LiveEventStreams } from '../src/live-events/live-event-streams.service';
import { WorklistService } from '../src/worklist/worklist.service';
import { createAccount, session } from './support/accounts';
import { TestApp, useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { EventStream, openEventStream } from './support/event-stream';
import { addMedicationTrial, bookAppointment, createPatient, useStaffedClinic } from './support/factories';
import { SESSION_DAY, sessionClient, vitalsBody } from './support/sessions';

const eventsOf = (locationId: string) => `/api/events?locationId=${locationId}`;

/** GET /api/events: each clinic's changes, from whichever instance made them, to streams on every instance. */
describe('live events (server-sent events across instances)', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  const s = sessionClient(t);
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY], 1);
  let other: TestApp;
  const streams: EventStream[] = [];
  const open = async (app: TestApp['app'], path: string, headers: Record<string, string>) => {
    const stream = await openEventStream(app, path, headers);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    other = await t.instance({ now: '2027-07-01T12:00:00Z', env: { LIVE_EVENTS_MAX_STREAMS: '3', LIVE_EVENTS_HEARTBEAT_SECONDS: '1' } });
  });

  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  it("a booking, a check-in and vitals made through one instance reach the clinic's stream on the other; another clinic's stream hears nothing", async () => {
    const atB = await open(other.app, eventsOf(aurora.id), t.headers.front_desk);
    const westminsterAtB = await open(other.app, eventsOf(t.locations.westminster), t.headers.front_desk);
    expect(atB.status).toBe(200);
    expect(atB.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(atB.headers.get('cache-control')).toBe('no-store');
    await atB.next((e) => e.event === 'ready', 'ready');
    await westminsterAtB.next((e) => e.event === 'ready', 'ready');

    const booked = await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '09:00', 0));
    const bookedEvent = await atB.next((e) => e.event === 'appointment' && e.data.appointmentId === booked.id, 'the booking');
    expect(bookedEvent.data).toEqual({ appointmentId: booked.id, change: 'booked' });

    t.clock.set(at(SESSION_DAY, '08:50'));
    await s.checkIn(booked.id).expect(200);
    const status = await atB.next((e) => e.event === 'status', 'the check-in');
    expect(status.data).toEqual({ appointmentId: booked.id, status: 'checked_in' });

    const vitals = await s.vitals(booked.id, vitalsBody('pre_dose')).expect(201);
    const vitalsEvent = await atB.next((e) => e.event === 'vitals', 'the vitals');
    expect(vitalsEvent.data).toEqual({ appointmentId: booked.id, vitalsId: vitals.body.id });

    // Ids and kinds only: nothing about the patient, the treatment or the readings.
    expect(atB.text()).not.toMatch(/spravato|systolic|patient|name/i);
    expect(westminsterAtB.events.map((e) => e.event)).toEqual(['ready']);
  });

  it('hears waitlist changes and a cancellation', async () => {
    const stream = await open(other.app, eventsOf(aurora.id), t.headers.front_desk);
    await stream.next((e) => e.event === 'ready', 'ready');
    const patientId = await createPatient(t.dataSource, { smsOptIn: true });
    for (const medication of ['sertraline', 'bupropion']) await addMedicationTrial(t, patientId, { medication });
    const entry = await t
      .http()
      .post('/api/waitlist')
      .set(t.headers.front_desk)
      .send({ patientId, type: 'spravato', locationIds: [aurora.id], from: SESSION_DAY, to: SESSION_DAY })
      .expect(201);
    expect((await stream.next((e) => e.event === 'waitlist', 'the waitlist entry')).data).toEqual({ entryId: entry.body.id, change: 'active' });

    const booked = await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '13:00', 1));
    await t.http().post(`/api/appointments/${booked.id}/cancel`).set(t.headers.front_desk).send({ reason: 'patient request' }).expect(200);
    await stream.next((e) => e.event === 'appointment' && e.data.appointmentId === booked.id && e.data.change === 'cancelled', 'the cancellation');
  });

  it("hears on the other instance a worklist item added and marked done, and a provider's dosing clearance; ids and kinds only", async () => {
    const stream = await open(other.app, eventsOf(aurora.id), t.headers.front_desk);
    await stream.next((e) => e.event === 'ready', 'ready');
    const itemId = await t.dataSource.transaction((manager) =>
      t.app
        .get(WorklistService)
        .add(manager, { kind: 'unmatched-reply', locationId: aurora.id, detail: 'A reply that fits nothing: "maybe"', dedupeKey: 'live:1' }),
    );
    expect((await stream.next((e) => e.event === 'worklist' && e.data.change === 'added', 'the item added')).data).toEqual({ itemId, change: 'added' });
    await t.http().post(`/api/worklist/${itemId}/done`).set(t.headers.front_desk).send({ resolution: 'Called back' }).expect(200);
    expect((await stream.next((e) => e.event === 'worklist' && e.data.change === 'done', 'the item done')).data).toEqual({ itemId, change: 'done' });

    t.clock.set(at(SESSION_DAY, '11:50'));
    const booked = await bookAppointment(t, aurora.booking('spravato', SESSION_DAY, '12:00', 0));
    await s.checkIn(booked.id).expect(200);
    const high = await s.vitals(booked.id, vitalsBody('pre_dose', { systolic: 152, diastolic: 94 })).expect(201);
    await s.clear(booked.id, 'Anxious on arrival; repeat BP trending down').expect(201);
    const cleared = await stream.next((e) => e.event === 'clearance', 'the clearance');
    expect(cleared.data).toEqual({ appointmentId: booked.id, vitalsId: high.body.id });
    expect(stream.text()).not.toMatch(/maybe|anxious|called back|152/i);
  });

  it('refuses a nurse of another clinic (403), a missing or malformed clinic (400) and no token (401)', async () => {
    const westminsterNurse = await session(t, await createAccount(t, 'nurse', [t.locations.westminster]));
    const refused = await open(other.app, eventsOf(aurora.id), westminsterNurse.auth);
    expect(refused.status).toBe(403);
    expect(refused.problem.type).toMatch(/other-clinic$/);
    const own = await open(other.app, eventsOf(t.locations.westminster), westminsterNurse.auth);
    expect(own.status).toBe(200);

    const malformed = await open(other.app, '/api/events?locationId=aurora', t.headers.front_desk);
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.problem.errors)).toContain('locationId');
    expect((await open(other.app, '/api/events', t.headers.front_desk)).status).toBe(400);
    expect((await open(other.app, eventsOf(aurora.id), {})).status).toBe(401);
  });

  it('sends heartbeats, caps the streams per instance (503 with Retry-After) and frees a place when a client goes', async () => {
    const streamsAtB = other.app.get(LiveEventStreams);
    const first = await open(other.app, eventsOf(aurora.id), t.headers.nurse);
    await first.next((e) => e.event === 'comment' && e.data === ': heartbeat', 'a heartbeat');
    await open(other.app, eventsOf(aurora.id), t.headers.nurse);
    await open(other.app, eventsOf(aurora.id), t.headers.nurse);
    expect(streamsAtB.open).toBe(3);
    const over = await open(other.app, eventsOf(aurora.id), t.headers.nurse);
    expect(over.status).toBe(503);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);

    first.close();
    for (let i = 0; i < 100 && streamsAtB.open > 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(streamsAtB.open).toBe(2);
    expect((await open(other.app, eventsOf(aurora.id), t.headers.nurse)).status).toBe(200);
  });

  it('ends the stream when its session ends (signed out through the other instance)', async () => {
    const nurse = await session(t, await createAccount(t, 'nurse', [aurora.id]));
    const stream = await open(other.app, eventsOf(aurora.id), nurse.auth);
    await stream.next((e) => e.event === 'ready', 'ready');
    await t.http().post('/api/auth/logout').set(nurse.auth).expect(204);
    await stream.ended;
    expect(other.app.get(LiveEventStreams).open).toBe(0);
  });
});
