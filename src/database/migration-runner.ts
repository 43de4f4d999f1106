import { DataSource } from 'typeorm';

/** Arbitrary constant: every instance takes the same advisory lock while migrating. */
export const MIGRATION_LOCK_KEY = 724_310_001;

/**
 * Runs pending migrations (then `afterwards`) while holding a session advisory lock, so that several
 * instances starting at once migrate one after another (the later ones find nothing to do).
 */
export async function runMigrationsUnderLock(dataSource: DataSource, afterwards?: (dataSource: DataSource) => Promise<void>): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    // Still under the lock: e.g. the grants to the serving role, so no instance serves before they exist.
    await afterwards?.(dataSource);
    return applied.map((migration) => migration.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}
