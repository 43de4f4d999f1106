import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { addDays, clinicDateOf, clinicInstant, weekdayOf } from '../src/common/clinic-time';
import { Clock, FixedClock } from '../src/common/clock';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrationsUnderLock } from '../src/database/migration-runner';
import { ReminderDispatcher } from '../src/reminders/reminder-dispatcher.service';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.service';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { seedDemoData } from '../src/seed/demo-seed';
import { login, ROOT, startService } from './harness';
import { bookCoursesThroughService, loadData } from './load-data';
import { CoursesService } from '../src/courses/courses.service';
import { bookingFloor, load, LoadResult, setReminderInsert } from './scenarios';
import { printTable, Row } from './stats';
import { runWaitlistScenario, WaitlistFigures } from './waitlist';

/**
 * `npm run bench`: the figures of issue 7 from one run, printed as a table and written to
 * bench/results.json. `--quick` runs every scenario with tiny numbers (a smoke test).
 */
const quick = process.argv.includes('--quick');
const DURATION = quick ? 2 : 15;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Figures {
  machine: Record<string, unknown>;
  load: Record<string, unknown>;
  startup: { coldReadyMs: number; warmReadyMs: number; peakRssMb: number };
  booking: LoadResult & { createdPerSecond: number };
  floor: LoadResult & { createdPerSecond: number };
  ratio: number;
  hotSlot: LoadResult & { created: number; doubleBookings: number };
  availabilityDay: LoadResult;
  availabilityWeek: LoadResult;
  availabilityWeekConcurrent: LoadResult;
  courseDryRun: LoadResult;
  courseDryRunConcurrent: LoadResult;
  dispatch: { texts: number; seconds: number; perSecond: number; sentOnce: boolean };
  bookingWithWebhook: LoadResult & { createdPerSecond: number };
  webhooks: { deliveries: number; seconds: number; perSecond: number; receivedOnce: boolean };
  waitlist: WaitlistFigures;
  servicePeakRssMb: number;
}

