import { createHmac } from 'node:crypto';
import { ReminderDispatcher } from '../src/reminders/reminder-dispatcher.service';
import { createTestApp, TestApp } from './support/app';
import { createPatient, locationId, staffClinic } from './support/factories';

const NOW = '2027-07-30T18:00:00Z'; // Friday 12:00 MDT
const TOKEN = 'twilio-auth-token-for-tests-0123456789';
const BASE = 'https://sms.clinic.example';
const INBOUND = '/api/webhooks/sms/inbound';
const STATUS = '/api/webhooks/sms/status';

/** X-Twilio-Signature as Twilio computes it: HMAC-SHA1 over the URL and the sorted parameter names and values, base64. */
function sign(url: string, params: Record<string, string>, token = TOKEN): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', token).update(Buffer.from(data, 'utf-8')).digest('base64');
}

let sidCounter = 0;
/** The form Twilio posts for an incoming text. */
const inboundForm = (from: string, body: string): Record<string, string> => ({
  ToCountry: 'US',
  SmsMessageSid: `SM${String(++sidCounter).padStart(32, '0')}`,
  NumMedia: '0',
  MessageSid: `SM${String(sidCounter).padStart(32, '0')}`,
  AccountSid: 'AC00000000000000000000000000000000',
  From: from,
  To: '+13035550140',
  Body: body,
  NumSegments: '1',
  ApiVersion: '2010-04-01',
});

