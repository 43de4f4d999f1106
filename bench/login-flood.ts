import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { login, ROOT, startService } from './harness';
import { summarize, LatencySummary } from './stats';

/**
 * Booking latency while a login flood hits the service (issue 12): each login attempt costs a scrypt
 * hash, and without a bound a flood of them starved every other request. For each hashing setting, on a
 * fresh embedded database: bookings alone, then the same bookings during a flood of wrong passwords for
 * made-up accounts from spoofed addresses (so the per-account and per-address throttles do not stop them:
 * every attempt would cost a hash, the worst case). Bounded in count and time; talks only to 127.0.0.1.
 *
 *   npm run bench:login-flood               (bounded, as shipped, then unbounded for comparison)
 *   npm run bench:login-flood -- --quick
 */
const QUICK = process.argv.includes('--quick');
const BOOKINGS = QUICK ? 30 : 150;
const BOOKING_CONCURRENCY = 4;
const FLOOD_CONCURRENCY = 150;
const FLOOD_RATE = QUICK ? 50 : 100;
const FLOOD_MAX_MS = 120_000;

interface Phase {
  booking: LatencySummary;
  bookingErrors: number;
  logins?: Record<string, number>;
}

async function json(url: string, path: string, token: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

/** TMS starts at Aurora on weekdays from two weeks ahead, three devices per 30-minute slot. */
function slots(count: number): string[] {
  const result: string[] = [];
  let day = DateTime.now().setZone('America/Denver').startOf('day').plus({ days: 14 });
  while (result.length < count) {
    if (day.weekday <= 5) {
      for (let minutes = 8 * 60; minutes < 18 * 60 && result.length < count; minutes += 30) {
        for (let device = 0; device < 3 && result.length < count; device++) result.push(day.plus({ minutes }).toISO()!);
      }
    }
    day = day.plus({ days: 1 });
  }
  return result;
}

async function bookAll(url: string, token: string, aurora: string, patients: string[], starts: string[]): Promise<{ samples: number[]; errors: number }> {
  const samples: number[] = [];
  let errors = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: BOOKING_CONCURRENCY }, async () => {
      while (next < starts.length) {
        const i = next++;
        const started = performance.now();
        const response = await json(url, '/api/appointments', token, { patientId: patients[i], type: 'tms', locationId: aurora, startsAt: starts[i] });
        samples.push(performance.now() - started);
        if (response.status !== 201) errors++;
      }
    }),
  );
  return { samples, errors };
}

/**
 * The same offered load in every mode: FLOOD_RATE attempts a second (open loop), at most FLOOD_CONCURRENCY
 * in flight (the "150-login flood"). A client that gets fast 503s does not send more than one that waits.
 */
async function flood(url: string, stop: { done: boolean }): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  const deadline = Date.now() + FLOOD_MAX_MS;
  let inFlight = 0;
  let n = 0;
  const pending = new Set<Promise<void>>();
  while (!stop.done && Date.now() < deadline) {
    const tick = Date.now();
    if (inFlight < FLOOD_CONCURRENCY) {
      n++;
      inFlight++;
      const attempt = fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.18.${n % 250}.${(n >> 8) % 250}` },
        body: JSON.stringify({ email: `nobody-${n}@flood.example`, password: `not the password ${n}` }),
      })
        .then(async (response) => {
          statuses[String(response.status)] = (statuses[String(response.status)] ?? 0) + 1;
          await response.arrayBuffer();
        })
        .catch(() => {
          statuses.error = (statuses.error ?? 0) + 1;
        })
        .finally(() => {
          inFlight--;
          pending.delete(attempt);
        });
      pending.add(attempt);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / FLOOD_RATE - (Date.now() - tick))));
  }
  await Promise.all(pending);
  return statuses;
}

async function run(label: string, env: Record<string, string>): Promise<{ label: string; alone: Phase; flooded: Phase }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'clinic-flood-'));
  const service = await startService({ EMBEDDED_PG_DIR: dataDir, DATABASE_URL: undefined, DEMO_SEED: 'true', ...env });
  try {
    const token = await login(service.url, 'frontdesk@demo.clinic', 'demo-frontdesk');
    const locations = (await (await fetch(`${service.url}/api/locations`, { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{
      id: string;
      code: string;
    }>;
    const aurora = locations.find((l) => l.code === 'aurora')!.id;
    const patients: string[] = [];
    for (let i = 0; i < BOOKINGS * 2; i++) {
      const created = await json(service.url, '/api/patients', token, {
        firstName: 'Flood',
        lastName: `Bench${i}`,
        dateOfBirth: '1980-01-01',
        phone: `+1720555${String(1000 + i).padStart(4, '0')}`,
        smsOptIn: false,
        preferredLocationId: aurora,
      });
      patients.push(created.body.id);
    }
    const starts = slots(BOOKINGS * 2);
    // Warm-up, then the bookings alone.
    await bookAll(service.url, token, aurora, patients.slice(0, 10), starts.slice(0, 10));
    const alone = await bookAll(service.url, token, aurora, patients.slice(10, BOOKINGS), starts.slice(10, BOOKINGS));
    const stop = { done: false };
    const flooding = flood(service.url, stop);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const during = await bookAll(service.url, token, aurora, patients.slice(BOOKINGS, BOOKINGS * 2 - 10), starts.slice(BOOKINGS, BOOKINGS * 2 - 10));
    stop.done = true;
    const logins = await flooding;
    return {
      label,
      alone: { booking: summarize(alone.samples), bookingErrors: alone.errors },
      flooded: { booking: summarize(during.samples), bookingErrors: during.errors, logins },
    };
  } finally {
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const results = [
    await run('bounded (PASSWORD_HASH_CONCURRENCY=1, PASSWORD_HASH_QUEUE=8: as shipped)', {}),
    await run('unbounded (PASSWORD_HASH_CONCURRENCY=64, PASSWORD_HASH_QUEUE=10000: as before)', {
      PASSWORD_HASH_CONCURRENCY: '64',
      PASSWORD_HASH_QUEUE: '10000',
    }),
  ];
  for (const result of results) {
    console.log(`\n${result.label}`);
    console.log(
      `  booking alone:          p50 ${result.alone.booking.p50} ms, p99 ${result.alone.booking.p99} ms, max ${result.alone.booking.max} ms (${result.alone.booking.count}, ${result.alone.bookingErrors} errors)`,
    );
    console.log(
      `  booking during a flood: p50 ${result.flooded.booking.p50} ms, p99 ${result.flooded.booking.p99} ms, max ${result.flooded.booking.max} ms (${result.flooded.booking.count}, ${result.flooded.bookingErrors} errors)`,
    );
    console.log(`  login answers during the flood: ${JSON.stringify(result.flooded.logins)}`);
  }
  await writeFile(
    join(ROOT, 'bench', 'results-login-flood.json'),
    `${JSON.stringify({ quick: QUICK, floodConcurrency: FLOOD_CONCURRENCY, results }, null, 2)}\n`,
  );
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
