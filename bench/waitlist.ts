import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppointmentsService } from '../src/appointments/appointments.service';
import { addDays, clinicDateOf } from '../src/common/clinic-time';
import { Clock, FixedClock } from '../src/common/clock';
import { loadConfig } from '../src/config/app-config';
import { JobQueue } from '../src/jobs/job-queue.service';
import { summarize, LatencySummary } from './stats';

export interface WaitlistRun {
  cancellations: number;
  offersSent: number;
  /** Freed slots that no entry fitted (left free). */
  noTaker: number;
  /** Offers sent per second, from the first cancellation to the last offer's text. */
  offersPerSecond: number;
  /** From the start of a cancellation request to its offer's text handed to the provider (ms). */
  cancellationToOffer: LatencySummary;
  seconds: number;
}

export interface WaitlistFigures {
  entries: number;
  /** Every cancellation at once (`connections` at a time): how fast offers go out. */
  burst: WaitlistRun;
  /** Cancellations arriving at `ratePerSecond`: how long one waits for its offer when the queue keeps up. */
  paced: WaitlistRun & { ratePerSecond: number };
}

const TYPES = ['spravato', 'ketamine', 'tms'] as const;

/**
 * Scenario 8: with a waitlist of `entries` (one per patient: a treatment at one clinic over the next two
 * weeks, most any time of day, a quarter mornings only, priorities 0–9), `cancellations` appointments are
 * cancelled all at once (`connections` at a time), then as many others at `ratePerSecond`. Cancellations go
 * through the appointments service in this process (the HTTP controller's one call); offers are made by
 * the job queue's workers in this process (JOB_CONCURRENCY, LISTEN/NOTIFY) and sent with the log provider.
 * The clock stands at `at` (a weekday 10:00, outside quiet hours).
 */
export async function runWaitlistScenario(
  ds: DataSource,
  databaseUrl: string,
  at: Date,
  options: { entries: number; cancellations: number; connections: number; ratePerSecond: number },
): Promise<WaitlistFigures> {
  const today = clinicDateOf(at);
  // Every waitlisted patient accepts texts, is REMS-enrolled and has two failed adequate trials (eligible).
  const patients: string[] = (await ds.query('SELECT id FROM patients ORDER BY id LIMIT $1', [options.entries])).map((r: { id: string }) => r.id);
  await ds.query(`UPDATE patients SET sms_opt_in = true, rems_enrolled_at = coalesce(rems_enrolled_at, '2025-01-01') WHERE id = ANY($1::uuid[])`, [patients]);
  await ds.query(
    `INSERT INTO medication_trials (patient_id, medication, drug_class, started_on, weeks, adequate, outcome)
     SELECT p, m, 'SSRI', '2025-01-01', 8, true, 'no_response' FROM unnest($1::uuid[]) AS p, unnest(ARRAY['sertraline', 'escitalopram']) AS m`,
    [patients],
  );
  const locations: string[] = (await ds.query('SELECT id FROM locations ORDER BY code')).map((r: { id: string }) => r.id);
  await ds.query(
    `INSERT INTO waitlist_entries (patient_id, type, location_ids, from_date, to_date, windows, priority, created_at)
     SELECT p, (ARRAY['spravato', 'ketamine', 'tms'])[1 + i % 3], ARRAY[($2::uuid[])[1 + (i / 3) % 3]], $3::date, $4::date,
            CASE WHEN i % 4 = 0 THEN '[{"start": "07:00", "end": "12:00"}]'::jsonb ELSE '[]'::jsonb END, i % 10,
            now() - make_interval(mins => i::int)
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(p, i)`,
    [patients, locations, today, addDays(today, 14)],
  );

  const victims: string[] = (
    await ds.query(
      `SELECT id FROM appointments
        WHERE status = 'scheduled' AND type = ANY($1::varchar[]) AND resource_id IS NOT NULL
          AND starts_at >= $2::timestamptz + interval '3 hours' AND starts_at < $2::timestamptz + interval '10 days'
        ORDER BY md5(id::text) LIMIT $3`,
      [TYPES, at, options.cancellations * 2],
    )
  ).map((r: { id: string }) => r.id);

  const context = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        config: loadConfig({ DATABASE_URL: databaseUrl, JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'warn', SCHEDULER_ENABLED: 'false', SMS_PROVIDER: 'log' }),
        databaseUrl,
      }),
    ],
  })
    .overrideProvider(Clock)
    .useValue(new FixedClock(at))
    .compile();
  await context.init();
  const queue = context.get(JobQueue);
  await queue.start();
  const appointments = context.get(AppointmentsService);

  const actor = { id: null, role: 'front_desk' as const, requestId: null, locationIds: [] };
  const cancel = (id: string) => appointments.cancel(id, 'bench: waitlist scenario', actor);
  const burst = await measure(ds, victims.slice(0, options.cancellations), async (ids, startedAt) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (next < ids.length) {
          const id = ids[next++];
          startedAt.set(id, Date.now());
          await cancel(id);
        }
      }),
    );
  });
  const paced = await measure(ds, victims.slice(options.cancellations), async (ids, startedAt) => {
    const began = Date.now();
    await Promise.all(
      ids.map(async (id, i) => {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, began + (i * 1000) / options.ratePerSecond - Date.now())));
        startedAt.set(id, Date.now());
        await cancel(id);
      }),
    );
  });
  await context.close();

  return { entries: patients.length, burst, paced: { ...paced, ratePerSecond: options.ratePerSecond } };
}

/** Runs `cancel` over the appointments, waits for the queue to drain, and times each cancellation to its offer's text. */
async function measure(ds: DataSource, ids: string[], cancel: (ids: string[], startedAt: Map<string, number>) => Promise<void>): Promise<WaitlistRun> {
  const startedAt = new Map<string, number>();
  const began = Date.now();
  await cancel(ids, startedAt);
  // The queue drains: no offer job waiting or running (at most two minutes).
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    const [{ pending }] = await ds.query(
      `SELECT count(*)::int AS pending FROM graphile_worker.jobs WHERE task_identifier = 'waitlist:offer-slot' AND run_at <= now() AND attempts < max_attempts`,
    );
    if (pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const sent: Array<{ source: string; sentAt: Date }> = await ds.query(
    `SELECT o.source_appointment_id AS source, m.updated_at AS "sentAt"
       FROM waitlist_offers o JOIN sms_messages m ON m.offer_id = o.id AND m.purpose = 'waitlist_offer' AND m.status = 'sent'
      WHERE o.source_appointment_id = ANY($1::uuid[])`,
    [ids],
  );
  const latencies = sent.map((s) => new Date(s.sentAt).getTime() - startedAt.get(s.source)!);
  const last = Math.max(...sent.map((s) => new Date(s.sentAt).getTime()), began);
  const seconds = (last - began) / 1000;
  return {
    cancellations: ids.length,
    offersSent: sent.length,
    noTaker: ids.length - new Set(sent.map((s) => s.source)).size,
    offersPerSecond: seconds > 0 ? Math.round((sent.length / seconds) * 10) / 10 : 0,
    cancellationToOffer: summarize(latencies),
    seconds: Math.round(seconds * 100) / 100,
  };
}
