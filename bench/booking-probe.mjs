// The booking scenario (1) alone against a loaded database, with what each booking costs the service:
// bookings/s of 32 clients for `seconds`, the service's CPU per request (utime + stime from /proc; the
// system part alone too: the kernel's side of the sockets) and
// statements per booking (bench/statement-counter.mjs, preloaded), and where the whole machine's CPU went per
// booking (the service, this process as the load client, the rest: PostgreSQL) for the API and the floor. Needs `npm run build`:
//
//   node bench/booking-probe.mjs postgres://…/perf_bench20 [seconds=10] [connections=32]
//
// Then the floor (scenario 2: the same rows with pg) for as long, and the API/floor ratio.
//
// Each run books TMS sessions in a stretch of calendar of its own far ahead (a random week 30–45 weeks
// out, after the loaded 26 and within the booking horizon) and deletes them afterwards; run it twice back to back (before/after) on the same machine load.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const dist = (path) => require(fileURLToPath(new URL(`../dist/${path}`, import.meta.url)));
const { startService, login } = dist('bench/harness');
const { bookingFloor, load, useBenchReminderTexts } = dist('bench/scenarios');
const { addDays, clinicDateOf, clinicInstant, weekdayOf } = dist('src/common/clinic-time');
const { Client } = require('pg');

const [url, secondsArg, connectionsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 10);
const connections = Number(connectionsArg ?? 32);
const countFile = join(tmpdir(), `statements-${process.pid}`);
const counter = fileURLToPath(new URL('./statement-counter.mjs', import.meta.url));

const db = new Client({ connectionString: url });
await db.connect();
const clinics = (await db.query(`SELECT id FROM locations WHERE code IN ('aurora', 'louisville', 'westminster') ORDER BY code`)).rows.map((r) => r.id);
// Patients the front desk may see (api.md "Clinic scoping": they have appointments at the demo clinics).
const patients = (
  await db.query('SELECT DISTINCT patient_id AS id FROM appointments WHERE location_id = ANY($1::uuid[]) ORDER BY 1 LIMIT 2000', [clinics])
).rows.map((r) => r.id);

