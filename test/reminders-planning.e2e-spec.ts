import { ReminderDispatcher } from '../src/reminders/reminder-dispatcher.service';
import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, createPatient, useStaffedClinic } from './support/factories';
import { outboxFor, remindersOf } from './support/reads';

// Beyond the demo roster's horizon; the clock stands on Friday 30 July 2027, 12:00 MDT.
const NOW = '2027-07-30T18:00:00Z';
const AURORA_ADDRESS = 'Address: 14200 E Alameda Ave, Suite 300, Aurora, CO 80012.';
const RIDE = 'Please arrange a ride home: no driving until the next day.';
const CALL = 'Questions or changes: (303) 555-0140. Reply STOP to opt out.';
/** A reminder's closing lines: the reply it asks for, then how to stop (shortened when the text is long). */
const ASK = 'Questions or changes: (303) 555-0140. Reply C to confirm, R to reschedule. Reply STOP to opt out.';
const ASK_SHORT = 'Questions or changes: (303) 555-0140. Reply C to confirm, R to reschedule. STOP to opt out.';

describe('reminders: planned with every booking, move and cancellation', () => {
  const t = useTestApp({ now: NOW });
  const aurora = useStaffedClinic(t, 'aurora', ['2027-08-02', '2027-08-03', '2027-08-04', '2027-08-05', '2027-08-06', '2027-08-09', '2027-08-10'], 2);

  it("plans a Spravato booking's texts: confirmation now, 48 h before, the ride-home text the evening before, 2 h before", async () => {
    const patientId = await createPatient(t.dataSource, { smsOptIn: true });
    const appointment = await bookAppointment(t, { patientId, type: 'spravato', locationId: aurora.id, startsAt: at('2027-08-04', '10:00') });

    const list = await remindersOf(t, appointment.id);
    expect(list.map((r: { sendAt: string; status: string; kind: string }) => [r.kind, r.sendAt, r.status])).toEqual([
      ['confirmation', '2027-07-30T12:00:00-06:00', 'pending'],
      ['48h', '2027-08-02T10:00:00-06:00', 'pending'],
      ['evening_before', '2027-08-03T18:00:00-06:00', 'pending'],
      ['2h', '2027-08-04T08:00:00-06:00', 'pending'],
    ]);
    expect(list.map((r: { body: string }) => r.body)).toEqual([
      `Aurora Clinic: your appointment is booked for Wed, Aug 4 at 10:00 AM. ${AURORA_ADDRESS} ${RIDE} ${CALL}`,
      `Aurora Clinic reminder: your appointment is Wed, Aug 4 at 10:00 AM. ${AURORA_ADDRESS} ${RIDE} ${ASK}`,
      `Aurora Clinic reminder: your appointment is tomorrow, Wed, Aug 4, at 10:00 AM. ${AURORA_ADDRESS} ${RIDE} ${ASK}`,
      `Aurora Clinic reminder: your appointment is today at 10:00 AM. ${AURORA_ADDRESS} ${RIDE} ${ASK}`,
    ]);
    for (const reminder of list) expect(reminder.body).not.toMatch(/spravato|esketamine|ketamine|nasal|depress/i);
    expect(Object.keys(list[0]).sort()).toEqual(['attempts', 'body', 'deliveryStatus', 'error', 'id', 'kind', 'sendAt', 'sentAt', 'status']);

    const [stored] = await t.dataSource.query(`SELECT send_at, patient_id FROM reminders WHERE appointment_id = $1 AND kind = '2h'`, [appointment.id]);
    expect(stored.send_at.toISOString()).toBe('2027-08-04T14:00:00.000Z');
    expect(stored.patient_id).toBe(patientId);
    // Nurses and providers may read them; the read is audited.
    await remindersOf(t, appointment.id, 'nurse');
    await remindersOf(t, appointment.id, 'provider');
    const [audit] = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'appointment.reminders.read' AND entity_id = $1 LIMIT 1`, [
      appointment.id,
    ]);
    expect(audit.details).toEqual({ patientId });
  });

  it('plans the fasting and escort text for an early ECT, moving quiet-hour reminders to the evening before', async () => {
    const patientId = await createPatient(t.dataSource, { smsOptIn: true });
    const appointment = await bookAppointment(t, { patientId, type: 'ect', locationId: aurora.id, startsAt: at('2027-08-03', '07:30') });
    const list = await remindersOf(t, appointment.id);
    expect(list.map((r: { kind: string; sendAt: string }) => [r.kind, r.sendAt])).toEqual([
      ['confirmation', '2027-07-30T12:00:00-06:00'],
      ['48h', '2027-07-31T19:59:00-06:00'],
      ['evening_before', '2027-08-02T18:00:00-06:00'],
    ]);
    expect(list[2].body).toBe(
      `Aurora Clinic reminder: your appointment is tomorrow, Tue, Aug 3, at 7:30 AM. ${AURORA_ADDRESS} ` +
        `Nothing to eat or drink after midnight before it, and bring an adult who can take you home. ${ASK_SHORT}`,
    );
    for (const reminder of list) expect(reminder.body).not.toMatch(/\bect\b|electro|convulsive|anesthesia|depress/i);
  });

  it('re-plans a moved appointment in the same transaction and cancels what was planned for the old time', async () => {
    const patientId = await createPatient(t.dataSource, { smsOptIn: true });
    const appointment = await bookAppointment(t, { patientId, type: 'ketamine', locationId: aurora.id, startsAt: at('2027-08-04', '13:00') });
    // The confirmation went out before the move.
    await t.app.get(ReminderDispatcher).dispatch();
    await t
      .http()
      .patch(`/api/appointments/${appointment.id}`)
      .set(t.headers.front_desk)
      .send({ startsAt: at('2027-08-06', '11:00') })
      .expect(200);

    const list = await remindersOf(t, appointment.id);
    const byStatus = (status: string) =>
      list.filter((r: { status: string }) => r.status === status).map((r: { kind: string; sendAt: string }) => [r.kind, r.sendAt]);
    expect(byStatus('sent')).toEqual([['confirmation', '2027-07-30T12:00:00-06:00']]);
    expect(byStatus('cancelled')).toEqual([
      ['48h', '2027-08-02T13:00:00-06:00'],
      ['evening_before', '2027-08-03T18:00:00-06:00'],
      ['2h', '2027-08-04T11:00:00-06:00'],
    ]);
    expect(byStatus('pending')).toEqual([
      ['rescheduled', '2027-07-30T12:00:00-06:00'],
      ['48h', '2027-08-04T11:00:00-06:00'],
      ['evening_before', '2027-08-05T18:00:00-06:00'],
      ['2h', '2027-08-06T09:00:00-06:00'],
    ]);
    const moved = list.find((r: { kind: string }) => r.kind === 'rescheduled');
    expect(moved.body).toBe(`Aurora Clinic: your appointment has moved to Fri, Aug 6 at 11:00 AM. ${AURORA_ADDRESS} ${RIDE} ${CALL}`);
  });

  it('cancels the pending texts of a cancelled appointment', async () => {
    const patientId = await createPatient(t.dataSource, { smsOptIn: true });
    const appointment = await bookAppointment(t, { patientId, type: 'tms', locationId: aurora.id, startsAt: at('2027-08-05', '15:00') });
    const kindAndStatus = async () => (await remindersOf(t, appointment.id)).map((r: { kind: string; status: string }) => [r.kind, r.status]);
    expect(await kindAndStatus()).toEqual([
      ['confirmation', 'pending'],
      ['48h', 'pending'],
      ['2h', 'pending'],
    ]);
    await t.http().post(`/api/appointments/${appointment.id}/cancel`).set(t.headers.front_desk).send({ reason: 'Patient request' }).expect(200);
    expect(await kindAndStatus()).toEqual([
      ['confirmation', 'cancelled'],
      ['48h', 'cancelled'],
      ['2h', 'cancelled'],
    ]);
  });

  it('gives a patient who has not opted in no texts: the plan shows as suppressed and nothing is handed to the provider', async () => {
    const phone = '+17205559001';
    const patientId = await createPatient(t.dataSource, { smsOptIn: false, phone });
    const appointment = await bookAppointment(t, { patientId, type: 'spravato', locationId: aurora.id, startsAt: at('2027-08-05', '09:00') });
    const kindAndStatus = async () => (await remindersOf(t, appointment.id)).map((r: { kind: string; status: string }) => [r.kind, r.status]);
    // Confirmation, 48 h, the evening before (the 2 h one would fall at 07:00, moves to that evening and gives way).
    const suppressed = [
      ['confirmation', 'suppressed'],
      ['48h', 'suppressed'],
      ['evening_before', 'suppressed'],
    ];
    expect(await kindAndStatus()).toEqual(suppressed);

    t.clock.set('2027-08-05T14:30:00Z'); // every one of them due
    try {
      await t.app.get(ReminderDispatcher).dispatch();
    } finally {
      t.clock.set(NOW);
    }
    expect(await outboxFor(t, phone)).toEqual([]);
    expect(await kindAndStatus()).toEqual(suppressed);
  });

  it('gives a daily TMS patient at most one text a day across their sessions', async () => {
    const patientId = await createPatient(t.dataSource, { smsOptIn: true });
    const days = ['2027-08-02', '2027-08-03', '2027-08-04', '2027-08-05', '2027-08-06', '2027-08-09', '2027-08-10'];
    for (const day of days) await bookAppointment(t, { patientId, type: 'tms', locationId: aurora.id, startsAt: at(day, '10:00') });

    const rows: Array<{ day: string; n: number }> = await t.dataSource.query(
      `SELECT to_char(send_at AT TIME ZONE 'America/Denver', 'YYYY-MM-DD') AS day, count(*)::int AS n
         FROM reminders WHERE patient_id = $1 AND status = 'pending' GROUP BY 1 ORDER BY 1`,
      [patientId],
    );
    // The first session's confirmation today, then one text a day: 48 h before a session on a day without one, 2 h before on session days.
    expect(rows).toEqual(
      [
        '2027-07-30',
        '2027-07-31',
        '2027-08-01',
        '2027-08-02',
        '2027-08-03',
        '2027-08-04',
        '2027-08-05',
        '2027-08-06',
        '2027-08-07',
        '2027-08-08',
        '2027-08-09',
        '2027-08-10',
      ].map((day) => ({ day, n: 1 })),
    );
    const kinds: Array<{ kind: string; n: number }> = await t.dataSource.query(
      `SELECT kind, count(*)::int AS n FROM reminders WHERE patient_id = $1 AND status = 'pending' GROUP BY kind ORDER BY kind`,
      [patientId],
    );
    expect(kinds).toEqual([
      { kind: '2h', n: 7 },
      { kind: '48h', n: 4 },
      { kind: 'confirmation', n: 1 },
    ]);
  });

  it('answers 404 for an unknown appointment, 400 for a malformed id, 401 without a token', async () => {
    await t.http().get('/api/appointments/00000000-0000-4000-8000-000000000000/reminders').set(t.headers.front_desk).expect(404);
    const bad = await t.http().get('/api/appointments/nope/reminders').set(t.headers.front_desk).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    await t.http().get('/api/appointments/00000000-0000-4000-8000-000000000000/reminders').expect(401);
  });

  it('shows the outbox to admins only, and refuses a malformed number', async () => {
    await t.http().get('/api/sms/outbox').set(t.headers.front_desk).expect(403);
    const bad = await t
      .http()
      .get('/api/sms/outbox')
      .query({ to: '303-555' })
      .set(await t.auth('admin'))
      .expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors[0].field).toBe('to');
  });
});
