/*
 * A local measurement, not a test: the latency of a 36-session tms-standard dry run over HTTP,
 * against a test database, on an empty calendar and on a busy one. Run it with
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
 *     npx jest --testMatch '<rootDir>/test/measure/*.measure.ts' test/measure/course-dry-run
 */
import { createTestApp, TestApp } from '../support/app';
import { createPatient, locationId, resourceIds } from '../support/factories';

const RUNS = 60;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('measure: tms-standard dry run', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: '2027-07-01T12:00:00Z' });
  });

  afterAll(() => t.close());

  async function measure(label: string, body: Record<string, unknown>): Promise<void> {
    const auth = await t.auth('front_desk');
    for (let i = 0; i < 5; i++) await t.http().post('/api/courses').set(auth).send(body).expect(200);
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const response = await t.http().post('/api/courses').set(auth).send(body).expect(200);
      samples.push(performance.now() - started);
      expect(response.body.sessions).toHaveLength(36);
    }
    samples.sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `${label}: p50 ${fmt(percentile(samples, 50))}, p95 ${fmt(percentile(samples, 95))}, max ${fmt(samples[samples.length - 1])} over ${RUNS} runs`,
    );
  }

  it('on an empty calendar and on a busy one', async () => {
    const aurora = await locationId(t.dataSource, 'aurora');
    const louisville = await locationId(t.dataSource, 'louisville');
    const patientId = await createPatient(t.dataSource);
    const body = {
      patientId,
      protocol: 'tms-standard',
      locationId: aurora,
      alternateLocationIds: [louisville],
      startDate: '2027-08-02',
      preferredTime: '09:00',
      dryRun: true,
    };
    await measure('empty calendar', body);

    // Every Aurora TMS device booked 09:00–10:00 and 11:00–17:00 on every weekday of the span, so that
    // most sessions search for a start.
    const devices = await resourceIds(t.dataSource, 'aurora', 'tms_device');
    const other = await createPatient(t.dataSource);
    for (const resourceId of devices) {
      await t.dataSource.query(
        `WITH slots AS (
           SELECT (d::date + t)::timestamp AT TIME ZONE 'America/Denver' AS s, len
             FROM generate_series('2027-08-02'::date, '2027-10-15'::date, '1 day') d,
                  (VALUES ('09:00'::time, 60), ('11:00'::time, 360)) AS v(t, len)
            WHERE extract(isodow FROM d) < 6
         ), inserted AS (
           INSERT INTO appointments (patient_id, type, location_id, resource_id, starts_at, ends_at, occupancy_starts_at, occupancy_ends_at, status)
           SELECT $3, 'tms', $1, $2, s, s + len * interval '1 minute', s, s + len * interval '1 minute', 'cancelled' FROM slots
           RETURNING id, resource_id, starts_at, ends_at
         )
         INSERT INTO appointment_segments (appointment_id, resource_id, kind, starts_at, ends_at)
         SELECT id, resource_id, 'treatment', starts_at, ends_at FROM inserted`,
        [aurora, resourceId, other],
      );
    }
    // The rows above are cancelled (so the other patient can hold overlapping ones); their segments stay active and hold the devices.
    await measure('busy calendar (every Aurora device taken 09:00–10:00 and 11:00–17:00)', body);
  });
});
