import { createTestApp, TestApp } from './support/app';
import { createPatient, locationId } from './support/factories';

const MONDAY = '2027-08-02';

describe('courses: authorization and eligibility limits, overrides', () => {
  let t: TestApp;
  let aurora: string;
  let frontDesk: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ now: '2027-07-01T12:00:00Z' });
    aurora = await locationId(t.dataSource, 'aurora');
    frontDesk = await t.auth('front_desk');
  });

  afterAll(() => t.close());

  const course = (body: Record<string, unknown>, headers = frontDesk) =>
    t
      .http()
      .post('/api/courses')
      .set(headers)
      .send({ protocol: 'tms-standard', locationId: aurora, startDate: MONDAY, ...body });

  async function patientWith(trials: number, authorization?: Record<string, unknown>): Promise<string> {
    const patientId = await createPatient(t.dataSource);
    for (let i = 0; i < trials; i++) {
      await t
        .http()
        .post(`/api/patients/${patientId}/medication-trials`)
        .set(frontDesk)
        .send({ medication: `drug-${i}`, drugClass: 'SSRI', startedOn: '2026-01-01', weeks: 8, adequate: true, outcome: 'no_response' })
        .expect(201);
    }
    if (authorization) {
      await t
        .http()
        .post(`/api/patients/${patientId}/authorizations`)
        .set(frontDesk)
        .send({
          payer: 'Acme Health',
          treatment: 'tms',
          approvedSessions: 36,
          validFrom: '2027-07-01',
          validTo: '2027-12-31',
          requiredFailedTrials: 2,
          ...authorization,
        })
        .expect(201);
    }
    return patientId;
  }

  const stored = async (patientId: string) => {
    const [row] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM courses WHERE patient_id = $1) AS courses, (SELECT count(*)::int FROM appointments WHERE patient_id = $1) AS appointments`,
      [patientId],
    );
    return row;
  };

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
    expect(await stored(patientId)).toEqual({ courses: 0, appointments: 0 });
  });

  it("refuses a course that would run past the authorization's validTo", async () => {
    const patientId = await patientWith(2, { approvedSessions: 40, validTo: '2027-09-10' });
    const response = await course({ patientId, preferredTime: '08:00' }).expect(409);
    expect(response.body).toMatchObject({ rule: 'authorization-expiry', limits: [{ limit: 'validTo' }] });
    expect(response.body.detail).toMatch(/run past the authorization's validTo 2027-09-10/);
    expect(await stored(patientId)).toEqual({ courses: 0, appointments: 0 });
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

    const response = await course({ patientId, preferredTime: '08:30', override }, await t.auth('provider')).expect(201);
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
    expect(await stored(patientId)).toEqual({ courses: 0, appointments: 0 });

    const overridden = await course(
      { patientId, preferredTime: '11:00', override: { reason: 'Third trial documented at another clinic' } },
      await t.auth('admin'),
    ).expect(201);
    expect(overridden.body.overrideReason).toBe('Third trial documented at another clinic');
    const audit = await t
      .http()
      .get(`/api/audit?entityType=course&entityId=${overridden.body.id}`)
      .set(await t.auth('admin'))
      .expect(200);
    expect(audit.body.map((e: { action: string }) => e.action).sort()).toEqual(['course.create', 'course.override']);
  });

  it('books a self-pay patient with a warning listing the eligibility gaps', async () => {
    const patientId = await patientWith(1);
    const response = await course({ patientId, preferredTime: '13:00' }).expect(201);
    expect(response.body.warnings).toContain('Self-pay: no authorization on file for tms. Eligibility gaps: 1 failed adequate trial on file; 2 are required.');
    expect(await stored(patientId)).toEqual({ courses: 1, appointments: 36 });
  });
});