const service = await startService({
  DATABASE_URL: url,
  DEMO_SEED: 'false',
  SCHEDULER_ENABLED: 'false',
  DATABASE_POOL_SIZE: '20',
  STATEMENT_COUNT_FILE: countFile,
  // CPU_PROFILE_FILE=<file>: the service's CPU profile of the measured seconds (bench/cpuprofile-top.mjs reads it).
  NODE_OPTIONS: `--import ${pathToFileURL(counter)}`,
});
const token = await login(service.url, 'frontdesk@demo.clinic', 'demo-frontdesk');
const pid = service.child.pid;
/** The service's user and system CPU so far, ms (clock ticks of 10 ms). */
const cpuMs = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  // The main thread taken off the CPU while it could run (a woken PostgreSQL backend preempting it, mostly).
  const preempted = Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)[1]);
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10, preempted };
};
/** The whole machine's busy CPU so far, ms (all cores: user, nice, system, irq, softirq, steal; /proc/stat ticks of 10 ms). */
const machineBusyMs = () => {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) * 10;
};
/** This process's CPU so far, ms (the load client: HTTP requests, or the floor's pg client). */
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const statements = async () => {
  rmSync(countFile, { force: true });
  if (process.env.CPU_PROFILE_FILE) rmSync(process.env.CPU_PROFILE_FILE, { force: true });
  service.child.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    try {
      return Number(readFileSync(countFile, 'utf8'));
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  throw new Error('no statement count');
};

// The bench's TMS grid (run.ts): two bookings per half hour, 24 half hours a day at each of the three clinics.
const firstDay = addDays(clinicDateOf(new Date()), 7 * (30 + Math.floor(Math.random() * 16)));
const grid = (first) => {
  let n = 0;
  let day = first;
  return () => {
    const i = n++;
    const perDay = 24 * 3 * 2;
    if (i > 0 && i % perDay === 0) day = addDays(day, 1);
    while (weekdayOf(day) > 5) day = addDays(day, 1);
    const slot = Math.floor(i / 2) % (24 * 3);
    const minutes = 7 * 60 + (slot % 24) * 30;
    const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    return {
      patientId: patients[i % patients.length],
      locationId: clinics[Math.floor(slot / 24)],
      startsAt: clinicInstant(day, time).toISOString(),
      type: 'tms',
    };
  };
};
const book = (slots, duration) =>
  load(service.url, token, { method: 'POST', path: '/api/appointments', body: slots }, { connections, durationSeconds: duration });

try {
  const probe = grid(addDays(firstDay, 40))();
  const answer = await fetch(`${service.url}/api/appointments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(probe),
  });
  if (answer.status !== 201) console.error(`a sample booking was answered ${answer.status}: ${await answer.text()}`);
  await book(grid(firstDay), 3); // warm-up: JIT, the pool's connections and their prepared statements
  const measuredFrom = addDays(firstDay, 10);
  const [cpu0, statements0, machine0, own0] = [cpuMs(), await statements(), machineBusyMs(), ownCpuMs()];
  const result = await book(grid(measuredFrom), seconds);
  const [machine1, own1] = [machineBusyMs(), ownCpuMs()];
  const [cpu1, statements1] = [cpuMs(), await statements()];
  const created = result.statuses['201'] ?? 0;
  const requests = Object.values(result.statuses).reduce((a, b) => a + b, 0);

  // The floor right after (scenario 2, as run.ts does it): the same rows written with pg, the service idle.
  const devices = {};
  for (const row of (await db.query(`SELECT id, location_id FROM resources WHERE kind = 'tms_device' AND location_id = ANY($1) ORDER BY name`, [clinics]))
    .rows) {
    (devices[row.location_id] ??= []).push(row.id);
  }
  const [{ id: actorId }] = (await db.query(`SELECT id FROM staff WHERE email = 'frontdesk@demo.clinic'`)).rows;
  useBenchReminderTexts();
  const floorGrid = grid(addDays(firstDay, 30));
  let floorIndex = 0;
  const floorSlot = () => {
    const slot = floorGrid();
    const list = devices[slot.locationId];
    return {
      ...slot,
      resourceId: list[(floorIndex++ % 2) % list.length],
      endsAt: new Date(new Date(slot.startsAt).getTime() + 30 * 60_000).toISOString(),
      actorId,
    };
  };
  const [floorMachine0, floorOwn0] = [machineBusyMs(), ownCpuMs()];
  const floor = await bookingFloor(url, floorSlot, { connections, durationSeconds: seconds });
  const [floorMachine1, floorOwn1] = [machineBusyMs(), ownCpuMs()];
  const floorCreated = floor.statuses['201'] ?? 0;
  const floorRequests = Object.values(floor.statuses).reduce((a, b) => a + b, 0);
  const perRequest = (ms, n) => Math.round((ms / n) * 100) / 100;
  const serviceMs = cpu1.user + cpu1.system - cpu0.user - cpu0.system;
  console.log(
    JSON.stringify({
      bookingsPerSecond: Math.round((created / seconds) * 10) / 10,
      latency: result.latency,
      statuses: result.statuses,
      cpuMsPerBooking: Math.round(((cpu1.user + cpu1.system - cpu0.user - cpu0.system) / requests) * 100) / 100,
      systemCpuMsPerBooking: Math.round(((cpu1.system - cpu0.system) / requests) * 100) / 100,
      preemptionsPerBooking: Math.round(((cpu1.preempted - cpu0.preempted) / requests) * 100) / 100,
      statementsPerBooking: Math.round(((statements1 - statements0) / requests) * 100) / 100,
      // Where the machine's CPU went per request: the service, the load client (this process), and the rest
      // (PostgreSQL, mostly). When the cores are saturated, the API/floor ratio is about floor ÷ API total.
      machineCpuMsPerBooking: {
        total: perRequest(machine1 - machine0, requests),
        service: perRequest(serviceMs, requests),
        client: perRequest(own1 - own0, requests),
        rest: perRequest(machine1 - machine0 - serviceMs - (own1 - own0), requests),
      },
      machineCpuMsPerFloorBooking: {
        total: perRequest(floorMachine1 - floorMachine0, floorRequests),
        client: perRequest(floorOwn1 - floorOwn0, floorRequests),
        rest: perRequest(floorMachine1 - floorMachine0 - (floorOwn1 - floorOwn0), floorRequests),
      },
      machineBusyPercent: {
        api: Math.round((machine1 - machine0) / (seconds * 10 * cpus().length)),
        floor: Math.round((floorMachine1 - floorMachine0) / (seconds * 10 * cpus().length)),
      },
      floorBookingsPerSecond: Math.round((floorCreated / seconds) * 10) / 10,
      ratio: Math.round((created / Math.max(1, floorCreated)) * 100) / 100,
      loadAverage: loadavg().map((n) => Math.round(n * 10) / 10),
    }),
  );
} finally {
  await service.stop();
  await db.query(
    `DELETE FROM appointments WHERE starts_at >= $1 AND starts_at < $2 AND created_by = (SELECT id FROM staff WHERE email = 'frontdesk@demo.clinic')`,
    [clinicInstant(firstDay, '00:00'), clinicInstant(addDays(firstDay, 150), '00:00')],
  );
  await db.end();
  rmSync(countFile, { force: true });
}
