import { Webhook } from 'standardwebhooks';
import { WEBHOOK_EVENT_TYPES } from '../src/webhooks/domain/events';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.service';
import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, bookCourse, createPatient, requestBooking, useStaffedClinic } from './support/factories';
import { SESSION_DAY, sessionClient, vitalsBody } from './support/sessions';
import { WebhookReceiver } from './support/webhook-receiver';

const NOW = '2027-07-01T12:00:00Z';
const NEXT_DAY = '2027-08-03';
const PATIENT = { firstName: 'Zelda', lastName: 'Quixotic', phone: '+17205559876' };

describe('outbound webhooks: an outbox delivered signed, once, with retries', () => {
  const t = useTestApp({ now: NOW, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY, NEXT_DAY], 2);
  const s = sessionClient(t);
  const receiver = new WebhookReceiver();
  let subscription: { id: string; secret: string };

  const dispatch = () => t.app.get(WebhookDispatcher).dispatch();
  const subscribe = async (path: string, events: readonly string[] = WEBHOOK_EVENT_TYPES) =>
    (
      await t
        .http()
        .post('/api/webhooks/subscriptions')
        .set(t.headers.admin)
        .send({ url: receiver.url(path), events })
        .expect(201)
    ).body;
  const deliveries = async (id: string) => (await t.http().get(`/api/webhooks/subscriptions/${id}/deliveries`).set(t.headers.admin).expect(200)).body;
  /** The Standard Webhooks check a receiver makes: throws unless the signature and timestamp are right. */
  const verified = (secret: string, received: { body: string; headers: Record<string, any> }) =>
    new Webhook(secret).verify(received.body, {
      'webhook-id': received.headers['webhook-id'],
      'webhook-timestamp': received.headers['webhook-timestamp'],
      'webhook-signature': received.headers['webhook-signature'],
    });

  beforeAll(async () => {
    await receiver.start();
    subscription = await subscribe('/all');
  });
  afterAll(() => receiver.stop());

  it('lets only an admin manage subscriptions, and shows the whsec_ secret only when one is made', async () => {
    expect(subscription).toMatchObject({ id: expect.any(String), url: receiver.url('/all'), events: [...WEBHOOK_EVENT_TYPES] });
    expect(subscription.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = (await t.http().get('/api/webhooks/subscriptions').set(t.headers.admin).expect(200)).body;
    expect(listed).toEqual([{ id: subscription.id, url: receiver.url('/all'), events: [...WEBHOOK_EVENT_TYPES], createdAt: expect.any(String) }]);
    await t.http().get(`/api/webhooks/subscriptions/${subscription.id}`).set(t.headers.admin).expect(200);
    for (const role of ['front_desk', 'nurse', 'provider'] as const) {
      await t.http().get('/api/webhooks/subscriptions').set(t.headers[role]).expect(403);
      await t
        .http()
        .post('/api/webhooks/subscriptions')
        .set(t.headers[role])
        .send({ url: receiver.url('/x'), events: ['appointment.booked'] })
        .expect(403);
    }
    const bad = await t
      .http()
      .post('/api/webhooks/subscriptions')
      .set(t.headers.admin)
      .send({ url: receiver.url('/x'), events: ['appointment.eaten'] })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('events');
    const audit = await t.dataSource.query(`SELECT action FROM audit_log WHERE entity_id = $1`, [subscription.id]);
    expect(audit).toEqual([{ action: 'webhook-subscription.create' }]);
  });

  it('announces every appointment change once, signed, carrying ids, types and times but no name or phone number', async () => {
    const patientId = await createPatient(t.dataSource, PATIENT);
    // TMS books without a transaction (one statement), Spravato inside one: both write their event with the booking.
    const tms = await bookAppointment(t, { ...aurora.booking('tms', SESSION_DAY, '13:00'), patientId });
    const spravato = await bookAppointment(t, { ...aurora.booking('spravato', SESSION_DAY, '09:00', 0), patientId });
    // Refused (the patient is already in the chair then): no event.
    await requestBooking(t, { ...aurora.booking('ketamine', SESSION_DAY, '09:30', 1), patientId }).expect(409);
    await t
      .http()
      .patch(`/api/appointments/${tms.id}`)
      .set(t.headers.front_desk)
      .send({ startsAt: at(SESSION_DAY, '14:00') })
      .expect(200);
    await t.http().post(`/api/appointments/${tms.id}/cancel`).set(t.headers.front_desk).send({ reason: 'Zelda Quixotic called' }).expect(200);
    t.clock.set(at(SESSION_DAY, '08:45'));
    await s.checkIn(spravato.id).expect(200);

    const report = await dispatch();
    expect(report).toEqual({ claimed: 5, delivered: 5, retrying: 0, failed: 0 });
    const received = receiver.at('/all');
    expect(received).toHaveLength(5);
    const payloads = received.map((r) => verified(subscription.secret, r) as { type: string; timestamp: string; data: Record<string, unknown> });
    expect(payloads.map((p) => p.type).sort()).toEqual([
      'appointment.booked',
      'appointment.booked',
      'appointment.cancelled',
      'appointment.rescheduled',
      'appointment.status_changed',
    ]);
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(5);
    for (const r of received) {
      expect(r.headers['content-type']).toBe('application/json');
      for (const word of [PATIENT.firstName, PATIENT.lastName, '5559876', '1980-05-17']) expect(r.body).not.toContain(word);
    }
    const booked = payloads.find((p) => p.type === 'appointment.booked' && p.data.appointmentId === spravato.id)!;
    expect(booked).toEqual({
      type: 'appointment.booked',
      timestamp: expect.stringMatching(/^2027-07-01T06:00:00-06:00$/),
      data: {
        appointmentId: spravato.id,
        patientId,
        appointmentType: 'spravato',
        status: 'scheduled',
        locationId: aurora.id,
        resourceId: aurora.chairs[0],
        providerId: null,
        startsAt: at(SESSION_DAY, '09:00'),
        endsAt: spravato.endsAt,
        courseId: null,
        sequence: null,
      },
    });
    expect(payloads.find((p) => p.type === 'appointment.rescheduled')!.data).toMatchObject({ appointmentId: tms.id, startsAt: at(SESSION_DAY, '14:00') });
    expect(payloads.find((p) => p.type === 'appointment.cancelled')!.data).toMatchObject({
      appointmentId: tms.id,
      status: 'cancelled',
      cancelledAt: expect.any(String),
    });
    expect(payloads.find((p) => p.type === 'appointment.status_changed')!.data).toMatchObject({ appointmentId: spravato.id, status: 'checked_in' });

    // Nothing is sent twice.
    expect(await dispatch()).toEqual({ claimed: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.at('/all')).toHaveLength(5);
    const log = await deliveries(subscription.id);
    expect(log).toHaveLength(5);
    expect(log.every((d: { status: string; attempts: number; log: unknown[] }) => d.status === 'delivered' && d.attempts === 1 && d.log.length === 1)).toBe(
      true,
    );
  });

  it('tries again after a 500, with the same webhook-id and a fresh signature, and logs each try', async () => {
    const retrying = await subscribe('/flaky', ['appointment.booked']);
    receiver.failNext('/flaky', 500);
    t.clock.set(NOW);
    const booked = await bookAppointment(t, aurora.booking('tms', NEXT_DAY, '10:00'));
    await dispatch();
    expect(receiver.at('/flaky').map((r) => r.status)).toEqual([500]);
    const [pending] = await deliveries(retrying.id);
    expect(pending).toMatchObject({
      eventType: 'appointment.booked',
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'the subscriber answered HTTP 500',
      nextAttemptAt: '2027-07-01T06:00:05-06:00',
    });

    // Not due yet: nothing is sent; five seconds later it is.
    await dispatch();
    expect(receiver.at('/flaky')).toHaveLength(1);
    t.clock.set(new Date(t.clock.now().getTime() + 5_000));
    await dispatch();
    const tries = receiver.at('/flaky');
    expect(tries.map((r) => r.status)).toEqual([500, 204]);
    expect(tries[1].headers['webhook-id']).toBe(tries[0].headers['webhook-id']);
    expect(verified(retrying.secret, tries[1])).toMatchObject({ type: 'appointment.booked', data: { appointmentId: booked.id } });
    const [delivered] = await deliveries(retrying.id);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 204, deliveredAt: '2027-07-01T06:00:05-06:00' });
    expect(delivered.log.map((l: { statusCode: number }) => l.statusCode)).toEqual([500, 204]);
    expect(delivered.nextAttemptAt).toBeUndefined();
  });

  it('keeps trying for 24 hours with growing pauses, then marks the delivery failed', async () => {
    const down = await subscribe('/down', ['appointment.booked']);
    receiver.answer('/down', 503);
    t.clock.set(NOW);
    await bookAppointment(t, aurora.booking('tms', NEXT_DAY, '11:00'));
    const start = t.clock.now().getTime();
    for (let hop = 0; hop < 40; hop++) {
      await dispatch();
      const [delivery] = await deliveries(down.id);
      if (delivery.status !== 'pending') break;
      t.clock.set(delivery.nextAttemptAt);
    }
    const [failed] = await deliveries(down.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 8, lastStatusCode: 503 });
    const offsets = failed.log.map((l: { attemptedAt: string }) => (new Date(l.attemptedAt).getTime() - start) / 1000);
    expect(offsets).toEqual([0, 5, 305, 2105, 9305, 27305, 63305, 86400]);
    expect(receiver.at('/down')).toHaveLength(8);
    await t.http().delete(`/api/webhooks/subscriptions/${down.id}`).set(t.headers.admin).expect(204);
  });

  it('announces courses booked and cancelled, and their sessions', async () => {
    await subscribe('/courses', ['course.booked', 'course.cancelled']);
    t.clock.set(NOW);
    const patientId = await createPatient(t.dataSource);
    const course = await bookCourse(t, { patientId, protocol: 'tms-standard', locationId: aurora.id, startDate: '2027-08-09', preferredTime: '15:00' });
    await t.http().post(`/api/courses/${course.id}/cancel`).set(t.headers.front_desk).send({ reason: 'moved away' }).expect(200);
    await dispatch();
    const payloads = receiver.payloads('/courses');
    expect(payloads.map((p) => p.type)).toEqual(expect.arrayContaining(['course.booked', 'course.cancelled']));
    expect(payloads).toHaveLength(2);
    const booked = payloads.find((p) => p.type === 'course.booked')!;
    expect(booked.data).toEqual({
      courseId: course.id,
      patientId,
      protocol: 'tms-standard',
      treatment: 'tms',
      locationId: aurora.id,
      appointmentIds: course.sessions.map((session: { appointmentId: string }) => session.appointmentId),
    });
    expect(booked.data.appointmentIds).toHaveLength(36);
    expect(payloads.find((p) => p.type === 'course.cancelled')!.data).toEqual({
      courseId: course.id,
      patientId,
      cancelledAppointmentIds: booked.data.appointmentIds,
    });
    // The subscriber of everything heard of each session too.
    const all = receiver.payloads('/all').filter((p) => p.data.courseId === course.id);
    expect(all.filter((p) => p.type === 'appointment.booked')).toHaveLength(36);
    expect(all.filter((p) => p.type === 'appointment.cancelled')).toHaveLength(36);
  });

  it('announces a REMS form due with the dose and submitted by the provider', async () => {
    await subscribe('/rems', ['rems_form.due', 'rems_form.submitted']);
    t.clock.set(NOW);
    const { id } = await bookAppointment(t, aurora.booking('spravato', NEXT_DAY, '09:00', 2));
    t.clock.set(at(NEXT_DAY, '08:50'));
    await s.checkIn(id).expect(200);
    await s.vitals(id, vitalsBody('pre_dose')).expect(201);
    t.clock.set(at(NEXT_DAY, '09:15'));
    await s.dose(id, { doseMg: 56, devices: 2, lotNumber: 'EKX4471' }).expect(201);
    t.clock.set(at(NEXT_DAY, '09:55'));
    await s.vitals(id, vitalsBody('post_dose_40')).expect(201);
    t.clock.set(at(NEXT_DAY, '11:25'));
    await s.vitals(id, vitalsBody('discharge', { sedationScore: 5, dissociationScore: 1, dissociationResolved: true })).expect(201);
    await s.discharge(id, { rideConfirmed: true }).expect(200);
    await s
      .post('provider', `/appointments/${id}/rems-form/submit`, {
        readyToLeaveAt: at(NEXT_DAY, '11:20'),
        seriousAdverseEvents: false,
        respiratoryDepression: false,
        concomitantSedatingMedications: [],
      })
      .expect(200);
    await dispatch();
    const payloads = receiver.payloads('/rems');
    expect(payloads.map((p) => p.type)).toEqual(['rems_form.due', 'rems_form.submitted']);
    expect(payloads[0].data).toEqual({ appointmentId: id, patientId: expect.any(String), locationId: aurora.id, dueAt: at('2027-08-10', '09:15') });
    expect(payloads[1].data).toEqual({
      appointmentId: id,
      patientId: payloads[0].data.patientId,
      locationId: aurora.id,
      submittedAt: at(NEXT_DAY, '11:25'),
      overdue: false,
    });
  });

  it('has two workers deliver each event once between them', async () => {
    const both = await subscribe('/both', ['appointment.booked']);
    t.clock.set(NOW);
    for (const time of ['07:00', '07:30', '08:00', '08:30', '09:00', '09:30']) await bookAppointment(t, aurora.booking('tms', '2027-08-04', time));
    const other = await t.instance({ now: NOW, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    const reports = await Promise.all([dispatch(), other.app.get(WebhookDispatcher).dispatch()]);
    // Six events for each of the three subscriptions to appointment.booked (this one, /flaky and /all).
    expect(reports[0].delivered + reports[1].delivered).toBe(18);
    const ids = receiver.at('/both').map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect((await deliveries(both.id)).map((d: { status: string }) => d.status)).toEqual(Array(6).fill('delivered'));
    await other.close();
  });

  it('stops at once when a subscription is deleted: what was pending is cancelled, the log stays', async () => {
    const gone = await subscribe('/gone', ['appointment.booked']);
    t.clock.set(NOW);
    await bookAppointment(t, aurora.booking('tms', '2027-08-04', '10:00'));
    await t.http().delete(`/api/webhooks/subscriptions/${gone.id}`).set(t.headers.admin).expect(204);
    await dispatch();
    expect(receiver.at('/gone')).toHaveLength(0);
    const [row] = await t.dataSource.query(`SELECT status FROM webhook_deliveries WHERE subscription_id = $1`, [gone.id]);
    expect(row.status).toBe('cancelled');
    await t.http().get(`/api/webhooks/subscriptions/${gone.id}`).set(t.headers.admin).expect(404);
    await t.http().delete(`/api/webhooks/subscriptions/${gone.id}`).set(t.headers.admin).expect(404);
  });
});

describe('webhook targets when private addresses are not allowed (the default off the embedded database)', () => {
  const t = useTestApp({ now: NOW });
  const aurora = useStaffedClinic(t, 'aurora', [SESSION_DAY], 1);
  const receiver = new WebhookReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  it.each([
    ['a loopback address', 'http://127.0.0.1:8080/hook'],
    ['localhost', 'http://localhost/hook'],
    ['a private network', 'https://10.1.2.3/hook'],
    ['the cloud metadata service', 'http://169.254.169.254/latest/meta-data'],
    ['IPv6 loopback', 'http://[::1]/hook'],
    ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['another scheme', 'ftp://hooks.example.org/hook'],
    ['credentials in the URL', 'https://user:pass@93.184.215.14/hook'],
  ])('refuses %s with a 400 naming url, and stores nothing', async (_what, url) => {
    const response = await t
      .http()
      .post('/api/webhooks/subscriptions')
      .set(t.headers.admin)
      .send({ url, events: ['appointment.booked'] })
      .expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors[0].field).toBe('url');
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM webhook_subscriptions');
    expect(count).toBe(0);
  });

  it('accepts a public address', async () => {
    const created = await t
      .http()
      .post('/api/webhooks/subscriptions')
      .set(t.headers.admin)
      .send({ url: 'https://93.184.215.14/hook', events: ['appointment.booked'] })
      .expect(201);
    await t.http().delete(`/api/webhooks/subscriptions/${created.body.id}`).set(t.headers.admin).expect(204);
  });

  it('refuses a private target again at delivery time (a host that resolves elsewhere later), without sending', async () => {
    // As if the host had resolved to a public address when subscribed, and to 127.0.0.1 now (DNS rebinding).
    const [row] = await t.dataSource.query(
      `INSERT INTO webhook_subscriptions (url, events, secret) VALUES ($1, '{appointment.booked}', 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0') RETURNING id`,
      [receiver.url('/rebound').replace('127.0.0.1', 'localhost')],
    );
    await bookAppointment(t, aurora.booking('tms', SESSION_DAY, '10:00'));
    await t.app.get(WebhookDispatcher).dispatch();
    expect(receiver.received).toHaveLength(0);
    const [delivery] = await t.dataSource.query('SELECT status, last_error FROM webhook_deliveries WHERE subscription_id = $1', [row.id]);
    expect(delivery.status).toBe('pending');
    expect(delivery.last_error).toMatch(/loopback or private-network address/);
  });
});