describe('reminders: SMS webhooks (STOP / START / HELP, delivery reports)', () => {
  let t: TestApp;
  let aurora: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW, env: { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE } });
    aurora = await locationId(t.dataSource, 'aurora');
    await staffClinic(t.dataSource, 'aurora', ['2027-08-02', '2027-08-03', '2027-08-04', '2027-08-05', '2027-08-06'], 3);
  });

  afterAll(() => t.close());

  const post = (path: string, form: Record<string, string>, signature: string | null = sign(`${BASE}${path}`, form)) => {
    const request = t.http().post(path).type('form').send(form);
    return signature === null ? request : request.set('X-Twilio-Signature', signature);
  };

  const outboxFor = async (phone: string) =>
    (
      await t
        .http()
        .get('/api/sms/outbox')
        .query({ to: phone })
        .set(await t.auth('admin'))
        .expect(200)
    ).body;

  async function patientWithAppointment(phone: string, startsAt: string, smsOptIn = true) {
    const patientId = await createPatient(t.dataSource, { smsOptIn, phone });
    const response = await t
      .http()
      .post('/api/appointments')
      .set(await t.auth('front_desk'))
      .send({ patientId, type: 'spravato', locationId: aurora, startsAt })
      .expect(201);
    return { patientId, appointmentId: response.body.id as string };
  }

  it('refuses unsigned and badly signed requests with 403 problem+json', async () => {
    const form = inboundForm('+17205550101', 'STOP');
    const unsigned = await post(INBOUND, form, null).expect(403);
    expect(unsigned.headers['content-type']).toContain('application/problem+json');
    expect(unsigned.body).toMatchObject({ status: 403, title: 'Forbidden' });
    await post(INBOUND, form, 'bm90IGEgc2lnbmF0dXJl').expect(403);
    await post(INBOUND, form, sign(`${BASE}${INBOUND}`, form, 'another-token')).expect(403);
    // Signed for another URL, or for other parameters.
    await post(INBOUND, form, sign(`http://localhost:3000${INBOUND}`, form)).expect(403);
    await post(INBOUND, { ...form, Body: 'START' }, sign(`${BASE}${INBOUND}`, form)).expect(403);
    await post(STATUS, { MessageSid: 'SM1', MessageStatus: 'delivered' }, null).expect(403);
    await post(STATUS, { MessageSid: 'SM1', MessageStatus: 'delivered' }, 'wrong').expect(403);
  });

  it('refuses every webhook when no auth token is configured', async () => {
    const other = await createTestApp({ now: NOW, databaseUrl: t.databaseUrl, env: { PUBLIC_BASE_URL: BASE } });
    try {
      const form = inboundForm('+17205550102', 'STOP');
      const response = await other
        .http()
        .post(INBOUND)
        .type('form')
        .send(form)
        .set('X-Twilio-Signature', sign(`${BASE}${INBOUND}`, form))
        .expect(403);
      expect(response.body.detail).toMatch(/TWILIO_AUTH_TOKEN/);
    } finally {
      await other.close();
    }
  });

  it('STOP opts the patient out at once, cancels their pending texts, sends one confirmation and is audited', async () => {
    const phone = '+17205550110';
    const { patientId, appointmentId } = await patientWithAppointment(phone, '2027-08-03T09:00:00-06:00');
    const [{ pending }] = await t.dataSource.query(`SELECT count(*)::int AS pending FROM reminders WHERE patient_id = $1 AND status = 'pending'`, [patientId]);
    expect(pending).toBeGreaterThan(0);

    const response = await post(INBOUND, inboundForm(phone, '  stop ')).expect(200);
    expect(response.headers['content-type']).toContain('text/xml');
    expect(response.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');

    const [patient] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [patientId]);
    expect(patient.sms_opt_in).toBe(false);
    const reminders = (
      await t
        .http()
        .get(`/api/appointments/${appointmentId}/reminders`)
        .set(await t.auth('front_desk'))
        .expect(200)
    ).body;
    expect(reminders.every((r: { status: string }) => r.status === 'cancelled')).toBe(true);

    const outbox = await outboxFor(phone);
    expect(outbox).toEqual([
      expect.objectContaining({
        to: phone,
        purpose: 'opt_out_confirmation',
        status: 'sent',
        body: 'You are unsubscribed from appointment texts and will get no more messages. Reply START to subscribe again.',
      }),
    ]);
    const audit = await t.dataSource.query(`SELECT actor_role, details FROM audit_log WHERE action = 'patient.sms-opt-out' AND entity_id = $1`, [patientId]);
    expect(audit).toEqual([{ actor_role: 'system', details: { channel: 'sms', changed: true, cancelledReminders: pending } }]);
    const events = await t.dataSource.query(`SELECT event, keyword FROM sms_consent_events WHERE patient_id = $1`, [patientId]);
    expect(events).toEqual([{ event: 'opt_out', keyword: 'stop' }]);

    // A second STOP changes nothing and sends nothing more; the same message posted again neither.
    await post(INBOUND, inboundForm(phone, 'STOP')).expect(200);
    expect(await outboxFor(phone)).toHaveLength(1);

    // New bookings now plan suppressed texts only.
    const again = await t
      .http()
      .post('/api/appointments')
      .set(await t.auth('front_desk'))
      .send({ patientId, type: 'tms', locationId: aurora, startsAt: '2027-08-06T15:00:00-06:00' })
      .expect(201);
    const planned = (
      await t
        .http()
        .get(`/api/appointments/${again.body.id}/reminders`)
        .set(await t.auth('front_desk'))
        .expect(200)
    ).body;
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.every((r: { status: string }) => r.status === 'suppressed')).toBe(true);
  });

  it.each(['stop', 'Quit', 'END', 'revoke', ' Opt Out ', 'cancel', 'UNSUBSCRIBE'])('%p opts out', async (word) => {
    const phone = `+1720555${String(2000 + ['stop', 'Quit', 'END', 'revoke', ' Opt Out ', 'cancel', 'UNSUBSCRIBE'].indexOf(word))}`;
    const patientId = await createPatient(t.dataSource, { smsOptIn: true, phone });
    await post(INBOUND, inboundForm(phone, word)).expect(200);
    const [patient] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [patientId]);
    expect(patient.sms_opt_in).toBe(false);
    expect((await outboxFor(phone)).map((m: { purpose: string }) => m.purpose)).toEqual(['opt_out_confirmation']);
  });

  it('answers the same inbound message posted twice only once', async () => {
    const phone = '+17205550120';
    await createPatient(t.dataSource, { smsOptIn: true, phone });
    const form = inboundForm(phone, 'HELP');
    await post(INBOUND, form).expect(200);
    await post(INBOUND, form).expect(200);
    expect(await outboxFor(phone)).toHaveLength(1);
  });

  it('START and UNSTOP opt back in, with one confirmation, audited; texts are planned again', async () => {
    const phone = '+17205550130';
    const patientId = await createPatient(t.dataSource, { smsOptIn: false, phone });
    await post(INBOUND, inboundForm(phone, 'Start')).expect(200);
    const [patient] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [patientId]);
    expect(patient.sms_opt_in).toBe(true);
    expect((await outboxFor(phone)).map((m: { purpose: string; body: string }) => [m.purpose, m.body])).toEqual([
      ['opt_in_confirmation', 'You will get appointment texts again. Reply HELP for help, STOP to opt out.'],
    ]);
    const audit = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'patient.sms-opt-in' AND entity_id = $1`, [patientId]);
    expect(audit).toEqual([{ details: { channel: 'sms', changed: true } }]);

    await post(INBOUND, inboundForm(phone, 'stop')).expect(200);
    await post(INBOUND, inboundForm(phone, 'unstop')).expect(200);
    const [after] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [patientId]);
    expect(after.sms_opt_in).toBe(true);

    const response = await t
      .http()
      .post('/api/appointments')
      .set(await t.auth('front_desk'))
      .send({ patientId, type: 'follow_up', locationId: aurora, startsAt: '2027-08-05T16:00:00-06:00' })
      .expect(201);
    const planned = (
      await t
        .http()
        .get(`/api/appointments/${response.body.id}/reminders`)
        .set(await t.auth('front_desk'))
        .expect(200)
    ).body;
    expect(planned.every((r: { status: string }) => r.status === 'pending')).toBe(true);
  });

  it("HELP answers with the patient's clinic name and phone and how to stop, whatever their consent", async () => {
    const phone = '+17205550140';
    await patientWithAppointment(phone, '2027-08-04T09:00:00-06:00', false);
    await post(INBOUND, inboundForm(phone, 'help')).expect(200);
    expect(await outboxFor(phone)).toEqual([
      expect.objectContaining({
        purpose: 'help',
        body: 'Aurora Clinic appointment texts. For help call (303) 555-0140. Reply STOP to opt out, START to opt back in. Msg & data rates may apply.',
      }),
    ]);
  });

  it('answers unknown numbers and other words with 200 and nothing else', async () => {
    const stranger = '+17205550150';
    await post(INBOUND, inboundForm(stranger, 'STOP')).expect(200);
    await post(INBOUND, inboundForm(stranger, 'HELP')).expect(200);
    expect(await outboxFor(stranger)).toEqual([]);

    const phone = '+17205550151';
    const patientId = await createPatient(t.dataSource, { smsOptIn: true, phone });
    for (const body of ['Thanks, see you then!', 'yes', 'please stop by', '']) {
      const response = await post(INBOUND, inboundForm(phone, body)).expect(200);
      expect(response.text).toContain('<Response>');
    }
    const [patient] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [patientId]);
    expect(patient.sms_opt_in).toBe(true);
    expect(await outboxFor(phone)).toEqual([]);
    // A short code or other odd sender: no error either.
    await post(INBOUND, inboundForm('55555', 'STOP')).expect(200);
  });

  it('refuses a signed inbound post without a sender with 400 naming the field', async () => {
    const form = { MessageSid: 'SM123', Body: 'STOP' };
    const response = await post(INBOUND, form).expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors).toEqual([{ field: 'From', message: 'From must be the sender number' }]);
  });

  it('records delivery reports on the outbox and the reminder, never moving them back', async () => {
    const phone = '+17205550160';
    const { appointmentId } = await patientWithAppointment(phone, '2027-08-05T09:00:00-06:00');
    await t.app.get(ReminderDispatcher).dispatch();
    const [message] = await outboxFor(phone);
    expect(message).toMatchObject({ purpose: 'reminder', status: 'sent', deliveryStatus: null });

    await post(STATUS, { MessageSid: message.providerMessageId, MessageStatus: 'sent', AccountSid: 'AC0' }).expect(200);
    await post(STATUS, { MessageSid: message.providerMessageId, MessageStatus: 'undelivered', ErrorCode: '30003' }).expect(200);
    // A late "sent" report does not undo "undelivered".
    await post(STATUS, { MessageSid: message.providerMessageId, MessageStatus: 'sent' }).expect(200);
    const [after] = await outboxFor(phone);
    expect(after).toMatchObject({ deliveryStatus: 'undelivered', deliveryErrorCode: '30003' });
    const [confirmation] = (
      await t
        .http()
        .get(`/api/appointments/${appointmentId}/reminders`)
        .set(await t.auth('front_desk'))
        .expect(200)
    ).body;
    expect(confirmation).toMatchObject({ kind: 'confirmation', status: 'sent', deliveryStatus: 'undelivered' });

    // Unknown messages are ignored; a report without its fields is a 400 naming them.
    await post(STATUS, { MessageSid: 'SMunknown', MessageStatus: 'delivered' }).expect(200);
    const bad = await post(STATUS, { MessageStatus: 'Delivered!' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['MessageSid', 'MessageStatus']);
  });
});
