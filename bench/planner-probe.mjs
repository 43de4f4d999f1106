// How to spend the course planner's CPU, measured in one process against a loaded database (issue 17):
// 36-session tms-standard dry runs through CoursesService, one at a time and 4 at once, with planning on
// the event loop (default) or in a pool of worker threads (PLANNER_WORKERS=2: the calendars are loaded on
// the main thread and sent to a worker, which plans). Needs `npm run build` and a loaded database:
//
//   LOAD_SCALE=20 DATABASE_URL=postgres://…/scratch npm run seed:load
//   node bench/planner-probe.mjs postgres://…/scratch          # on the event loop
//   PLANNER_WORKERS=2 node bench/planner-probe.mjs postgres://…/scratch
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const dist = (path) => require(fileURLToPath(new URL(`../dist/src/${path}`, import.meta.url)));

if (!isMainThread) {
  const { planCourse } = dist('courses/domain/course-planner');
  const { CalendarOracle } = dist('courses/domain/calendar-oracle');
  const { PROTOCOLS } = dist('courses/domain/protocols');
  parentPort.on('message', ({ id, calendars, params, treatment }) => {
    const plan = planCourse({ ...params, protocol: PROTOCOLS[params.protocol] }, new CalendarOracle(calendars, treatment));
    parentPort.postMessage({ id, plan });
  });
} else {
  const { NestFactory } = require('@nestjs/core');
  const { DataSource } = require('typeorm');
  const { AppModule } = dist('app.module');
  const { loadConfig } = dist('config/app-config');
  const { CoursesService } = dist('courses/courses.service');
  const { CoursePlanningService } = dist('courses/course-planning.service');
  const { nominalSpanDays } = dist('courses/domain/protocols');
  const { addDays, clinicDateOf, weekdayOf } = dist('common/clinic-time');
  const { freePatients } = require(fileURLToPath(new URL('../dist/bench/free-patients.js', import.meta.url)));

  const url = process.argv[2];
  const runs = Number(process.argv[3] ?? 40);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({
      config: loadConfig({ DATABASE_URL: url, JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'warn', SCHEDULER_ENABLED: 'false' }),
      databaseUrl: url,
    }),
    { logger: ['error'] },
  );
  const ds = app.get(DataSource);
  const clinics = await ds.query(`SELECT id, code FROM locations WHERE code IN ('aurora', 'louisville', 'westminster') ORDER BY code`);
  const aurora = clinics.find((c) => c.code === 'aurora').id;
  const others = clinics.filter((c) => c.code !== 'aurora').map((c) => c.id);
  const [{ id: actorId }] = await ds.query(`SELECT id FROM staff WHERE email = 'frontdesk@demo.clinic'`);
  let monday = addDays(clinicDateOf(new Date()), 21);
  while (weekdayOf(monday) !== 1) monday = addDays(monday, 1);
  const patients = await freePatients(ds, [aurora, ...others], monday);
  const courses = app.get(CoursesService);
  const planning = app.get(CoursePlanningService);

  const workers = Array.from({ length: Number(process.env.PLANNER_WORKERS ?? 0) }, () => new Worker(new URL(import.meta.url)));
  if (workers.length) {
    const pending = new Map();
    let next = 0;
    for (const worker of workers) worker.on('message', ({ id, plan }) => (pending.get(id)(plan), pending.delete(id)));
    planning.plan = async (manager, input) => {
      const to = addDays(input.startDate, nominalSpanDays(input.protocol, input.options) + 28);
      const calendars = await planning.loadCalendars(manager, input.locations, input.patientId, input.startDate, to, input.protocol.treatment);
      const params = {
        protocol: input.protocol.code,
        options: input.options,
        startDate: input.startDate,
        preferredTime: input.preferredTime,
        locations: input.locations.map((l) => ({ id: l.id, name: l.name })),
        zone: input.locations[0].timezone,
      };
      const id = next++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        workers[id % workers.length].postMessage({ id, calendars, params, treatment: input.protocol.treatment });
      });
    };
  }

  const dryRun = (i) =>
    courses.create(
      {
        patientId: patients[i % patients.length],
        protocol: 'tms-standard',
        locationId: aurora,
        startDate: monday,
        preferredTime: '12:00',
        alternateLocationIds: others,
        dryRun: true,
      },
      { id: actorId, role: 'front_desk', requestId: null },
    );
  const summary = (samples, seconds) => {
    samples.sort((a, b) => a - b);
    const at = (q) => Math.round(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] * 10) / 10;
    return { p50: at(0.5), p95: at(0.95), perSecond: Math.round((samples.length / seconds) * 10) / 10 };
  };
  const measure = async (clients) => {
    const samples = [];
    let i = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (i < runs) {
          const t = performance.now();
          await dryRun(i++);
          samples.push(performance.now() - t);
        }
      }),
    );
    return summary(samples, (performance.now() - started) / 1000);
  };
  for (let i = 0; i < 10; i++) await dryRun(i);
  const one = await measure(1);
  const four = await measure(4);
  console.log(JSON.stringify({ workers: workers.length, oneClient: one, fourClients: four }));
  await Promise.all(workers.map((w) => w.terminate()));
  await app.close();
}
