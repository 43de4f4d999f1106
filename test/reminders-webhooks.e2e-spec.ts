import { ReminderDispatcher } from '../src/reminders/reminder-dispatcher.service';
import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, createPatient, useStaffedClinic } from './support/factories';
import { outboxFor, remindersOf } from './support/reads';
import { INBOUND, inboundForm, PUBLIC_BASE_URL, STATUS_CALLBACK as STATUS, TWILIO_TOKEN, twilioSignature as sign } from './support/twilio';

const NOW = '2027-07-30T18:00:00Z'; // Friday 12:00 MDT

describe('reminders: SMS webhooks (STOP / START / HELP, delivery reports)', () => {
  const t = useTestApp({ now: NOW, env: { TWILIO_AUTH_TOKEN: TWILIO_TOKEN, PUBLIC_BASE_URL } });
  const aurora = useStaffedClinic(t, 'aurora', ['2027-08-02', '2027-08-03', '2027-08-04', '2027-08-05', '2027-08-06'], 3);

  const post = (path: string, form: Record<string, string>, signature: string | null = sign(`${PUBLIC_BASE_URL}${path}`, form)) => {
    const request = t.http().post(path).type('form').send(form);
    return signature === null ? request : request.set('X-Twilio-Signature', signature);
  };

  const kindAndStatus = (reminders: Array<{ kind: string; status: string }>) => reminders.map((r) => [r.kind, r.status]);

  /** A Spravato booking at Aurora for a new patient with this number. */
  const patientWithAppointment = async (phone: string, startsAt: string, smsOptIn = true) =>
    bookAppointment(t, { type: 'spravato', locationId: aurora.id, startsAt }, { smsOptIn, phone });

  it('refuses unsigned and badly signed requests with 403 problem+json', async () => {
    const form = inboundForm('+17205550101', 'STOP');
    const unsigned = await post(INBOUND, form, null).expect(403);
    expect(unsigned.headers['content-type']).toContain('application/problem+json');
    expect(unsigned.body).toMatchObject({ status: 403, title: 'Forbidden' });
    await post(INBOUND, form, 'bm90IGEgc2lnbmF0dXJl').expect(403);
    await post(INBOUND, form, sign(`${PUBLIC_BASE_URL}${INBOUND}`, form, 'another-token')).expect(403);
    // Signed for another URL, or for other parameters.
    await post(INBOUND, form, sign(`http://localhost:3000${INBOUND}`, form)).expect(403);
    await post(INBOUND, { ...form, Body: 'START' }, sign(`${PUBLIC_BASE_URL}${INBOUND}`, form)).expect(403);
    await post(STATUS, { MessageSid: 'SM1', MessageStatus: 'delivered' }, null).expect(403);
    await post(STATUS, { MessageSid: 'SM1', MessageStatus: 'delivered' }, 'wrong').expect(403);
  });

  it('refuses every webhook when no auth token is configured', async () => {
    const other = await t.instance({ now: NOW, env: { PUBLIC_BASE_URL } });
    try {
      const form = inboundForm('+17205550102', 'STOP');
      const response = await other
        .http()
        .post(INBOUND)
        .type('form')
        .send(form)
        .set('X-Twilio-Signature', sign(`${PUBLIC_BASE_URL}${INBOUND}`, form))
        .expect(403);
      expect(response.body.detail).toMatch(/TWILIO_AUTH_TOKEN/);
    } finally {
      await other.close();
    }
  });

  it('STOP opts the patient out at once, cancels their pending texts, sends one confirmation and is audited', async () => {
    const phone = '+17205550110';
    const { patientId, id: appointmentId } = await patientWithAppointment(phone, at('2027-08-03', '09:00'));
    const [{ pending }] = await t.dataSource.query(`SELECT count(*)::int AS pending FROM reminders WHERE patient_id = $1 AND status = 'pending'`, [patientId]);
    expect(pending).toBeGreaterThan(0);

    const response = await post(INBOUND, inboundForm(phone, '  stop ')).expect(200);
    expect(response.headers['content-type']).toContain('text/xml');
    expect(response.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');

    const [patient] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [patientId]);
    expect(patient.sms_opt_in).toBe(false);
    expect(kindAndStatus(await remindersOf(t, appointmentId))).toEqual([
      ['confirmation', 'cancelled'],
      ['48h', 'cancelled'],
      ['evening_before', 'cancelled'],
    ]);

    const outbox = await outboxFor(t, phone);
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
    expect(await outboxFor(t, phone)).toHaveLength(1);

    // New bookings now plan suppressed texts only.
    const again = await bookAppointment(t, { patientId, type: 'tms', locationId: aurora.id, startsAt: at('2027-08-06', '15:00') });
    expect(kindAndStatus(await remindersOf(t, again.id))).toEqual([
      ['confirmation', 'suppressed'],
      ['48h', 'suppressed'],
      ['2h', 'suppressed'],
    ]);
  });

  it.each(['stop', 'Quit', 'END', 'revoke', ' Opt Out ', 'cancel', 'UNSUBSCRIBE'])('%p opts out', async (word) => {
    const phone = `+1720555${String(2000 + ['stop', 'Quit', 'END', 'revoke', ' Opt Out ', 'cancel', 'UNSUBSCRIBE'].indexOf(word))}`;
    const patientId = await createPatient(t.dataSource, { smsOptIn: true, phone });
    await post(INBOUND, inboundForm(phone, word)).expect(200);
    const [patient] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [patientId]);
    expect(patient.sms_opt_in).toBe(false);
    expect((await outboxFor(t, phone)).map((m: { purpose: string }) => m.purpose)).toEqual(['opt_out_confirmation']);
  });

  it('answers the same inbound message posted twice only once', async () => {
    const phone = '+17205550120';
    await createPatient(t.dataSource, { smsOptIn: true, phone });
    const form = inboundForm(phone, 'HELP');
    await post(INBOUND, form).expect(200);
    await post(INBOUND, form).expect(200);
    expect(await outboxFor(t, phone)).toHaveLength(1);
  });

  it('START and UNSTOP opt back in, with one confirmation, audited; texts are planned again', async () => {
    const phone = '+17205550130';
    const patientId = await createPatient(t.dataSource, { smsOptIn: false, phone });
    await post(INBOUND, inboundForm(phone, 'Start')).expect(200);
    const [patient] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [patientId]);
    expect(patient.sms_opt_in).toBe(true);
    expect((await outboxFor(t, phone)).map((m: { purpose: string; body: string }) => [m.purpose, m.body])).toEqual([
      ['opt_in_confirmation', 'You will get appointment texts again. Reply HELP for help, STOP to opt out.'],
    ]);
    const audit = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'patient.sms-opt-in' AND entity_id = $1`, [patientId]);
    expect(audit).toEqual([{ details: { channel: 'sms', changed: true, replannedAppointments: 0 } }]);

    await post(INBOUND, inboundForm(phone, 'stop')).expect(200);
    await post(INBOUND, inboundForm(phone, 'unstop')).expect(200);
    const [after] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [patientId]);
    expect(after.sms_opt_in).toBe(true);

    const appointment = await bookAppointment(t, { patientId, type: 'follow_up', locationId: aurora.id, startsAt: at('2027-08-05', '16:00') });
    expect(kindAndStatus(await remindersOf(t, appointment.id))).toEqual([
      ['confirmation', 'pending'],
      ['48h', 'pending'],
      ['2h', 'pending'],
    ]);
  });

  it('processes each message once: a replayed START (same MessageSid) after a later STOP keeps the patient opted out', async () => {
    const phone = '+17205550135';
    const appointment = await patientWithAppointment(phone, at('2027-08-04', '09:00'), false);
    expect(kindAndStatus(await remindersOf(t, appointment.id))).toEqual([
      ['confirmation', 'suppressed'],
      ['48h', 'suppressed'],
      ['evening_before', 'suppressed'],
    ]);

    // A genuine START: opted in, and the upcoming appointment's texts are planned again (no second confirmation).
    const start = inboundForm(phone, 'START');
    await post(INBOUND, start).expect(200);
    expect(kindAndStatus(await remindersOf(t, appointment.id))).toEqual([
      ['confirmation', 'cancelled'],
      ['48h', 'cancelled'],
      ['48h', 'pending'],
      ['evening_before', 'cancelled'],
      ['evening_before', 'pending'],
    ]);
    await post(INBOUND, inboundForm(phone, 'STOP')).expect(200);

    // The old START, validly signed, posted again: nothing changes.
    await post(INBOUND, start).expect(200);
    const [patient] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [appointment.patientId]);
    expect(patient.sms_opt_in).toBe(false);
    const pending = await t.dataSource.query(`SELECT id FROM reminders WHERE patient_id = $1 AND status = 'pending'`, [appointment.patientId]);
    expect(pending).toEqual([]);
    expect((await outboxFor(t, phone)).map((m: { purpose: string }) => m.purpose)).toEqual(['opt_in_confirmation', 'opt_out_confirmation']);
    const events = await t.dataSource.query(`SELECT event FROM sms_consent_events WHERE patient_id = $1 ORDER BY created_at`, [appointment.patientId]);
    expect(events).toEqual([{ event: 'opt_in' }, { event: 'opt_out' }]);
    const stored = await t.dataSource.query(`SELECT intent, outcome FROM sms_inbound_messages WHERE message_sid = $1`, [start.MessageSid]);
    expect(stored).toEqual([{ intent: 'start', outcome: 'opted-in' }]);
  });

  it("HELP answers with the patient's clinic name and phone and how to stop, whatever their consent", async () => {
    const phone = '+17205550140';
    await patientWithAppointment(phone, at('2027-08-04', '09:00'), false);
    await post(INBOUND, inboundForm(phone, 'help')).expect(200);
    expect(await outboxFor(t, phone)).toEqual([
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
    expect(await outboxFor(t, stranger)).toEqual([]);

    const phone = '+17205550151';
    const patientId = await createPatient(t.dataSource, { smsOptIn: true, phone });
    for (const body of ['Thanks, see you then!', 'yes', 'please stop by', '']) {
      const response = await post(INBOUND, inboundForm(phone, body)).expect(200);
      expect(response.text).toContain('<Response>');
    }
    const [patient] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [patientId]);
    expect(patient.sms_opt_in).toBe(true);
    expect(await outboxFor(t, phone)).toEqual([]);
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
    const { id: appointmentId } = await patientWithAppointment(phone, at('2027-08-05', '09:00'));
    await t.app.get(ReminderDispatcher).dispatch();
    const [message] = await outboxFor(t, phone);
    expect(message).toMatchObject({ purpose: 'reminder', status: 'sent', deliveryStatus: null });

    await post(STATUS, { MessageSid: message.providerMessageId, MessageStatus: 'sent', AccountSid: 'AC0' }).expect(200);
    await post(STATUS, { MessageSid: message.providerMessageId, MessageStatus: 'undelivered', ErrorCode: '30003' }).expect(200);
    // A late "sent" report does not undo "undelivered".
    await post(STATUS, { MessageSid: message.providerMessageId, MessageStatus: 'sent' }).expect(200);
    const [after] = await outboxFor(t, phone);
    expect(after).toMatchObject({ deliveryStatus: 'undelivered', deliveryErrorCode: '30003' });
    const [confirmation] = await remindersOf(t, appointmentId);
    expect(confirmation).toMatchObject({ kind: 'confirmation', status: 'sent', deliveryStatus: 'undelivered' });

    // Unknown messages are ignored; a report without its fields is a 400 naming them.
    await post(STATUS, { MessageSid: 'SMunknown', MessageStatus: 'delivered' }).expect(200);
    const bad = await post(STATUS, { MessageStatus: 'Delivered!' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['MessageSid', 'MessageStatus']);
  });
});
