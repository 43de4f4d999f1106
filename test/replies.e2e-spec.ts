import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { Appointment, bookAppointment, createPatient, requestBooking, resourceIds, useStaffedClinic } from './support/factories';
import { outboxFor } from './support/reads';
import { dispatchTexts, SMS_ENV, textFrom } from './support/sms';

const NOW = '2027-08-02T16:00:00Z'; // Monday 10:00 MDT
const WEDNESDAY = '2027-08-04';

describe('replies: patients answer their texts through the signed inbound webhook', () => {
  const t = useTestApp({ now: NOW, env: SMS_ENV });
  const aurora = useStaffedClinic(
    t,
    'aurora',
    ['2027-07-28', '2027-07-29', '2027-07-30', '2027-08-02', '2027-08-03', WEDNESDAY, '2027-08-05', '2027-08-06', '2027-08-09', '2027-08-10', '2027-08-11'],
    3,
  );
  let phoneCounter = 0;
  const newPhone = () => `+1720555${String(3000 + ++phoneCounter).padStart(4, '0')}`;

  /** A patient who accepts texts, booked last Friday and sent what is due by now (the confirmation, then the 48 h reminder of a Wednesday). */
  async function remindedPatient(
    type: 'spravato' | 'tms',
    locationId: string,
    date: string,
    time: string,
    phone = newPhone(),
  ): Promise<{ appointment: Appointment; phone: string }> {
    t.clock.set('2027-07-30T16:00:00Z');
    try {
      const appointment = await bookAppointment(t, { type, locationId, startsAt: at(date, time) }, { smsOptIn: true, phone });
      await dispatchTexts(t);
      return { appointment, phone };
    } finally {
      t.clock.set(NOW);
      await dispatchTexts(t);
    }
  }
  const appointmentOf = async (id: string) => (await t.http().get(`/api/appointments/${id}`).set(t.headers.front_desk).expect(200)).body;
  const lastText = async (phone: string) => (await outboxFor(t, phone)).at(-1);
  const openWorklist = async (locationId: string) => (await t.http().get('/api/worklist').query({ locationId }).set(t.headers.front_desk).expect(200)).body;
  const auditOf = (action: string, entityId: string) =>
    t.dataSource.query(`SELECT actor_role, actor_id, details FROM audit_log WHERE action = $1 AND entity_id = $2 ORDER BY id`, [action, entityId]);

  it('C (or YES, in any case and spacing) confirms the appointment of the last text, with one thank-you, audited as patient-sms', async () => {
    const { appointment, phone } = await remindedPatient('spravato', aurora.id, WEDNESDAY, '10:00');
    expect((await outboxFor(t, phone)).map((m: { purpose: string }) => m.purpose)).toEqual(['reminder', 'reminder']);
    expect((await lastText(phone)).body).toContain('Reply C to confirm, R to reschedule.');

    const form = await textFrom(t, phone, '  yes ');
    expect(await appointmentOf(appointment.id)).toMatchObject({ status: 'scheduled', confirmedAt: '2027-08-02T10:00:00-06:00' });
    expect(await lastText(phone)).toMatchObject({
      purpose: 'reply',
      body: 'Aurora Clinic: thank you, your appointment on Wed, Aug 4 at 10:00 AM is confirmed.',
    });
    expect(await auditOf('appointment.confirm', appointment.id)).toEqual([
      { actor_role: 'patient-sms', actor_id: null, details: { patientId: appointment.patientId } },
    ]);

    // The same message posted again does nothing more; another C is answered but changes nothing.
    await textFrom(t, phone, '  yes ', form);
    await textFrom(t, phone, 'c');
    expect((await outboxFor(t, phone)).filter((m: { purpose: string }) => m.purpose === 'reply')).toHaveLength(2);
    expect(await auditOf('appointment.confirm', appointment.id)).toHaveLength(1);
    const stored = await t.dataSource.query(`SELECT intent, outcome FROM sms_inbound_messages WHERE from_number = $1 ORDER BY received_at, id`, [phone]);
    expect(stored).toEqual([
      { intent: 'yes', outcome: 'confirmed' },
      { intent: 'yes', outcome: 'confirmed' },
    ]);
  });

  it('R marks the appointment and offers three free times; 2 moves it there as patient-sms and closes the request', async () => {
    const { appointment, phone } = await remindedPatient('spravato', aurora.id, WEDNESDAY, '13:00');
    await textFrom(t, phone, 'R');
    expect(await appointmentOf(appointment.id)).toMatchObject({ rescheduleRequestedAt: '2027-08-02T10:00:00-06:00' });

    const options = await lastText(phone);
    expect(options.purpose).toBe('reschedule_options');
    expect(options.body).toMatch(
      /^Aurora Clinic: we can move your appointment to 1\) .+ 2\) .+ 3\) .+\. Reply 1, 2 or 3 to choose, or call \(303\) 555-0140\.$/,
    );
    expect(options.body).not.toMatch(/spravato|esketamine|nasal/i);
    const [{ choices }] = await t.dataSource.query(`SELECT choices FROM sms_messages WHERE id = $1`, [options.id]);
    expect(choices).toHaveLength(3);
    // Same type and clinic, within a week either side, at least two hours from now, each on its own day, in order.
    const starts = choices.map((c: { startsAt: string }) => new Date(c.startsAt).getTime());
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    for (const start of starts) {
      expect(start).toBeGreaterThanOrEqual(new Date(NOW).getTime() + 2 * 3_600_000);
      expect(Math.abs(start - new Date(appointment.startsAt).getTime())).toBeLessThanOrEqual(7 * 86_400_000);
      expect(start).not.toBe(new Date(appointment.startsAt).getTime());
    }
    const request = (await openWorklist(aurora.id)).find((i: { appointmentId?: string }) => i.appointmentId === appointment.id);
    expect(request).toMatchObject({ kind: 'reschedule-request', patientId: appointment.patientId });

    await textFrom(t, phone, '2');
    const moved = await appointmentOf(appointment.id);
    expect(new Date(moved.startsAt).getTime()).toBe(starts[1]);
    expect(moved.confirmedAt).toBe('2027-08-02T10:00:00-06:00');
    expect(moved.rescheduleRequestedAt).toBeUndefined();
    const [audit] = await auditOf('appointment.reschedule', appointment.id);
    expect(audit).toMatchObject({ actor_role: 'patient-sms', actor_id: null });
    expect(new Date(audit.details.to.startsAt).getTime()).toBe(starts[1]);
    // The move is announced by the usual text; the front desk's request is resolved.
    expect(
      (await t.http().get(`/api/appointments/${appointment.id}/reminders`).set(t.headers.front_desk)).body.map((r: { kind: string; status: string }) => [
        r.kind,
        r.status,
      ]),
    ).toContainEqual(['rescheduled', 'pending']);
    expect((await openWorklist(aurora.id)).filter((i: { appointmentId?: string }) => i.appointmentId === appointment.id)).toEqual([]);
    const [resolved] = await t.dataSource.query(`SELECT resolution FROM worklist_items WHERE id = $1`, [request.id]);
    expect(resolved.resolution).toMatch(/^The appointment moved to /);

    // The list is used up: another number fits nothing and goes to the front desk; nothing moves.
    await textFrom(t, phone, '3');
    expect(new Date((await appointmentOf(appointment.id)).startsAt).getTime()).toBe(starts[1]);
    expect(
      (await openWorklist(aurora.id)).filter(
        (i: { kind: string; patientId?: string }) => i.kind === 'unmatched-reply' && i.patientId === appointment.patientId,
      ),
    ).toEqual([expect.objectContaining({ detail: expect.stringMatching(/^A reply that fits nothing: "3"/) })]);
  });

  it('a number whose time was taken meanwhile: the patient is told the clinic will call, and the front desk gets the request', async () => {
    const louisville = t.locations.louisville;
    const { appointment, phone } = await remindedPatient('tms', louisville, WEDNESDAY, '10:00');
    await textFrom(t, phone, 'reschedule');
    const options = await lastText(phone);
    const [{ choices }] = await t.dataSource.query(`SELECT choices FROM sms_messages WHERE id = $1`, [options.id]);
    // Both of Louisville's devices are booked at the first time before the patient answers.
    for (const device of await resourceIds(t.dataSource, 'louisville', 'tms_device')) {
      const patientId = await createPatient(t.dataSource);
      await requestBooking(t, { patientId, type: 'tms', locationId: louisville, startsAt: choices[0].startsAt, resourceId: device }).expect(201);
    }

    await textFrom(t, phone, '1');
    expect((await appointmentOf(appointment.id)).startsAt).toBe(appointment.startsAt);
    expect(await lastText(phone)).toMatchObject({
      purpose: 'reply',
      body: 'Louisville Clinic: sorry, that time is no longer available. The clinic will call you. Questions: (303) 555-0141.',
    });
    const items = (await openWorklist(louisville)).filter((i: { appointmentId?: string }) => i.appointmentId === appointment.id);
    expect(items).toEqual([expect.objectContaining({ kind: 'reschedule-request' })]);
    expect(await auditOf('appointment.reschedule', appointment.id)).toEqual([]);
  });

  it('sends what is ambiguous to the worklist instead of guessing: a shared number, a reply that fits nothing', async () => {
    const shared = newPhone();
    const first = await remindedPatient('spravato', aurora.id, '2027-08-05', '09:00', shared);
    const second = await remindedPatient('spravato', aurora.id, '2027-08-05', '12:00', shared);
    await textFrom(t, shared, 'C');
    for (const { appointment } of [first, second]) expect((await appointmentOf(appointment.id)).confirmedAt).toBeUndefined();
    const sharedItems = (await openWorklist(aurora.id)).filter((i: { detail: string }) => i.detail.startsWith('A reply from a number shared by 2 patients'));
    expect(sharedItems).toEqual([expect.objectContaining({ kind: 'unmatched-reply', detail: 'A reply from a number shared by 2 patients: "C".' })]);
    expect((await outboxFor(t, shared)).filter((m: { purpose: string }) => m.purpose === 'reply')).toEqual([]);

    const { appointment, phone } = await remindedPatient('spravato', aurora.id, '2027-08-05', '15:00');
    await textFrom(t, phone, 'Running 10 min late, sorry!');
    const [item] = (await openWorklist(aurora.id)).filter((i: { patientId?: string }) => i.patientId === appointment.patientId);
    expect(item).toMatchObject({
      kind: 'unmatched-reply',
      appointmentId: appointment.id,
      detail: expect.stringMatching(
        /^A reply that fits nothing: "Running 10 min late, sorry!" \(the last text was about the appointment at 2027-08-05T15:00:00-06:00\)\.$/,
      ),
    });
    expect((await appointmentOf(appointment.id)).confirmedAt).toBeUndefined();
  });

  it('CANCEL is an opt-out word, never a cancellation; nothing is texted to a patient who opted out; unknown numbers are ignored', async () => {
    const { appointment, phone } = await remindedPatient('spravato', aurora.id, '2027-08-06', '10:00');
    await textFrom(t, phone, 'Cancel');
    expect(await appointmentOf(appointment.id)).toMatchObject({ status: 'scheduled' });
    const [patient] = await t.dataSource.query('SELECT sms_opt_in FROM patients WHERE id = $1', [appointment.patientId]);
    expect(patient.sms_opt_in).toBe(false);
    expect((await lastText(phone)).purpose).toBe('opt_out_confirmation');
    // A C after opting out still confirms, but no text goes to a patient who opted out.
    await textFrom(t, phone, 'C');
    expect((await appointmentOf(appointment.id)).confirmedAt).toBe('2027-08-02T10:00:00-06:00');
    expect((await lastText(phone)).purpose).toBe('opt_out_confirmation');

    const stranger = newPhone();
    await textFrom(t, stranger, 'C');
    expect(await outboxFor(t, stranger)).toEqual([]);
    const stored = await t.dataSource.query(`SELECT intent, outcome FROM sms_inbound_messages WHERE from_number = $1`, [stranger]);
    expect(stored).toEqual([{ intent: 'yes', outcome: 'unknown-number' }]);
  });
});
