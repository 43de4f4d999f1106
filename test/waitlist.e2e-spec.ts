import { WaitlistOffers, EXPIRE_OFFER_TASK, OFFER_SLOT_TASK, FreedSlotJob } from '../src/waitlist/waitlist-offers.service';
import { useTestApp } from './support/app';
import { at, datesFrom } from './support/clinic-time';
import { addMedicationTrial, Appointment, bookAppointment, createPatient, requestBooking, useStaffedClinic } from './support/factories';
import { outboxFor } from './support/reads';
import { queuedJobs, runJobs, SMS_ENV, textFrom } from './support/sms';

const NOW = '2027-08-02T16:00:00Z'; // Monday 10:00 MDT
const OFFER = 'Reply YES to take it or NO to pass.';

describe('waitlist: freed chairs are offered by text, held, and booked with every rule', () => {
  const t = useTestApp({ now: NOW, env: SMS_ENV });
  const aurora = useStaffedClinic(t, 'aurora', [...datesFrom('2027-08-02', 5), ...datesFrom('2027-08-09', 5)], 3);
  let phoneCounter = 0;
  const newPhone = () => `+1720555${String(5000 + ++phoneCounter).padStart(4, '0')}`;
  afterEach(() => t.clock.set(NOW));

  /** A patient on the waitlist for Spravato at Aurora on `date` (eligible: two failed trials; REMS-enrolled; accepts texts). */
  async function waitlisted(date: string, options: { priority?: number; windows?: unknown[]; trials?: number; rems?: boolean; smsOptIn?: boolean } = {}) {
    const phone = newPhone();
    const patientId = await createPatient(t.dataSource, {
      smsOptIn: options.smsOptIn ?? true,
      phone,
      ...(options.rems === false ? { remsEnrolledAt: null } : {}),
    });
    for (let i = 0; i < (options.trials ?? 2); i++) await addMedicationTrial(t, patientId, { medication: i ? 'bupropion' : 'sertraline' });
    const entry = await t
      .http()
      .post('/api/waitlist')
      .set(t.headers.front_desk)
      .send({
        patientId,
        type: 'spravato',
        locationIds: [aurora.id],
        from: date,
        to: date,
        ...(options.windows ? { windows: options.windows } : {}),
        ...(options.priority !== undefined ? { priority: options.priority } : {}),
      })
      .expect(201);
    return { patientId, phone, entryId: entry.body.id as string };
  }

  /** A Spravato booking in the given chair, for a patient not on the list, cancelled by the front desk. */
  async function freeChair(date: string, time: string, chair = 0): Promise<Appointment> {
    const appointment = await bookAppointment(t, aurora.booking('spravato', date, time, chair));
    await t.http().post(`/api/appointments/${appointment.id}/cancel`).set(t.headers.front_desk).send({ reason: 'Patient unwell' }).expect(200);
    return appointment;
  }

  const offersOf = (patientId: string) =>
    t.dataSource.query(
      `SELECT id, status, hold_id AS "holdId", appointment_id AS "appointmentId", expires_at AS "expiresAt" FROM waitlist_offers WHERE patient_id = $1 ORDER BY created_at`,
      [patientId],
    );
  const lastText = async (phone: string) => (await outboxFor(t, phone)).at(-1);
  const heldStarts = async (date: string, chair = 0) =>
    (
      await t
        .http()
        .get('/api/availability')
        .query({ type: 'spravato', locationId: aurora.id, from: at(date, '08:00'), to: at(date, '12:00'), resourceId: aurora.chairs[chair] })
        .set(t.headers.front_desk)
        .expect(200)
    ).body.map((s: { startsAt: string }) => s.startsAt);

  it('keeps entries: validated, listed in offer order (priority, then age), taken off by the front desk', async () => {
    const patientId = await createPatient(t.dataSource);
    const post = (body: Record<string, unknown>) => t.http().post('/api/waitlist').set(t.headers.front_desk).send(body);
    const valid = { patientId, type: 'ketamine', locationIds: [aurora.id], from: '2027-09-01', to: '2027-09-30' };
    const fields = async (body: Record<string, unknown>) => (await post(body).expect(400)).body.errors.map((e: { field: string }) => e.field);
    expect(await fields({ ...valid, to: '2027-08-31' })).toEqual(['to']);
    expect(await fields({ ...valid, windows: [{ start: '12:00', end: '08:00' }] })).toEqual(['windows.0']);
    expect(await fields({ ...valid, type: 'intake' })).toEqual(['type']);
    expect(await fields({ ...valid, locationIds: ['00000000-0000-4000-8000-000000000000'] })).toEqual(['locationIds']);
    expect(await fields({ ...valid, patientId: '00000000-0000-4000-8000-000000000000' })).toEqual(['patientId']);
    expect(await fields({ ...valid, priority: 10 })).toEqual(['priority']);
    await t.http().post('/api/waitlist').set(t.headers.nurse).send(valid).expect(403);

    const low = (await post(valid).expect(201)).body;
    const high = (await post({ ...valid, priority: 7, windows: [{ weekdays: [3, 1], start: '08:00', end: '12:00' }] }).expect(201)).body;
    expect(high).toMatchObject({
      priority: 7,
      status: 'active',
      from: '2027-09-01',
      to: '2027-09-30',
      windows: [{ weekdays: [1, 3], start: '08:00', end: '12:00' }],
    });
    const listed = await t.http().get('/api/waitlist').query({ locationId: aurora.id, type: 'ketamine' }).set(t.headers.nurse).expect(200);
    expect(listed.body.map((e: { id: string }) => e.id)).toEqual([high.id, low.id]);

    await t.http().delete(`/api/waitlist/${low.id}`).set(t.headers.front_desk).expect(204);
    await t.http().delete(`/api/waitlist/${low.id}`).set(t.headers.front_desk).expect(409);
    const after = await t.http().get('/api/waitlist').query({ locationId: aurora.id, type: 'ketamine' }).set(t.headers.front_desk).expect(200);
    expect(after.body.map((e: { id: string }) => e.id)).toEqual([high.id]);
    const audit = await t.dataSource.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [low.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['waitlist.create', 'waitlist.remove']);
  });

  it('offers a freed chair to the first entry, held; NO passes it to the next patient, whose YES books it with the usual texts', async () => {
    const date = '2027-08-04';
    const first = await waitlisted(date, { priority: 5 });
    const second = await waitlisted(date);
    const freed = await freeChair(date, '10:00');
    await runJobs(t);

    const [offer] = await offersOf(first.patientId);
    expect(offer).toMatchObject({ status: 'offered', holdId: expect.any(String) });
    expect(await lastText(first.phone)).toMatchObject({
      purpose: 'waitlist_offer',
      body: `Aurora Clinic: a time opened up on Wed, Aug 4 at 10:00 AM. ${OFFER} We hold it for you until 10:15 AM.`,
    });
    expect(await offersOf(second.patientId)).toEqual([]);
    // Held: availability hides it, and a booking of that chair then is refused naming the hold.
    expect(await heldStarts(date)).not.toContain(freed.startsAt);
    const refused = await requestBooking(t, {
      patientId: await createPatient(t.dataSource),
      type: 'spravato',
      locationId: aurora.id,
      startsAt: freed.startsAt,
      resourceId: aurora.chairs[0],
    }).expect(409);
    expect(refused.body.conflicts).toEqual([expect.objectContaining({ holdId: offer.holdId })]);

    await textFrom(t, first.phone, 'No');
    expect(await lastText(first.phone)).toMatchObject({ purpose: 'reply', body: 'Aurora Clinic: thank you, you stay on our waiting list.' });
    expect((await offersOf(first.patientId))[0].status).toBe('declined');
    await runJobs(t);
    const [next] = await offersOf(second.patientId);
    expect(next.status).toBe('offered');

    await textFrom(t, second.phone, 'YES');
    const [accepted] = await offersOf(second.patientId);
    expect(accepted.status).toBe('accepted');
    const booked = (await t.http().get(`/api/appointments/${accepted.appointmentId}`).set(t.headers.front_desk).expect(200)).body;
    expect(booked).toMatchObject({
      patientId: second.patientId,
      type: 'spravato',
      status: 'scheduled',
      startsAt: freed.startsAt,
      resourceId: aurora.chairs[0],
    });
    const reminders = (await t.http().get(`/api/appointments/${booked.id}/reminders`).set(t.headers.front_desk)).body;
    expect(reminders.map((r: { kind: string; status: string }) => [r.kind, r.status])).toContainEqual(['confirmation', 'pending']);
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM resource_holds WHERE patient_id = $1', [second.patientId])).toEqual([{ n: 0 }]);
    const [creation] = await t.dataSource.query(`SELECT actor_role FROM audit_log WHERE action = 'appointment.create' AND entity_id = $1`, [booked.id]);
    expect(creation.actor_role).toBe('patient-sms');
    // The entry is done; the first patient stays on the list.
    const listed = (await t.http().get('/api/waitlist').query({ locationId: aurora.id, type: 'spravato' }).set(t.headers.front_desk)).body.map(
      (e: { id: string }) => e.id,
    );
    expect(listed).toContain(first.entryId);
    expect(listed).not.toContain(second.entryId);

    const report = await t
      .http()
      .get('/api/waitlist/offers')
      .query({ locationId: aurora.id, from: at('2027-08-02', '00:00'), to: at('2027-08-03', '00:00') })
      .set(t.headers.front_desk)
      .expect(200);
    const mine = report.body.offers.filter((o: { startsAt: string }) => o.startsAt === freed.startsAt);
    expect(mine.map((o: { status: string }) => o.status)).toEqual(['declined', 'accepted']);
    expect(report.body.summary).toMatchObject({ accepted: 1, declined: 1, fillRate: expect.any(Number), medianMinutesToFill: 0 });
  });

  it('lets an unanswered offer expire: the hold goes, the front desk hears of it, the next patient gets the offer; a late YES books nothing', async () => {
    const date = '2027-08-05';
    const first = await waitlisted(date, { priority: 1 });
    const second = await waitlisted(date);
    await freeChair(date, '09:00', 1);
    await runJobs(t);
    const [offer] = await offersOf(first.patientId);
    const expiries = (await queuedJobs(t, EXPIRE_OFFER_TASK)).filter((j) => (j.payload as { offerId: string }).offerId === offer.id);
    expect(expiries.map((j) => new Date(j.runAt).toISOString())).toEqual([new Date(offer.expiresAt).toISOString()]);

    t.clock.advanceMinutes(15);
    await runJobs(t);
    expect(await offersOf(first.patientId)).toEqual([expect.objectContaining({ status: 'expired', holdId: null })]);
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM resource_holds WHERE patient_id = $1', [first.patientId])).toEqual([{ n: 0 }]);
    expect((await offersOf(second.patientId)).map((o: { status: string }) => o.status)).toEqual(['offered']);
    const worklist = (await t.http().get('/api/worklist').query({ locationId: aurora.id }).set(t.headers.front_desk)).body;
    expect(worklist).toContainEqual(expect.objectContaining({ kind: 'offer-expired', patientId: first.patientId }));

    await textFrom(t, first.phone, 'yes');
    expect(await lastText(first.phone)).toMatchObject({ purpose: 'reply', body: expect.stringContaining('sorry, that time is no longer available') });
    expect((await offersOf(first.patientId))[0].appointmentId).toBeNull();
  });

  it('STOP in the middle of an offer withdraws it and releases the hold; the next patient is offered the chair', async () => {
    const date = '2027-08-06';
    const first = await waitlisted(date, { priority: 2 });
    const second = await waitlisted(date);
    await freeChair(date, '11:00', 2);
    await runJobs(t);
    expect((await offersOf(first.patientId)).map((o: { status: string }) => o.status)).toEqual(['offered']);

    await textFrom(t, first.phone, 'STOP');
    expect(await offersOf(first.patientId)).toEqual([expect.objectContaining({ status: 'withdrawn', holdId: null })]);
    expect((await lastText(first.phone)).purpose).toBe('opt_out_confirmation');
    await runJobs(t);
    expect((await offersOf(second.patientId)).map((o: { status: string }) => o.status)).toEqual(['offered']);
    // Nothing more goes to the patient who opted out.
    expect((await outboxFor(t, first.phone)).map((m: { purpose: string }) => m.purpose)).toEqual(['waitlist_offer', 'opt_out_confirmation']);
  });

  it('offers a slot once when two instances race to offer it, and once more under a retry', async () => {
    const date = '2027-08-09';
    const entries = [await waitlisted(date, { priority: 3 }), await waitlisted(date, { priority: 2 })];
    const freed = await freeChair(date, '10:00', 3);
    const job: FreedSlotJob = {
      locationId: aurora.id,
      type: 'spravato',
      resourceId: aurora.chairs[3],
      startsAt: new Date(freed.startsAt).toISOString(),
      freedAt: new Date(NOW).toISOString(),
      sourceAppointmentId: freed.id,
      freedBy: freed.patientId,
    };
    const other = await t.instance({ now: NOW, env: SMS_ENV });
    try {
      const results = await Promise.all([
        t.app.get(WaitlistOffers).offerSlot(job),
        other.app.get(WaitlistOffers).offerSlot(job),
        t.app.get(WaitlistOffers).offerSlot(job),
      ]);
      expect(results.filter((r) => r === 'offered')).toHaveLength(1);
      expect(results.every((r) => r === 'offered' || r === 'open' || r === 'none')).toBe(true);
    } finally {
      await other.close();
    }
    await runJobs(t); // the job the cancellation queued: a retry of the same work
    const open = await t.dataSource.query(`SELECT patient_id FROM waitlist_offers WHERE resource_id = $1 AND starts_at = $2`, [
      aurora.chairs[3],
      freed.startsAt,
    ]);
    expect(open).toEqual([{ patient_id: entries[0].patientId }]);
    expect(
      await t.dataSource.query(`SELECT count(*)::int AS n FROM appointment_segments WHERE hold_id IS NOT NULL AND resource_id = $1`, [aurora.chairs[3]]),
    ).toEqual([{ n: 1 }]);
    expect((await outboxFor(t, entries[0].phone)).map((m: { purpose: string }) => m.purpose)).toEqual(['waitlist_offer']);
    expect(await outboxFor(t, entries[1].phone)).toEqual([]);
  });

  it('offers chairs freed at the same moment to the first entries, one each, when their jobs run at once', async () => {
    // The jobs reach the same first entry together: one offers it, the other goes on to the next (claimCandidate).
    const date = '2027-08-13';
    const entries = [await waitlisted(date, { priority: 5 }), await waitlisted(date, { priority: 4 }), await waitlisted(date, { priority: 1 })];
    const freed = [await freeChair(date, '10:00', 1), await freeChair(date, '10:00', 2)];
    const jobOf = (appointment: Appointment, chair: number): FreedSlotJob => ({
      locationId: aurora.id,
      type: 'spravato',
      resourceId: aurora.chairs[chair],
      startsAt: new Date(appointment.startsAt).toISOString(),
      freedAt: new Date(NOW).toISOString(),
      sourceAppointmentId: appointment.id,
      freedBy: appointment.patientId,
    });
    const offers = t.app.get(WaitlistOffers);
    expect(await Promise.all([offers.offerSlot(jobOf(freed[0], 1)), offers.offerSlot(jobOf(freed[1], 2))])).toEqual(['offered', 'offered']);
    await runJobs(t); // the jobs the cancellations queued: the slots have their offers
    const offered = await Promise.all(entries.map(async (entry) => (await offersOf(entry.patientId)).length));
    expect(offered).toEqual([1, 1, 0]);
  });

  it('leaves a freed chair free when no entry fits: wrong time of day, not eligible, not REMS-enrolled, no consent to texts', async () => {
    const date = '2027-08-10';
    const outOfWindow = await waitlisted(date, { priority: 9, windows: [{ start: '14:00', end: '16:00' }] });
    const ineligible = await waitlisted(date, { priority: 8, trials: 0 });
    const notEnrolled = await waitlisted(date, { priority: 7, rems: false });
    const noTexts = await waitlisted(date, { priority: 6, smsOptIn: false });
    const freed = await freeChair(date, '09:00', 4);
    await runJobs(t);
    for (const { patientId } of [outOfWindow, ineligible, notEnrolled, noTexts]) expect(await offersOf(patientId)).toEqual([]);
    expect(
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM resource_holds WHERE created_at > now() - interval '1 minute' AND id IN (SELECT hold_id FROM appointment_segments WHERE resource_id = $1)`,
        [aurora.chairs[4]],
      ),
    ).toEqual([{ n: 0 }]);
    expect(await heldStarts(date, 4)).toContain(freed.startsAt);
  });

  it('sends no offer in quiet hours: the chair is offered at 08:00, still two hours ahead', async () => {
    const date = '2027-08-11';
    const patient = await waitlisted(date);
    t.clock.set('2027-08-11T03:00:00Z'); // Tuesday 21:00 MDT
    await freeChair(date, '11:00', 5);
    await runJobs(t);
    expect(await offersOf(patient.patientId)).toEqual([]);
    const later = (await queuedJobs(t, OFFER_SLOT_TASK)).filter((j) => (j.payload as FreedSlotJob).resourceId === aurora.chairs[5]);
    expect(later.map((j) => new Date(j.runAt).toISOString())).toEqual([new Date(at(date, '08:00')).toISOString()]);

    t.clock.set(at(date, '08:00'));
    await runJobs(t);
    expect((await offersOf(patient.patientId)).map((o: { status: string }) => o.status)).toEqual(['offered']);
    expect((await lastText(patient.phone)).body).toContain('Wed, Aug 11 at 11:00 AM');
  });

  it('releases a hold that expired while the service was down when an instance comes back, and offers the chair on', async () => {
    const date = '2027-08-12';
    const first = await waitlisted(date, { priority: 4 });
    const second = await waitlisted(date);
    await freeChair(date, '13:00', 0);
    await runJobs(t);
    const [offer] = await offersOf(first.patientId);
    expect(offer.status).toBe('offered');

    // No instance ran while the offer expired; one starts 20 minutes later.
    const restarted = await t.instance({ now: '2027-08-02T16:20:00Z', env: SMS_ENV });
    try {
      expect(await offersOf(first.patientId)).toEqual([expect.objectContaining({ status: 'expired', holdId: null })]);
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM resource_holds WHERE id = $1', [offer.holdId])).toEqual([{ n: 0 }]);
      await restarted.app.get(WaitlistOffers).offerSlot({
        ...((await queuedJobs(t, OFFER_SLOT_TASK))
          .map((j) => j.payload as FreedSlotJob)
          .find((p) => p.resourceId === aurora.chairs[0] && p.startsAt === new Date(at(date, '13:00')).toISOString()) as FreedSlotJob),
      });
      expect((await offersOf(second.patientId)).map((o: { status: string }) => o.status)).toEqual(['offered']);
    } finally {
      await restarted.close();
    }
  });
});
