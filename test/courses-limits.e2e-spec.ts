import { AuthHeader, useTestApp } from './support/app';
import { addAuthorization, addMedicationTrial, createPatient, requestCourse } from './support/factories';
import { storedCounts } from './support/reads';

const MONDAY = '2027-08-02';

describe('courses: authorization and eligibility limits, overrides', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });

  /** A course at Aurora from MONDAY (standard TMS unless told), asked for as the front desk unless told. */
  const course = (body: Record<string, unknown>, headers: AuthHeader = t.headers.front_desk) =>
    requestCourse(t, { protocol: 'tms-standard', locationId: t.locations.aurora, startDate: MONDAY, ...body }, headers);

  /** A patient with `trials` failed adequate trials on file, and a TMS authorization if one is given. */
  async function patientWith(trials: number, authorization?: Record<string, unknown>): Promise<string> {
    const patientId = await createPatient(t.dataSource);
    for (let i = 0; i < trials; i++) await addMedicationTrial(t, patientId, { medication: `drug-${i}`, startedOn: '2026-01-01' });
    if (authorization) await addAuthorization(t, patientId, { requiredFailedTrials: 2, ...authorization });
    return patientId;
  }

  it('refuses a course longer than the remaining approved sessions, naming the limit, in a dry run too', async () => {
    const patientId = await patientWith(2, { approvedSessions: 30 });
    for (const dryRun of [true, false]) {
      const response = await course({ patientId, preferredTime: '08:00', dryRun }).expect(409);
      expect(response.body).toMatchObject({
        rule: 'authorization-sessions',
        limits: [{ limit: 'remainingSessions', detail: 'the course has 36 sessions but the authorization has 30 approved sessions remaining' }],
      });
      expect(response.body.detail).toMatch(/override/);
    }
    expect(await storedCounts(t, patientId)).toEqual({ courses: 0, appointments: 0 });
  });

  it("refuses a course that would run past the authorization's validTo", async () => {
    const patientId = await patientWith(2, { approvedSessions: 40, validTo: '2027-09-10' });
    const response = await course({ patientId, preferredTime: '08:00' }).expect(409);
    expect(response.body).toMatchObject({ rule: 'authorization-expiry', limits: [{ limit: 'validTo' }] });
    expect(response.body.detail).toMatch(/run past the authorization's validTo 2027-09-10/);
    expect(await storedCounts(t, patientId)).toEqual({ courses: 0, appointments: 0 });
  });

  it('counts sessions already booked under the authorization', async () => {
    const patientId = await patientWith(2, { approvedSessions: 40 });
    await course({ patientId, protocol: 'tms-itbs', preferredTime: '15:00' }).expect(201);
    const second = await course({ patientId, protocol: 'tms-itbs', startDate: '2027-10-11', preferredTime: '15:00' }).expect(409);
    expect(second.body.limits).toEqual([
      { limit: 'remainingSessions', detail: 'the course has 36 sessions but the authorization has 4 approved sessions remaining' },
    ]);
  });

  it('lets only a provider or an admin override, with a reason that is stored and audited', async () => {
    const patientId = await patientWith(2, { approvedSessions: 30, validTo: '2027-09-10' });
    const override = { reason: 'Payer approved 6 more sessions by phone' };
    const refused = await course({ patientId, preferredTime: '08:30', override }).expect(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');

    const response = await course({ patientId, preferredTime: '08:30', override }, t.headers.provider).expect(201);
    expect(response.body).toMatchObject({ status: 'active', overrideReason: override.reason });
    expect(response.body.sessions).toHaveLength(36);
    expect(response.body.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Override: the course has 36 sessions but the authorization has 30/),
        expect.stringMatching(/^Override: .* validTo 2027-09-10/),
      ]),
    );
    const [row] = await t.dataSource.query('SELECT override_reason FROM courses WHERE id = $1', [response.body.id]);
    expect(row.override_reason).toBe(override.reason);
    const audit = await t.dataSource.query(`SELECT actor_role, details FROM audit_log WHERE action = 'course.override' AND entity_id = $1`, [response.body.id]);
    expect(audit).toEqual([
      {
        actor_role: 'provider',
        details: {
          patientId,
          reason: override.reason,
          limits: [expect.objectContaining({ limit: 'remainingSessions' }), expect.objectContaining({ limit: 'validTo' })],
        },
      },
    ]);
  });

  it("refuses a patient below the authorization's failed-trial threshold with the eligibility reasons; an admin may override", async () => {
    const patientId = await patientWith(2, { requiredFailedTrials: 3 });
    const response = await course({ patientId, preferredTime: '11:00' }).expect(409);
    expect(response.body).toMatchObject({
      rule: 'eligibility',
      limits: [{ limit: 'requiredFailedTrials', detail: '2 failed adequate trials on file; the authorization requires 3' }],
      reasons: ['2 failed adequate trials on file; the payer requires 3'],
    });
    expect(await storedCounts(t, patientId)).toEqual({ courses: 0, appointments: 0 });

    const overridden = await course(
      { patientId, preferredTime: '11:00', override: { reason: 'Third trial documented at another clinic' } },
      t.headers.admin,
    ).expect(201);
    expect(overridden.body.overrideReason).toBe('Third trial documented at another clinic');
    const audit = await t.http().get(`/api/audit?entityType=course&entityId=${overridden.body.id}`).set(t.headers.admin).expect(200);
    expect(audit.body.map((e: { action: string }) => e.action).sort()).toEqual(['course.create', 'course.override']);
  });

  it('books a self-pay patient with a warning listing the eligibility gaps', async () => {
    const patientId = await patientWith(1);
    const response = await course({ patientId, preferredTime: '13:00' }).expect(201);
    expect(response.body.warnings).toContain('Self-pay: no authorization on file for tms. Eligibility gaps: 1 failed adequate trial on file; 2 are required.');
    expect(await storedCounts(t, patientId)).toEqual({ courses: 1, appointments: 36 });
  });
});
