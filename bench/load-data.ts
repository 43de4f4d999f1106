import 'reflect-metadata';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { addDays, clinicDateOf, CLINIC_ZONE, weekdayOf } from '../src/common/clinic-time';
import { CoursesService } from '../src/courses/courses.service';
import { PROTOCOL_CODES } from '../src/courses/domain/protocols';
import { loadConfig } from '../src/config/app-config';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrationsUnderLock } from '../src/database/migration-runner';
import { DEFAULT_REMINDER_POLICY, planReminders } from '../src/reminders/domain/reminder-planner';
import { renderReminderText } from '../src/reminders/domain/templates';
import { seedDemoData } from '../src/seed/demo-seed';
import { addClinicGroups, clinicCode } from './load-clinics';
import { ClinicResources, layoutRange, rowsOf } from './load-layout';

export interface LoadOptions {
  patients: number;
  weeks: number;
  /** Completed sessions (with vitals) in the weeks before today. */
  pastWeeks: number;
  /** Groups of three clinics shaped like the demo ones (the scale bench's `--scale`); 1: the demo clinics only. */
  groups?: number;
  now?: Date;
  log?: (line: string) => void;
  /** Books treatment courses through the service itself (planning, rules, reminders); returns how many. */
  bookCourses?: (patientIds: string[], today: string) => Promise<number>;
}

export interface LoadReport {
  clinics: number;
  patients: number;
  appointments: number;
  reminders: number;
  vitals: number;
  remsForms: number;
  optOuts: number;
  courses: number;
  seconds: number;
}

/** Patients kept for the treatment courses (per group of three clinics), outside the bulk layout's pools. */
const COURSE_PATIENTS = 100;
/** Batches written at once: the service-side planning of one overlaps the database's work on another. */
const CONCURRENT_BATCHES = 2;
/** Every n-th completed appointment was a no-show instead. */
const NO_SHOW_EVERY = 13;

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function activeSegments(ds: DataSource): Promise<Map<string, Array<{ start: Date; end: Date }>>> {
  const rows: Array<{ resource_id: string; starts_at: Date; ends_at: Date }> = await ds.query(
    'SELECT resource_id, starts_at, ends_at FROM appointment_segments WHERE active',
  );
  const map = new Map<string, Array<{ start: Date; end: Date }>>();
  for (const row of rows) map.set(row.resource_id, [...(map.get(row.resource_id) ?? []), { start: row.starts_at, end: row.ends_at }]);
  return map;
}

const FIRST_NAMES = ['Avery', 'Jordan', 'Casey', 'Riley', 'Morgan', 'Quinn', 'Taylor', 'Jamie', 'Drew', 'Rowan', 'Emerson', 'Harper'];
const LAST_NAMES = ['Garcia', 'Nguyen', 'Smith', 'Johnson', 'Martinez', 'Brown', 'Lopez', 'Wilson', 'Anderson', 'Clark', 'Lewis', 'Young'];

async function clinicResources(ds: DataSource): Promise<ClinicResources[]> {
  const rows: Array<{ location_id: string; code: string; id: string; kind: string }> = await ds.query(
    `SELECT l.id AS location_id, l.code, r.id, r.kind FROM locations l JOIN resources r ON r.location_id = l.id AND r.active ORDER BY l.code, r.kind, r.name`,
  );
  const byClinic = new Map<string, ClinicResources>();
  for (const row of rows) {
    const clinic = byClinic.get(row.location_id) ?? { locationId: row.location_id, code: row.code, chairs: [], tmsDevices: [], recoveryBays: [] };
    if (row.kind === 'treatment_chair') clinic.chairs.push(row.id);
    if (row.kind === 'tms_device') clinic.tmsDevices.push(row.id);
    if (row.kind === 'ect_suite') clinic.ectSuite = row.id;
    if (row.kind === 'recovery_bay') clinic.recoveryBays.push(row.id);
    byClinic.set(row.location_id, clinic);
  }
  return [...byClinic.values()];
}

