import 'reflect-metadata';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { addDays, clinicDateOf, clinicInstant, weekdayOf } from '../src/common/clinic-time';
import { dataSourceOptions } from '../src/database/data-source-options';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { ROOT } from './harness';
import { loadBenchData } from './load-data';
import { runWaitlistScenario } from './waitlist';

/**
 * `node dist/bench/waitlist-run.js [--quick]` (after `npm run build`): scenario 8 of `npm run bench` alone,
 * on the same loaded data, for working on the waitlist without the other scenarios.
 */
const quick = process.argv.includes('--quick');

async function main(): Promise<void> {
  const dataDir = join(ROOT, '.data', 'bench-waitlist-postgres');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres(dataDir, () => undefined);
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const ds = await new DataSource(dataSourceOptions(databaseUrl, 8)).initialize();
  try {
    const report = await loadBenchData(ds, databaseUrl, quick);
    process.stdout.write(`loaded: ${JSON.stringify(report)}\n`);
    let day = addDays(clinicDateOf(new Date()), 3);
    while (weekdayOf(day) > 5) day = addDays(day, 1);
    const figures = await runWaitlistScenario(ds, databaseUrl, clinicInstant(day, '10:00')!, {
      entries: quick ? 300 : 2_000,
      cancellations: quick ? 20 : 200,
      connections: 8,
      ratePerSecond: 10,
    });
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    await ds.destroy();
    await embedded?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
