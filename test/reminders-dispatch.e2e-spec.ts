import { DataSource } from 'typeorm';
import { ReminderDispatcher } from '../src/reminders/reminder-dispatcher.service';
import { ReminderScheduler } from '../src/reminders/reminder-scheduler';
import { RemindersRepository } from '../src/reminders/reminders.repository';
import { SMS_PROVIDER, SmsProvider, SmsSendError } from '../src/reminders/sms/sms-provider';
import { TestApp, useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { Booking, bookAppointment, staffClinic } from './support/factories';
import { outboxFor, remindersOf } from './support/reads';

const NOW = '2027-07-30T18:00:00Z'; // Friday 12:00 MDT

/** Pending reminders due now, inserted directly: `count` per appointment of a fresh opted-in patient. */
async function seedDueReminders(dataSource: DataSource, appointmentIds: string[], count: number): Promise<void> {
  await dataSource.query(
    `INSERT INTO reminders (appointment_id, patient_id, kind, send_at, status, body)
     SELECT a.id, a.patient_id, '48h', $2::timestamptz - (n || ' seconds')::interval, 'pending', 'Test reminder ' || n
       FROM appointments a, generate_series(1, $3) AS n
      WHERE a.id = ANY($1::uuid[])`,
    [appointmentIds, NOW, count],
  );
}

describe('reminders: the dispatcher', () => {
  const a = useTestApp({ now: NOW });
  /** A second instance of the service on the same database. */
  let b: TestApp;
  let providerA: SmsProvider;
  let providerB: SmsProvider;

  beforeAll(async () => {
    b = await a.instance({ now: NOW });
    await staffClinic(a.dataSource, 'aurora', ['2027-08-02', '2027-08-03', '2027-08-04', '2027-08-05', '2027-08-06'], 3);
    providerA = a.app.get(SMS_PROVIDER);
    providerB = b.app.get(SMS_PROVIDER);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    a.clock.set(NOW);
    b.clock!.set(NOW);
  });

  const setClocks = (instant: string) => {
    a.clock.set(instant);
    b.clock!.set(instant);
  };

  /** A booking at Aurora for a new patient with a number of their own, opted in to texts. */
  async function bookFor(startsAt: string, type: Booking['type'] = 'tms'): Promise<{ appointmentId: string; phone: string; patientId: string }> {
    const phone = `+1720${String(Math.floor(1_000_000 + Math.random() * 8_999_999))}`;
    const appointment = await bookAppointment(a, { type, locationId: a.locations.aurora, startsAt }, { smsOptIn: true, phone });
    return { appointmentId: appointment.id, phone, patientId: appointment.patientId };
  }

  async function settleAll(): Promise<void> {
    // Everything due so far goes out, so that each test starts from an empty queue.
    await a.app.get(ReminderDispatcher).dispatch();
  }

  it('sends each due text exactly once with two instances racing over the same table', async () => {
    await settleAll();
    const appointments = [];
    for (let i = 0; i < 6; i++) appointments.push(await bookFor(at(`2027-08-0${2 + (i % 4)}`, `${String(9 + i).padStart(2, '0')}:00`)));
    await seedDueReminders(
      a.dataSource,
      appointments.map((x) => x.appointmentId),
      100,
    );
    const [{ due }] = await a.dataSource.query(`SELECT count(*)::int AS due FROM reminders WHERE status = 'pending' AND send_at <= $1`, [NOW]);
    expect(due).toBe(606); // 6 confirmations and 600 seeded

    const sendA = jest.spyOn(providerA, 'send');
    const sendB = jest.spyOn(providerB, 'send');
    const dispatchers = [a.app.get(ReminderDispatcher), b.app.get(ReminderDispatcher)];
    const reports = await Promise.all(Array.from({ length: 16 }, (_, i) => dispatchers[i % 2].dispatch({ batchSize: 25 })));

    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(606);
    expect(sendA.mock.calls.length + sendB.mock.calls.length).toBe(606);
    // Both instances took part.
    expect(sendA.mock.calls.length).toBeGreaterThan(0);
    expect(sendB.mock.calls.length).toBeGreaterThan(0);

    const [outbox] = await a.dataSource.query(
      `SELECT count(*)::int AS rows, count(DISTINCT reminder_id)::int AS reminders, count(*) FILTER (WHERE status = 'sent')::int AS sent
         FROM sms_messages WHERE purpose = 'reminder' AND reminder_id IN (SELECT id FROM reminders WHERE appointment_id = ANY($1::uuid[]))`,
      [appointments.map((x) => x.appointmentId)],
    );
    expect(outbox).toEqual({ rows: 606, reminders: 606, sent: 606 });
    const mismatched = await a.dataSource.query(
      `SELECT r.id FROM reminders r JOIN sms_messages m ON m.reminder_id = r.id
        WHERE r.appointment_id = ANY($1::uuid[]) AND (r.status <> 'sent' OR r.provider_message_id IS DISTINCT FROM m.provider_message_id OR r.attempts <> 1)`,
      [appointments.map((x) => x.appointmentId)],
    );
    expect(mismatched).toEqual([]);
    // The outbox shows each text once, to the patient's number.
    const listed = await outboxFor(a, appointments[0].phone, 500);
    expect(listed).toHaveLength(101);
    expect(listed[0]).toMatchObject({
      to: appointments[0].phone,
      provider: 'log',
      status: 'sent',
      purpose: 'reminder',
      providerMessageId: expect.stringMatching(/^LOG/),
    });

    // Nothing is left to send, whoever asks.
    expect((await dispatchers[1].dispatch()).claimed).toBe(0);
  });

  it('sends nothing before its time, and a later text when its time comes', async () => {
    await settleAll();
    const { appointmentId } = await bookFor(at('2027-08-04', '14:00'), 'follow_up');
    const dispatcher = b.app.get(ReminderDispatcher);
    await dispatcher.dispatch(); // the confirmation
    const status = async () =>
      (await a.dataSource.query(`SELECT kind, status FROM reminders WHERE appointment_id = $1 ORDER BY send_at`, [appointmentId])).map(
        (r: { kind: string; status: string }) => `${r.kind}:${r.status}`,
      );
    expect(await status()).toEqual(['confirmation:sent', '48h:pending', '2h:pending']);
    setClocks('2027-08-02T19:59:00Z'); // 13:59 local, a minute early
    await dispatcher.dispatch();
    expect(await status()).toEqual(['confirmation:sent', '48h:pending', '2h:pending']);
    setClocks('2027-08-02T20:00:00Z');
    await dispatcher.dispatch();
    expect(await status()).toEqual(['confirmation:sent', '48h:sent', '2h:pending']);
  });

  it('holds overdue texts through quiet hours, and never sends one once the appointment has started', async () => {
    await settleAll();
    const early = await bookFor(at('2027-08-03', '09:00'), 'follow_up'); // 48 h: Sun 09:00; 2 h: Mon 19:59
    const missed = await bookFor(at('2027-08-02', '11:00'), 'follow_up'); // 48 h: Sat 11:00; 2 h: Mon 09:00
    await settleAll();
    const statuses = async (appointmentId: string) =>
      (
        await a.dataSource.query(`SELECT kind, status, last_error FROM reminders WHERE appointment_id = $1 AND kind <> 'confirmation' ORDER BY send_at`, [
          appointmentId,
        ])
      ).map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`);
    // The service was down all weekend; it is back on Monday evening at 21:00, in quiet hours.
    setClocks('2027-08-03T03:00:00Z');
    expect((await a.app.get(ReminderDispatcher).dispatch()).claimed).toBe(0);
    expect(await statuses(early.appointmentId)).toEqual(['48h:pending', '2h:pending']);
    // At 08:00 the overdue texts of the 09:00 appointment go out; those of Monday's appointment are too late.
    setClocks('2027-08-03T14:00:00Z');
    await a.app.get(ReminderDispatcher).dispatch();
    expect(await statuses(early.appointmentId)).toEqual(['48h:sent', '2h:sent']);
    expect(await statuses(missed.appointmentId)).toEqual(['48h:failed', '2h:failed']);
    const [row] = await a.dataSource.query(`SELECT last_error FROM reminders WHERE appointment_id = $1 AND kind = '2h'`, [missed.appointmentId]);
    expect(row.last_error).toBe('not sent before the appointment started');
    expect(await a.dataSource.query('SELECT id FROM sms_messages WHERE to_number = $1 AND purpose = $2', [missed.phone, 'reminder'])).toHaveLength(1);
  });

  it('leaves a text claimed by a crashed instance alone until its lease lapses, then sends it once', async () => {
    await settleAll();
    const { appointmentId } = await bookFor(at('2027-08-05', '15:00'));
    // An instance claims the confirmation and dies before sending it.
    const claimed = await a.app.get(RemindersRepository).claimDueReminders(10, 'crashed-instance', new Date(NOW), 300);
    expect(claimed.map((c) => c.id)).toHaveLength(1);
    const send = jest.spyOn(providerB, 'send');
    expect((await b.app.get(ReminderDispatcher).dispatch()).claimed).toBe(0);
    setClocks('2027-07-30T18:05:01Z');
    expect((await b.app.get(ReminderDispatcher).dispatch()).sent).toBe(1);
    expect(send).toHaveBeenCalledTimes(1);
    const [row] = await a.dataSource.query(`SELECT status, attempts, claimed_by FROM reminders WHERE appointment_id = $1 AND kind = 'confirmation'`, [
      appointmentId,
    ]);
    expect(row).toEqual({ status: 'sent', attempts: 2, claimed_by: b.app.get(ReminderDispatcher).instanceId });
  });

  it('does not send again a text the provider took just before a crash: the outbox row says so', async () => {
    await settleAll();
    const { appointmentId } = await bookFor(at('2027-08-05', '16:00'), 'follow_up');
    const [reminder] = await a.dataSource.query(`SELECT id, body FROM reminders WHERE appointment_id = $1 AND kind = 'confirmation'`, [appointmentId]);
    // The provider accepted it and the outbox recorded so, but the crash came before the reminder was marked.
    await a.dataSource.query(
      `INSERT INTO sms_messages (idempotency_key, purpose, reminder_id, to_number, body, provider, status, provider_message_id, sent_at)
       VALUES ('reminder:' || $1::text, 'reminder', $1::uuid, '+17205550000', $2, 'log', 'sent', 'LOGalreadysent', now())`,
      [reminder.id, reminder.body],
    );
    const send = jest.spyOn(providerA, 'send');
    await a.app.get(ReminderDispatcher).dispatch();
    expect(send).not.toHaveBeenCalled();
    const [row] = await a.dataSource.query(`SELECT status, provider_message_id FROM reminders WHERE id = $1`, [reminder.id]);
    expect(row).toEqual({ status: 'sent', provider_message_id: 'LOGalreadysent' });
  });

  it('marks failed, without sending again, a text that was cut off while being handed to the provider', async () => {
    await settleAll();
    const { appointmentId } = await bookFor(at('2027-08-05', '17:00'), 'follow_up');
    const [reminder] = await a.dataSource.query(`SELECT id, body FROM reminders WHERE appointment_id = $1 AND kind = 'confirmation'`, [appointmentId]);
    await a.dataSource.query(
      `INSERT INTO sms_messages (idempotency_key, purpose, reminder_id, to_number, body, provider, status) VALUES ('reminder:' || $1::text, 'reminder', $1::uuid, '+17205550000', $2, 'log', 'sending')`,
      [reminder.id, reminder.body],
    );
    const send = jest.spyOn(providerA, 'send');
    await a.app.get(ReminderDispatcher).dispatch();
    expect(send).not.toHaveBeenCalled();
    const [row] = await a.dataSource.query(`SELECT status, last_error FROM reminders WHERE id = $1`, [reminder.id]);
    expect(row.status).toBe('failed');
    expect(row.last_error).toMatch(/not sent again/);
  });

  it('retries a failing provider with backoff, then shows the text as failed with the error', async () => {
    await settleAll();
    const { appointmentId, phone } = await bookFor(at('2027-08-06', '15:00'), 'follow_up');
    const send = jest.spyOn(providerA, 'send').mockRejectedValue(new Error(`provider unavailable for ${phone}`));
    const dispatcher = a.app.get(ReminderDispatcher);
    const confirmation = async () => (await remindersOf(a, appointmentId))[0];

    await dispatcher.dispatch();
    expect(await confirmation()).toMatchObject({ kind: 'confirmation', status: 'pending', attempts: 1, error: 'provider unavailable for [number]' });
    // Not again before the backoff (30 s, 60 s, 120 s, 240 s) has passed.
    const delays = [30, 60, 120, 240];
    let clock = new Date(NOW).getTime();
    for (const [i, delay] of delays.entries()) {
      setClocks(new Date(clock + (delay - 1) * 1000).toISOString());
      await dispatcher.dispatch();
      expect(send).toHaveBeenCalledTimes(i + 1);
      clock += delay * 1000;
      setClocks(new Date(clock).toISOString());
      await dispatcher.dispatch();
      expect(send).toHaveBeenCalledTimes(i + 2);
    }
    const failed = await confirmation();
    expect(failed).toMatchObject({ status: 'failed', attempts: 5, error: 'provider unavailable for [number]' });
    expect(failed.error).not.toContain(phone);
    // Failed for good: no sixth try.
    setClocks(new Date(clock + 86_400_000).toISOString());
    await dispatcher.dispatch();
    expect(send).toHaveBeenCalledTimes(5);
    expect(await outboxFor(a, phone)).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 5, providerMessageId: null, error: 'provider unavailable for [number]' }),
    ]);
  });

  it('does not retry a permanent refusal (an invalid number)', async () => {
    await settleAll();
    const { appointmentId } = await bookFor(at('2027-08-06', '16:00'), 'follow_up');
    const send = jest.spyOn(providerA, 'send').mockRejectedValue(new SmsSendError('Twilio error 21211 (HTTP 400): invalid To number', true));
    await a.app.get(ReminderDispatcher).dispatch();
    expect(send).toHaveBeenCalledTimes(1);
    const [row] = await a.dataSource.query(`SELECT status, attempts, last_error FROM reminders WHERE appointment_id = $1 AND kind = 'confirmation'`, [
      appointmentId,
    ]);
    expect(row).toEqual({ status: 'failed', attempts: 1, last_error: 'Twilio error 21211 (HTTP 400): invalid To number' });
  });

  it('sends nothing to a patient whose consent was withdrawn after the text was planned', async () => {
    await settleAll();
    const { appointmentId, patientId, phone } = await bookFor(at('2027-08-06', '17:00'), 'follow_up');
    await a.dataSource.query('UPDATE patients SET sms_opt_in = false WHERE id = $1', [patientId]);
    await a.app.get(ReminderDispatcher).dispatch();
    const [row] = await a.dataSource.query(`SELECT status FROM reminders WHERE appointment_id = $1 AND kind = 'confirmation'`, [appointmentId]);
    expect(row.status).toBe('cancelled');
    expect(await a.dataSource.query('SELECT id FROM sms_messages WHERE to_number = $1', [phone])).toEqual([]);
  });

  it('runs the schedule on one instance at a time: the advisory lock passes on when its holder stops', async () => {
    const third = await a.instance({ now: NOW });
    const fourth = await a.instance({ now: NOW });
    try {
      expect(await third.app.get(ReminderScheduler).holdLock()).toBe(true);
      expect(await fourth.app.get(ReminderScheduler).holdLock()).toBe(false);
      expect(await third.app.get(ReminderScheduler).holdLock()).toBe(true);
      await third.close();
      expect(await fourth.app.get(ReminderScheduler).holdLock()).toBe(true);
    } finally {
      await fourth.close();
    }
  });

  it('does not run the schedule where SCHEDULER_ENABLED is off', async () => {
    const dispatch = jest.spyOn(a.app.get(ReminderDispatcher), 'dispatch');
    await a.app.get(ReminderScheduler).tick();
    expect(dispatch).not.toHaveBeenCalled();
    expect(a.app.get(ReminderScheduler).isLeader).toBe(false);
  });
});