async function insertPatients(ds: DataSource, count: number): Promise<string[]> {
  const rows: Array<{ id: string }> = await ds.query(
    `INSERT INTO patients (first_name, last_name, date_of_birth, phone, sms_opt_in, rems_enrolled_at)
     SELECT ($1::text[])[1 + i % 12], ($2::text[])[1 + (i / 12) % 12] || '-' || i, date '1950-01-01' + (i * 37) % 20000,
            '+1720' || lpad((5550000 + i)::text, 7, '0'), i % 5 <> 0, now() - interval '90 days'
       FROM generate_series(0, $3 - 1) AS i
     RETURNING id`,
    [FIRST_NAMES, LAST_NAMES, count],
  );
  return rows.map((r) => r.id);
}

/**
 * Fills a migrated, demo-seeded database with a realistic clinic group: `patients` patients, `weeks` weeks
 * of bookings from tomorrow (chairs ~70 % busy, TMS devices ~83 % busy, ECT mornings), their reminder texts,
 * and `pastWeeks` weeks of completed Spravato sessions with vitals. Rows go in in bulk; the exclusion
 * constraints check that the layout never double-books.
 */
export async function loadData(ds: DataSource, options: LoadOptions): Promise<LoadReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const now = options.now ?? new Date();
  const today = clinicDateOf(now);
  const groups = options.groups ?? 1;
  if (groups > 1) log(`clinics added: ${await addClinicGroups(ds, groups)}`);
  const clinics = await clinicResources(ds);
  const [{ id: actorId }] = await ds.query(`SELECT id FROM staff WHERE email = 'frontdesk@demo.clinic'`);
  const closedRows: Array<{ location_id: string; date: string }> = await ds.query(`SELECT location_id, to_char(date, 'YYYY-MM-DD') AS date FROM closures`);
  const closed = new Set(closedRows.map((r) => `${r.location_id}:${r.date}`));
  const clinicContact = new Map<string, { name: string; address: string; phone: string }>(
    (await ds.query('SELECT id, name, address, phone FROM locations')).map((l: { id: string; name: string; address: string; phone: string }) => [l.id, l]),
  );

  const patientIds = await insertPatients(ds, options.patients);
  const optedIn: boolean[] = patientIds.map((_, i) => i % 5 !== 0);
  log(`patients: ${patientIds.length}`);

  // Courses first, planned by the service on the open calendar (patients of their own); the bulk fill
  // then leaves their resources alone.
  const coursePatients = patientIds.slice(-COURSE_PATIENTS * groups);
  const courses = options.bookCourses ? await options.bookCourses(coursePatients, today) : 0;
  log(`courses: ${courses}`);
  const taken = await activeSegments(ds);

  const firstDay = clinicDateOf(new Date(now.getTime() - options.pastWeeks * 7 * 86_400_000));
  const layout = layoutRange(firstDay, (options.pastWeeks + options.weeks) * 7, clinics, options.patients - COURSE_PATIENTS * groups, closed).filter(
    (item) => !rowsOf(item).segments.some((segment) => (taken.get(segment.resourceId) ?? []).some((t) => t.start < segment.end && segment.start < t.end)),
  );
  let appointments = 0;
  let reminders = 0;
  let vitals = 0;
  const BATCH = 2_000;
  const batches: Array<typeof layout> = [];
  for (let offset = 0; offset < layout.length; offset += BATCH) batches.push(layout.slice(offset, offset + BATCH));
  await eachLimited(batches, CONCURRENT_BATCHES, async (slice, batchIndex) => {
    const batch = slice.filter((item) => clinicDateOf(item.startsAt) !== today);
    const planned = batch.map((item) => ({ item, ...rowsOf(item) }));
    const past = planned.map((p) => p.plan.startsAt < now);
    const statuses = planned.map((_, i) => (past[i] ? ((batchIndex * BATCH + i) % NO_SHOW_EVERY === 0 ? 'no_show' : 'discharged') : 'scheduled'));
    await ds.transaction(async (manager) => {
      const ids: Array<{ id: string }> = await manager.query(
        `INSERT INTO appointments (patient_id, type, status, mode, location_id, resource_id, starts_at, ends_at, occupancy_starts_at, occupancy_ends_at,
                                   observation_starts_at, observation_ends_at, created_by)
         SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::uuid[], $6::uuid[], $7::timestamptz[], $8::timestamptz[],
                              $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::uuid[])
         RETURNING id`,
        [
          planned.map((p) => patientIds[p.item.patientIndex]),
          planned.map((p) => p.item.type),
          statuses,
          planned.map(() => 'inPerson'),
          planned.map((p) => p.item.locationId),
          planned.map((p) => p.item.resourceIds[0]),
          planned.map((p) => p.plan.startsAt),
          planned.map((p) => p.plan.endsAt),
          planned.map((p) => p.plan.observation?.start ?? null),
          planned.map((p) => p.plan.observation?.end ?? null),
          planned.map(() => actorId),
        ],
      );
      const segments = planned.flatMap((p, i) => p.segments.map((s) => ({ appointmentId: ids[i].id, active: statuses[i] !== 'no_show', ...s })));
      await manager.query(
        `INSERT INTO appointment_segments (appointment_id, resource_id, kind, starts_at, ends_at, active)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::timestamptz[], $5::timestamptz[], $6::boolean[])`,
        [
          segments.map((s) => s.appointmentId),
          segments.map((s) => s.resourceId),
          segments.map((s) => s.kind),
          segments.map((s) => s.start),
          segments.map((s) => s.end),
          segments.map((s) => s.active),
        ],
      );

      // Reminder texts of the future appointments, planned and worded as the service does it.
      const texts = planned.flatMap((p, i) => {
        if (past[i]) return [];
        const contact = clinicContact.get(p.item.locationId)!;
        return planReminders({ type: p.item.type, startsAt: p.plan.startsAt, now, zone: CLINIC_ZONE, change: 'booked' }).map((r) => ({
          appointmentId: ids[i].id,
          patientId: patientIds[p.item.patientIndex],
          kind: r.kind,
          sendAt: r.sendAt,
          status: optedIn[p.item.patientIndex] ? (r.kind === 'confirmation' ? 'sent' : 'pending') : 'suppressed',
          body: renderReminderText({
            kind: r.kind,
            clinic: contact,
            startsAt: p.plan.startsAt,
            sendAt: r.sendAt,
            zone: CLINIC_ZONE,
            preparation: DEFAULT_REMINDER_POLICY.preparation[p.item.type],
          }),
          dailyKey: r.dailyKey,
        }));
      });
      if (texts.length) {
        const inserted = await manager.query(
          `INSERT INTO reminders (appointment_id, patient_id, kind, send_at, status, body, daily_key)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::timestamptz[], $5::varchar[], $6::text[], $7::date[])
           ON CONFLICT DO NOTHING RETURNING id`,
          [
            texts.map((t) => t.appointmentId),
            texts.map((t) => t.patientId),
            texts.map((t) => t.kind),
            texts.map((t) => t.sendAt),
            texts.map((t) => t.status),
            texts.map((t) => t.body),
            texts.map((t) => t.dailyKey),
          ],
        );
        reminders += inserted.length;
      }

      // Vitals of the completed Spravato sessions: before the dose, at ~40 minutes, at discharge.
      const done = planned.map((p, i) => ({ p, id: ids[i].id })).filter(({ p }, i) => statuses[i] === 'discharged' && p.item.type === 'spravato');
      if (done.length) {
        const rows = done.flatMap(({ p, id }) => {
          const dose = p.plan.prescriberWindow!.start.getTime();
          return [
            { id, timepoint: 'pre_dose', at: new Date(dose - 5 * 60_000), systolic: 124, diastolic: 78, sedation: 5, dissociation: 0 },
            { id, timepoint: 'post_dose_40', at: new Date(dose + 40 * 60_000), systolic: 136, diastolic: 84, sedation: 4, dissociation: 12 },
            { id, timepoint: 'discharge', at: new Date(p.plan.endsAt.getTime() - 10 * 60_000), systolic: 126, diastolic: 80, sedation: 5, dissociation: 1 },
          ];
        });
        await manager.query(
          `INSERT INTO vitals (appointment_id, timepoint, taken_at, systolic, diastolic, heart_rate, spo2, respiratory_rate, sedation_score, dissociation_score, recorded_at)
           SELECT a, t, w, s, d, 72, 98, 14, sed, dis, w FROM unnest($1::uuid[], $2::varchar[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::int[]) AS x(a, t, w, s, d, sed, dis)`,
          [
            rows.map((r) => r.id),
            rows.map((r) => r.timepoint),
            rows.map((r) => r.at),
            rows.map((r) => r.systolic),
            rows.map((r) => r.diastolic),
            rows.map((r) => r.sedation),
            rows.map((r) => r.dissociation),
          ],
        );
        vitals += rows.length;
      }
    });
    appointments += planned.length;
    if (batchIndex % 10 === 0) log(`appointments: ${appointments} of ~${layout.length}`);
  });

  // The REMS forms of the completed Spravato sessions (due 7 days after the dose): most submitted in
  // time, one in six late, one in ten of those due by now still open.
  const [{ id: providerId }] = await ds.query(`SELECT id FROM staff WHERE email = 'provider@demo.clinic'`);
  const [{ count: remsForms }] = await ds.query(
    `WITH forms AS (
       INSERT INTO rems_forms (appointment_id, due_at, submitted_at, submitted_by, submitted_form)
       SELECT a.id, a.starts_at + interval '7 days 15 minutes', s.submitted_at, CASE WHEN s.submitted_at IS NULL THEN NULL ELSE $2::uuid END,
              CASE WHEN s.submitted_at IS NULL THEN NULL ELSE '{}'::jsonb END
         FROM appointments a
        CROSS JOIN LATERAL (SELECT hashtext(a.id::text) & 1023 AS h) n
        CROSS JOIN LATERAL (SELECT CASE WHEN n.h % 10 = 0 THEN NULL WHEN n.h % 6 = 0 THEN a.starts_at + interval '8 days' ELSE a.starts_at + interval '2 days' END AS at) planned
        CROSS JOIN LATERAL (SELECT CASE WHEN planned.at < $1 THEN planned.at END AS submitted_at) s
        WHERE a.type = 'spravato' AND a.status = 'discharged'
       RETURNING 1)
     SELECT count(*)::int AS count FROM forms`,
    [now, providerId],
  );
  // STOP replies: the patients who are not opted in told us so in the past weeks.
  const [{ count: optOuts }] = await ds.query(
    `WITH events AS (
       INSERT INTO sms_consent_events (patient_id, event, keyword, created_at)
       SELECT id, 'opt_out', 'stop', $1::timestamptz - (hashtext(id::text) & 1023) * interval '20 minutes' FROM patients WHERE NOT sms_opt_in
       RETURNING 1)
     SELECT count(*)::int AS count FROM events`,
    [now],
  );
  await ds.query('ANALYZE');
  return {
    clinics: clinics.length,
    patients: patientIds.length,
    appointments,
    reminders,
    vitals,
    remsForms,
    optOuts,
    courses,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

/**
 * A few courses of every protocol in each group of three clinics, booked by CoursesService as front desk
 * would (planning around the loaded calendar, alternate clinics, reminders): the group's Aurora-shaped clinic
 * first, its other two as alternates. Patients come from the end of the chair pool, a week apart, so each
 * course finds room; a refusal is counted, not fatal. Groups book side by side (they share no calendar).
 */
export async function bookCoursesThroughService(
  courses: CoursesService,
  ds: DataSource,
  patientIds: string[],
  today: string,
  perProtocol = 3,
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  const [{ id: actorId }] = await ds.query(`SELECT id FROM staff WHERE email = 'admin@demo.clinic'`);
  const ids = new Map<string, string>((await ds.query('SELECT id, code FROM locations')).map((l: { id: string; code: string }) => [l.code, l.id]));
  const groups = Math.max(1, Math.floor(patientIds.length / COURSE_PATIENTS));
  const actor = { id: actorId, role: 'admin' as const, requestId: null, locationIds: [] };
  // Course n of every group, then course n + 1: the courses booked side by side are at different clinics.
  const perGroup = PROTOCOL_CODES.flatMap((protocol) => Array.from({ length: perProtocol }, () => protocol));
  const jobs = perGroup.flatMap((protocol, n) => Array.from({ length: groups }, (_, g) => ({ group: g + 1, protocol, n })));
  let booked = 0;
  await eachLimited(jobs, Math.min(3, groups), async ({ group, protocol, n }) => {
    const patientId = patientIds[(group - 1) * COURSE_PATIENTS + n];
    const startDate = nextMonday(addDays(today, 7 * (1 + ((n + 1) % 8))));
    try {
      await courses.create(
        {
          patientId,
          protocol,
          locationId: ids.get(clinicCode('aurora', group))!,
          startDate,
          preferredTime: protocol === 'ect-index' ? '07:00' : '12:00',
          alternateLocationIds: [ids.get(clinicCode('louisville', group))!, ids.get(clinicCode('westminster', group))!],
          override: { reason: 'load generator' },
        } as never,
        actor,
      );
      booked++;
    } catch (error) {
      if (group === 1) log(`course ${protocol} not booked: ${(error as Error).message.slice(0, 200)}`);
    }
  });
  return booked;
}

function nextMonday(date: string): string {
  let day = date;
  while (weekdayOf(day) !== 1) day = addDays(day, 1);
  return day;
}

/**
 * A bench database made ready to load: migrated, the demo seed, and the service's modules in a Nest context
 * of its own (courses are booked through CoursesService). The caller closes the context.
 */
export async function benchContext(ds: DataSource, databaseUrl: string): Promise<TestingModule> {
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
  return context;
}

/**
 * The 1x bench data of a single-scenario run (the waitlist's, the console's): migrated, the demo seed,
 * 2,000 patients over 26 weeks (2 with `quick`), courses through CoursesService in a Nest context of its own.
 */
export async function loadBenchData(ds: DataSource, databaseUrl: string, quick: boolean): Promise<LoadReport> {
  const context = await benchContext(ds, databaseUrl);
  try {
    return await loadData(ds, {
      patients: 2000,
      weeks: quick ? 2 : 26,
      pastWeeks: quick ? 1 : 2,
      bookCourses: (patientIds, today) => bookCoursesThroughService(context.get(CoursesService), ds, patientIds, today, quick ? 1 : 3),
    });
  } finally {
    await context.close();
  }
}

/** `npm run seed:load`: the database of DATABASE_URL, or the embedded one `npm start` uses. */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, DEMO_SEED: 'true', DEMO_SEED_FORCE: 'true' });
  const embedded = config.usesEmbeddedDatabase ? await startEmbeddedPostgres(config.embeddedDataDir, () => undefined) : undefined;
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  const ds = await new DataSource(dataSourceOptions(databaseUrl, 4)).initialize();
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({
      config: loadConfig({ DATABASE_URL: databaseUrl, JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'warn', SCHEDULER_ENABLED: 'false' }),
      databaseUrl,
    }),
    { logger: ['error', 'warn'] },
  );
  try {
    await runMigrationsUnderLock(ds);
    await seedDemoData(ds);
    const report = await loadData(ds, {
      groups: Number(process.env.LOAD_SCALE ?? 1),
      patients: Number(process.env.LOAD_PATIENTS ?? 2000 * Number(process.env.LOAD_SCALE ?? 1)),
      weeks: Number(process.env.LOAD_WEEKS ?? 26),
      pastWeeks: Number(process.env.LOAD_PAST_WEEKS ?? 2),
      log: (line) => process.stdout.write(`${line}\n`),
      bookCourses: (patientIds, today) => bookCoursesThroughService(app.get(CoursesService), ds, patientIds, today),
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await app.close();
    await ds.destroy();
    await embedded?.stop();
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
