// Availability measured in one process against a loaded database (issue 17, scenario 4 alone): Spravato
// at Aurora, the week from the weekday two weeks ahead, as the bench asks for it; `runs` calls of
// AvailabilityService.find after 10 to warm up, with the calendar read timed apart from the whole. Profile
// the service's CPU with `node --cpu-prof --cpu-prof-dir=/tmp/prof bench/availability-probe.mjs …` and
// `node bench/cpuprofile-top.mjs /tmp/prof/<file>`. Read-only. Needs `npm run build`:
//
//   node bench/availability-probe.mjs postgres://…/loaded 200
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const dist = (path) => require(fileURLToPath(new URL(`../dist/src/${path}`, import.meta.url)));
const { NestFactory } = require('@nestjs/core');
const { DataSource } = require('typeorm');
const { AppModule } = dist('app.module');
const { loadConfig } = dist('config/app-config');
const { AvailabilityService } = dist('appointments/availability.service');
const { CalendarRepository } = dist('appointments/calendar.repository');
const { addDays, clinicDateOf, clinicInstant, weekdayOf } = dist('common/clinic-time');

const [url, runsArg = '200', days = '7'] = process.argv.slice(2);
const app = await NestFactory.createApplicationContext(
  AppModule.forRoot({
    config: loadConfig({ DATABASE_URL: url, JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'warn', SCHEDULER_ENABLED: 'false' }),
    databaseUrl: url,
  }),
  { logger: ['error'] },
);
const [{ id: aurora }] = await app.get(DataSource).query(`SELECT id FROM locations WHERE code = 'aurora'`);
let day = addDays(clinicDateOf(new Date()), 14);
while (weekdayOf(day) > 5) day = addDays(day, 1);
const request = { type: 'spravato', locationId: aurora, from: clinicInstant(day, '00:00'), to: clinicInstant(addDays(day, Number(days)), '00:00') };

const calendars = app.get(CalendarRepository);
let captured;
const calendarQuery = async () => captured;
const load = calendars.loadCalendar.bind(calendars);
let loadMs = 0;
calendars.loadCalendar = async (...args) => {
  captured = args[1];
  const started = performance.now();
  try {
    return await load(...args);
  } finally {
    loadMs += performance.now() - started;
  }
};
const availability = app.get(AvailabilityService);
let slots = 0;
for (let i = 0; i < 10; i++) slots = (await availability.find(request)).length;
loadMs = 0;
const times = [];
for (let i = 0; i < Number(runsArg); i++) {
  const started = performance.now();
  await availability.find(request);
  times.push(performance.now() - started);
}
// The rules alone, on one calendar loaded once: CPU time (less disturbed by a busy machine than wall time).
const context = await load(undefined, await calendarQuery());
const cpuStarted = process.cpuUsage();
for (let i = 0; i < Number(runsArg); i++) await availability.find(request, context);
const cpu = process.cpuUsage(cpuStarted);
const evaluationCpuMs = (cpu.user + cpu.system) / 1000 / Number(runsArg);
times.sort((a, b) => a - b);
const round = (n) => Math.round(n * 10) / 10;
const mean = times.reduce((a, b) => a + b, 0) / times.length;
process.stdout.write(
  `${JSON.stringify({ slots, runs: times.length, meanMs: round(mean), p50Ms: round(times[Math.floor(times.length / 2)]), p95Ms: round(times[Math.ceil(times.length * 0.95) - 1]), calendarLoadMeanMs: round(loadMs / times.length), evaluationCpuMs: round(evaluationCpuMs) })}\n`,
);
await app.close();
