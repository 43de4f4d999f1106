import { Logger, runMigrations as runJobQueueMigrations } from 'graphile-worker';
import { DataSource } from 'typeorm';

/** Arbitrary constant: every instance takes the same advisory lock while migrating. */
export const MIGRATION_LOCK_KEY = 724_310_001;

/** graphile-worker reports each of its migrations; the service's own log says that migrations ran. */
const QUIET = new Logger(() => () => undefined);

/**
 * Runs pending migrations (ours, then the job queue's, then `afterwards`) while holding a session advisory
 * lock, so that several instances starting at once migrate one after another (the later ones find nothing to do).
 */
export async function runMigrationsUnderLock(dataSource: DataSource, afterwards?: (dataSource: DataSource) => Promise<void>): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    // The job queue's own schema (graphile_worker), versioned by graphile-worker itself.
    await runJobQueueMigrations({ connectionString: (dataSource.options as { url?: string }).url, maxPoolSize: 1, logger: QUIET });
    // Still under the lock: e.g. the grants to the serving role, so no instance serves before they exist.
    await afterwards?.(dataSource);
    return applied.map((migration) => migration.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}