/** A webhook subscriber in the bench process: answers 204 and counts each webhook-id it receives. */
async function startReceiver(): Promise<{ url: string; ids: Map<string, number>; stop: () => Promise<void> }> {
  const ids = new Map<string, number>();
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const id = String(request.headers['webhook-id']);
      ids.set(id, (ids.get(id) ?? 0) + 1);
      response.statusCode = 204;
      response.end();
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    ids,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function nextWeekday(date: string): string {
  let day = date;
  while (weekdayOf(day) > 5) day = addDays(day, 1);
  return day;
}

/** Start-up to ready with the embedded database: a first start (initdb, migrations, demo seed) and a restart. */
async function measureStartup(): Promise<Figures['startup']> {
  const dir = join(ROOT, '.data', 'bench-startup');
  rmSync(dir, { recursive: true, force: true });
  const env = { DATABASE_URL: undefined, EMBEDDED_PG_DIR: dir, DEMO_SEED: 'true', JWT_SECRET: undefined, SCHEDULER_ENABLED: 'true' };
  const cold = await startService(env);
  await cold.stop();
  const warm = await startService(env);
  const rss = warm.peakRssMb();
  await warm.stop();
  rmSync(dir, { recursive: true, force: true });
  return { coldReadyMs: cold.readyMs, warmReadyMs: warm.readyMs, peakRssMb: rss };
}

async function main(): Promise<void> {
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  };
  log(`machine: ${JSON.stringify(machine)}`);

  log('6. start-up with the embedded database …');
  const startup = await measureStartup();

  // The benchmark database: DATABASE_URL, or a fresh embedded server (fsync on, as in production).
  const dataDir = join(ROOT, '.data', 'bench-postgres');
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  if (!process.env.DATABASE_URL) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    embedded = await startEmbeddedPostgres(dataDir, () => undefined);
  }
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const ds = await new DataSource(dataSourceOptions(databaseUrl, 8)).initialize();
  const serverVersion = (await ds.query('SHOW server_version'))[0].server_version;

  log('loading data (seed:load) …');
  await runMigrationsUnderLock(ds);
  await seedDemoData(ds);
  const context = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        config: loadConfig({ DATABASE_URL: databaseUrl, JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'warn', SCHEDULER_ENABLED: 'false' }),
        databaseUrl,
      }),
    ],
  }).compile();
  await context.init();
  const loadReport = await loadData(ds, {
    patients: 2000,
    weeks: quick ? 2 : 26,
    pastWeeks: quick ? 1 : 2,
    bookCourses: (patientIds, today) => bookCoursesThroughService(context.get(CoursesService), ds, patientIds, today, quick ? 1 : 3),
  });
  await context.close();
  log(`loaded: ${JSON.stringify(loadReport)}`);

  const service = await startService({
    DATABASE_URL: databaseUrl,
    DEMO_SEED: 'false',
    SCHEDULER_ENABLED: 'false',
    DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '20',
  });
  const token = await login(service.url, 'frontdesk@demo.clinic', 'demo-frontdesk');
  const locations: Array<{ id: string; code: string }> = await ds.query('SELECT id, code FROM locations ORDER BY code');
  const aurora = locations.find((l) => l.code === 'aurora')!.id;
  const patients: string[] = (await ds.query('SELECT id FROM patients ORDER BY id')).map((r: { id: string }) => r.id);
  const [{ id: actorId }] = await ds.query(`SELECT id FROM staff WHERE email = 'frontdesk@demo.clinic'`);
  const today = clinicDateOf(new Date());

  // 1. Booking through the API: TMS sessions in an empty stretch after the loaded weeks, spread over
  // the three clinics; the service picks the device.
  const tmsGrid = (firstDate: string) => {
    let n = 0;
    return () => {
      const i = n++;
      const slotsPerDay = 24 * 3;
      const day = nextWeekdayAfter(firstDate, Math.floor(i / (slotsPerDay * 2)));
      const slot = Math.floor(i / 2) % slotsPerDay;
      const minutes = 7 * 60 + (slot % 24) * 30;
      const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      return {
        patientId: patients[i % patients.length],
        locationId: locations[Math.floor(slot / 24)].id,
        startsAt: clinicInstant(day, time)!.toISOString(),
        slotIndex: i,
      };
    };
  };
  // Both sides get a short warm-up on a stretch of calendar of their own, not measured: the service's JIT
  // and its pool's connections (each prepares the booking's statements once), the floor's connections.
  const WARM_UP = quick ? 1 : 3;
  log('1. booking throughput through the API (warm-up, then measured) …');
  const warmUpSlots = tmsGrid(addDays(today, 7 * 30));
  await load(
    service.url,
    token,
    { method: 'POST', path: '/api/appointments', body: () => ({ ...strip(warmUpSlots()), type: 'tms' }) },
    { connections: CONNECTIONS, durationSeconds: WARM_UP },
  );
  const apiSlots = tmsGrid(addDays(today, 7 * 35));
  const booking = await load(
    service.url,
    token,
    { method: 'POST', path: '/api/appointments', body: () => ({ ...strip(apiSlots()), type: 'tms' }) },
    { connections: CONNECTIONS, durationSeconds: DURATION },
  );

  // 1b. The same booking run with a subscriber to appointment.booked: each booking's statement also writes
  // the outbox event and its delivery row.
  log('1b. booking with a webhook subscriber (warm-up, then measured) …');
  const receiver = await startReceiver();
  await ds.query(`INSERT INTO webhook_subscriptions (url, events, secret) VALUES ($1, '{appointment.booked}', $2)`, [
    receiver.url,
    `whsec_${randomBytes(32).toString('base64')}`,
  ]);
  const webhookWarmUpSlots = tmsGrid(addDays(today, 7 * 40));
  await load(
    service.url,
    token,
    { method: 'POST', path: '/api/appointments', body: () => ({ ...strip(webhookWarmUpSlots()), type: 'tms' }) },
    { connections: CONNECTIONS, durationSeconds: WARM_UP },
  );
  const webhookSlots = tmsGrid(addDays(today, 7 * 45));
  const bookingWithWebhook = await load(
    service.url,
    token,
    { method: 'POST', path: '/api/appointments', body: () => ({ ...strip(webhookSlots()), type: 'tms' }) },
    { connections: CONNECTIONS, durationSeconds: DURATION },
  );
  await ds.query(`UPDATE webhook_subscriptions SET deleted_at = now()`);

  // 2. The floor: the same rows (appointment, segment, audit entry, three reminder texts) with pg.
  log('2. the floor (same transaction with pg) …');
  const devices: Record<string, string[]> = {};
  for (const row of await ds.query(`SELECT id, location_id FROM resources WHERE kind = 'tms_device' ORDER BY name`)) {
    (devices[row.location_id] ??= []).push(row.id);
  }
  setReminderInsert(async (client, id, slot) => {
    await client.query(
      `INSERT INTO reminders (appointment_id, patient_id, kind, send_at, status, body, daily_key)
       SELECT $1, $2, k, $3::timestamptz - o, 'pending', 'Reminder: Aurora Clinic, Mon Jan 4 at 9:00 AM. 14200 E Alameda Ave. Questions? (303) 555-0140. Reply STOP to opt out.', NULL
         FROM unnest(ARRAY['confirmation', '48h', '2h']::varchar[], ARRAY[interval '1000 days', interval '48 hours', interval '2 hours']) AS t(k, o)`,
      [id, slot.patientId, slot.startsAt],
    );
  });
  const floorSlotsFrom = (grid: ReturnType<typeof tmsGrid>) => () => {
    const slot = grid();
    const list = devices[slot.locationId];
    return {
      ...strip(slot),
      resourceId: list[(slot.slotIndex % 2) % list.length],
      endsAt: new Date(new Date(slot.startsAt).getTime() + 30 * 60_000).toISOString(),
      actorId,
    };
  };
  await bookingFloor(databaseUrl, floorSlotsFrom(tmsGrid(addDays(today, 7 * 60))), { connections: CONNECTIONS, durationSeconds: WARM_UP });
  const floor = await bookingFloor(databaseUrl, floorSlotsFrom(tmsGrid(addDays(today, 7 * 70))), { connections: CONNECTIONS, durationSeconds: DURATION });

  // 3. The hot slot: 64 clients want the same chair at the same time.
  log('3. hot slot …');
  const hotDay = nextWeekday(addDays(today, 10));
  const [lightChair] = await ds.query(`SELECT id FROM resources WHERE location_id = $1 AND kind = 'treatment_chair' ORDER BY name DESC LIMIT 1`, [aurora]);
  const freePatients: string[] = (
    await ds.query(
      `SELECT id FROM patients WHERE id NOT IN (SELECT patient_id FROM appointments WHERE starts_at >= $1 AND starts_at < $2) ORDER BY id LIMIT 64`,
      [clinicInstant(hotDay, '00:00'), clinicInstant(addDays(hotDay, 1), '00:00')],
    )
  ).map((r: { id: string }) => r.id);
  let hotIndex = 0;
  const hotStart = clinicInstant(hotDay, '09:00')!.toISOString();
  const hotSlot = await load(
    service.url,
    token,
    {
      method: 'POST',
      path: '/api/appointments',
      body: () => ({
        patientId: freePatients[hotIndex++ % freePatients.length],
        type: 'spravato',
        locationId: aurora,
        startsAt: hotStart,
        resourceId: lightChair.id,
      }),
    },
    { connections: 64, amount: 64 },
  );
  const [{ count: hotCreated }] = await ds.query(
    `SELECT count(*)::int AS count FROM appointment_segments WHERE resource_id = $1 AND active AND starts_at = $2`,
    [lightChair.id, hotStart],
  );
  const [{ count: doubleBookings }] = await ds.query(`
    SELECT count(*)::int AS count FROM appointment_segments a
     CROSS JOIN LATERAL (
       SELECT 1 FROM appointment_segments b
        WHERE b.active AND b.resource_id = a.resource_id AND b.id <> a.id
          AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(a.starts_at, a.ends_at, '[)') LIMIT 1) clash
     WHERE a.active`);

  // 4. Availability on the loaded calendar, and a 36-session course dry run.
  log('4. availability and course dry run …');
  const day = nextWeekday(addDays(today, 14));
  const dayQuery = `/api/availability?type=spravato&locationId=${aurora}&from=${encodeURIComponent(clinicInstant(day, '00:00')!.toISOString())}&to=${encodeURIComponent(clinicInstant(addDays(day, 1), '00:00')!.toISOString())}`;
  const weekQuery = `/api/availability?type=spravato&locationId=${aurora}&from=${encodeURIComponent(clinicInstant(day, '00:00')!.toISOString())}&to=${encodeURIComponent(clinicInstant(addDays(day, 7), '00:00')!.toISOString())}`;
  // Latency as one front-desk user sees it (one client), and the week again under 4 concurrent clients.
  const availabilityDay = await load(service.url, token, { method: 'GET', path: dayQuery }, { connections: 1, durationSeconds: quick ? 2 : 8 });
  const availabilityWeek = await load(service.url, token, { method: 'GET', path: weekQuery }, { connections: 1, durationSeconds: quick ? 2 : 8 });
  const availabilityWeekConcurrent = await load(service.url, token, { method: 'GET', path: weekQuery }, { connections: 4, durationSeconds: quick ? 2 : 8 });
  let dryRunIndex = 0;
  const monday = (() => {
    let d = addDays(today, 21);
    while (weekdayOf(d) !== 1) d = addDays(d, 1);
    return d;
  })();
  const others = locations.filter((l) => l.id !== aurora).map((l) => l.id);
  const courseDryRun = await load(
    service.url,
    token,
    {
      method: 'POST',
      path: '/api/courses',
      body: () => ({
        patientId: patients[1000 + (dryRunIndex++ % 500)],
        protocol: 'tms-standard',
        locationId: aurora,
        startDate: monday,
        preferredTime: '12:00',
        alternateLocationIds: others,
        dryRun: true,
      }),
    },
    { connections: 1, durationSeconds: quick ? 2 : 8 },
  );
  const courseDryRunConcurrent = await load(
    service.url,
    token,
    {
      method: 'POST',
      path: '/api/courses',
      body: () => ({
        patientId: patients[1000 + (dryRunIndex++ % 500)],
        protocol: 'tms-standard',
        locationId: aurora,
        startDate: monday,
        preferredTime: '12:00',
        alternateLocationIds: others,
        dryRun: true,
      }),
    },
    { connections: 4, durationSeconds: quick ? 2 : 8 },
  );
  const servicePeakRssMb = service.peakRssMb();
  await service.stop();

  // 5. Reminder dispatch: 10,000 due texts through the log provider, claimed and sent in batches.
  log('5. reminder dispatch …');
  const texts = quick ? 1_000 : 10_000;
  const sendingAt = clinicInstant(nextWeekday(addDays(today, 3)), '10:00')!;
  await ds.query(
    `INSERT INTO reminders (appointment_id, patient_id, kind, send_at, status, body)
     SELECT a.id, a.patient_id, 'bench', $1::timestamptz - interval '1 minute', 'pending', 'Reminder: Aurora Clinic. Questions? (303) 555-0140. Reply STOP to opt out.'
       FROM appointments a JOIN patients p ON p.id = a.patient_id AND p.sms_opt_in
      WHERE a.starts_at > $1::timestamptz + interval '1 day' AND a.status = 'scheduled'
      LIMIT $2`,
    [sendingAt, texts],
  );
  const dispatchContext = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        config: loadConfig({ DATABASE_URL: databaseUrl, JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'warn', SCHEDULER_ENABLED: 'false', SMS_PROVIDER: 'log' }),
        databaseUrl,
      }),
    ],
  })
    .overrideProvider(Clock)
    .useValue(new FixedClock(sendingAt))
    .compile();
  await dispatchContext.init();
  const dispatcher = dispatchContext.get(ReminderDispatcher);
  const dispatchStarted = performance.now();
  let sent = 0;
  for (;;) {
    const report = await dispatcher.dispatch({ maxBatches: 1000 });
    sent += report.sent;
    if (report.claimed === 0) break;
  }
  const dispatchSeconds = (performance.now() - dispatchStarted) / 1000;
  await dispatchContext.close();
  const [{ duplicates }] = await ds.query(
    `SELECT count(*)::int AS duplicates FROM (SELECT reminder_id FROM sms_messages WHERE reminder_id IS NOT NULL GROUP BY reminder_id HAVING count(*) > 1) d`,
  );

  // 7. Webhook delivery: the outbox of the 1b run, signed and posted to the local receiver.
  log('7. webhook delivery …');
  await ds.query(`UPDATE webhook_subscriptions SET deleted_at = NULL`);
  const webhookContext = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        config: loadConfig({
          DATABASE_URL: databaseUrl,
          JWT_SECRET: 'x'.repeat(32),
          LOG_LEVEL: 'warn',
          SCHEDULER_ENABLED: 'false',
          WEBHOOK_ALLOW_PRIVATE: 'true',
        }),
        databaseUrl,
      }),
    ],
  }).compile();
  await webhookContext.init();
  const webhookDispatcher = webhookContext.get(WebhookDispatcher);
  const webhooksStarted = performance.now();
  let delivered = 0;
  for (;;) {
    const report = await webhookDispatcher.dispatch({ maxBatches: 1000 });
    delivered += report.delivered;
    if (report.claimed === 0) break;
  }
  const webhookSeconds = (performance.now() - webhooksStarted) / 1000;
  await webhookContext.close();
  await receiver.stop();
  const receivedOnce = receiver.ids.size === delivered && [...receiver.ids.values()].every((n) => n === 1);

  // 8. Waitlist: cancellations freeing chairs, each offered by text to the first fitting entry of a 2,000-entry waitlist.
  log('8. waitlist offers …');
  const waitlist = await runWaitlistScenario(ds, databaseUrl, sendingAt, {
    entries: quick ? 300 : 2_000,
    cancellations: quick ? 20 : 200,
    connections: 8,
    ratePerSecond: 10,
  });

  const figures: Figures = {
    machine: { ...machine, postgres: serverVersion },
    load: loadReport as unknown as Record<string, unknown>,
    startup,
    booking: { ...booking, createdPerSecond: Math.round(((booking.statuses['201'] ?? 0) / DURATION) * 10) / 10 },
    floor: { ...floor, createdPerSecond: Math.round(((floor.statuses['201'] ?? 0) / DURATION) * 10) / 10 },
    ratio: 0,
    hotSlot: { ...hotSlot, created: hotCreated, doubleBookings },
    availabilityDay,
    availabilityWeek,
    availabilityWeekConcurrent,
    courseDryRun,
    courseDryRunConcurrent,
    dispatch: { texts: sent, seconds: Math.round(dispatchSeconds * 100) / 100, perSecond: Math.round(sent / dispatchSeconds), sentOnce: duplicates === 0 },
    bookingWithWebhook: {
      ...bookingWithWebhook,
      createdPerSecond: Math.round(((bookingWithWebhook.statuses['201'] ?? 0) / DURATION) * 10) / 10,
    },
    webhooks: {
      deliveries: delivered,
      seconds: Math.round(webhookSeconds * 100) / 100,
      perSecond: Math.round(delivered / webhookSeconds),
      receivedOnce,
    },
    waitlist,
    servicePeakRssMb,
  };
  figures.ratio = Math.round((figures.booking.createdPerSecond / Math.max(1, figures.floor.createdPerSecond)) * 100) / 100;

  const rows: Row[] = [
    {
      scenario: '1 booking (API)',
      figure: 'bookings/s',
      value: String(figures.booking.createdPerSecond),
      target: '≥ 500',
      met: figures.booking.createdPerSecond >= 500,
    },
    {
      scenario: '1 booking (API)',
      figure: 'p50 / p95 / p99 ms',
      value: `${booking.latency.p50} / ${booking.latency.p95} / ${booking.latency.p99}`,
      target: 'p99 ≤ 100',
      met: booking.latency.p99 <= 100,
    },
    { scenario: '1 booking (API)', figure: 'statuses', value: JSON.stringify(booking.statuses), target: '', met: null },
    {
      scenario: '1b booking, webhook subscriber',
      figure: 'bookings/s',
      value: String(figures.bookingWithWebhook.createdPerSecond),
      target: '≥ 500',
      met: figures.bookingWithWebhook.createdPerSecond >= 500,
    },
    {
      scenario: '1b booking, webhook subscriber',
      figure: 'p50 / p95 / p99 ms',
      value: `${bookingWithWebhook.latency.p50} / ${bookingWithWebhook.latency.p95} / ${bookingWithWebhook.latency.p99}`,
      target: 'p99 ≤ 100',
      met: bookingWithWebhook.latency.p99 <= 100,
    },
    { scenario: '2 floor (pg)', figure: 'bookings/s', value: String(figures.floor.createdPerSecond), target: '', met: null },
    {
      scenario: '2 floor (pg)',
      figure: 'p50 / p95 / p99 ms',
      value: `${floor.latency.p50} / ${floor.latency.p95} / ${floor.latency.p99}`,
      target: '',
      met: null,
    },
    { scenario: '2 API / floor', figure: 'ratio', value: String(figures.ratio), target: '≥ 0.25', met: figures.ratio >= 0.25 },
    {
      scenario: '3 hot slot (64)',
      figure: 'statuses',
      value: JSON.stringify(hotSlot.statuses),
      target: 'only 201/409',
      met: Object.keys(hotSlot.statuses).every((s) => s === '201' || s === '409'),
    },
    {
      scenario: '3 hot slot (64)',
      figure: 'p99 / max ms',
      value: `${hotSlot.latency.p99} / ${hotSlot.latency.max}`,
      target: 'max < 1000',
      met: hotSlot.latency.max < 1000,
    },
    {
      scenario: '3 hot slot (64)',
      figure: 'booked / double bookings',
      value: `${hotCreated} / ${doubleBookings}`,
      target: '1 / 0',
      met: hotCreated === 1 && doubleBookings === 0,
    },
    {
      scenario: '4 availability day',
      figure: 'p50 / p95 / p99 ms',
      value: `${availabilityDay.latency.p50} / ${availabilityDay.latency.p95} / ${availabilityDay.latency.p99}`,
      target: '',
      met: null,
    },
    {
      scenario: '4 availability week',
      figure: 'p50 / p95 / p99 ms',
      value: `${availabilityWeek.latency.p50} / ${availabilityWeek.latency.p95} / ${availabilityWeek.latency.p99}`,
      target: 'p95 ≤ 50',
      met: availabilityWeek.latency.p95 <= 50,
    },
    {
      scenario: '4 availability week, 4 clients',
      figure: 'p50 / p95 / p99 ms',
      value: `${availabilityWeekConcurrent.latency.p50} / ${availabilityWeekConcurrent.latency.p95} / ${availabilityWeekConcurrent.latency.p99} (${availabilityWeekConcurrent.perSecond}/s)`,
      target: '',
      met: null,
    },
    {
      scenario: '4 course dry run (36)',
      figure: 'p50 / p95 / p99 ms',
      value: `${courseDryRun.latency.p50} / ${courseDryRun.latency.p95} / ${courseDryRun.latency.p99} ${JSON.stringify(courseDryRun.statuses)}`,
      target: 'p95 ≤ 150',
      met: courseDryRun.latency.p95 <= 150 && Object.keys(courseDryRun.statuses).every((s) => s === '200'),
    },
    {
      scenario: '4 course dry run, 4 clients',
      figure: 'p50 / p95 / p99 ms',
      value: `${courseDryRunConcurrent.latency.p50} / ${courseDryRunConcurrent.latency.p95} / ${courseDryRunConcurrent.latency.p99} (${courseDryRunConcurrent.perSecond}/s)`,
      target: '',
      met: null,
    },
    {
      scenario: '5 dispatch',
      figure: 'texts/s',
      value: `${figures.dispatch.perSecond} (${sent} in ${figures.dispatch.seconds} s, each once: ${figures.dispatch.sentOnce})`,
      target: '≥ 1000',
      met: figures.dispatch.perSecond >= 1000 && figures.dispatch.sentOnce,
    },
    {
      scenario: '8 waitlist, burst',
      figure: 'offers/s',
      value: `${waitlist.burst.offersPerSecond} (${waitlist.burst.offersSent} offers for ${waitlist.burst.cancellations} cancellations at once, ${waitlist.entries} entries, ${waitlist.burst.seconds} s)`,
      target: '',
      met: null,
    },
    {
      scenario: '8 waitlist, burst',
      figure: 'cancellation → offer sent p50 / p95 / max ms',
      value: `${waitlist.burst.cancellationToOffer.p50} / ${waitlist.burst.cancellationToOffer.p95} / ${waitlist.burst.cancellationToOffer.max}`,
      target: '',
      met: null,
    },
    {
      scenario: `8 waitlist, ${waitlist.paced.ratePerSecond}/s`,
      figure: 'cancellation → offer sent p50 / p95 / max ms',
      value: `${waitlist.paced.cancellationToOffer.p50} / ${waitlist.paced.cancellationToOffer.p95} / ${waitlist.paced.cancellationToOffer.max} (${waitlist.paced.offersSent} offers for ${waitlist.paced.cancellations})`,
      target: 'p95 ≤ 2000',
      met: waitlist.paced.cancellationToOffer.count > 0 && waitlist.paced.cancellationToOffer.p95 <= 2000,
    },
    {
      scenario: '6 start-up',
      figure: 'ready ms (first / restart)',
      value: `${startup.coldReadyMs} / ${startup.warmReadyMs}`,
      target: '≤ 10000',
      met: startup.coldReadyMs <= 10_000 && startup.warmReadyMs <= 10_000,
    },
    { scenario: '6 start-up', figure: 'peak RSS MiB (idle / under load)', value: `${startup.peakRssMb} / ${servicePeakRssMb}`, target: '', met: null },
    {
      scenario: '7 webhook delivery',
      figure: 'deliveries/s (signed, posted, logged)',
      value: `${figures.webhooks.perSecond} (${figures.webhooks.deliveries} in ${figures.webhooks.seconds} s; each received once: ${figures.webhooks.receivedOnce})`,
      target: '',
      met: null,
    },
  ];
  printTable(rows);
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify({ quick, figures, rows }, null, 2)}\n`);
  log('written bench/results.json');

  await ds.destroy();
  await embedded?.stop();
  if (embedded) rmSync(dataDir, { recursive: true, force: true });
}

function nextWeekdayAfter(first: string, index: number): string {
  let day = nextWeekday(first);
  for (let i = 0; i < index; i++) day = nextWeekday(addDays(day, 1));
  return day;
}

function strip<T extends { slotIndex: number }>(slot: T): Omit<T, 'slotIndex'> {
  const { slotIndex: _ignored, ...rest } = slot;
  return rest;
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
