import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrationsUnderLock } from '../src/database/migration-runner';
import { createEmptyDatabase } from './support/database';

describe('migrations', () => {
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await createEmptyDatabase();
  });

  afterAll(() => database.drop());

  it('run once even when several instances start together, and leave the schema the entities describe', async () => {
    const sources = await Promise.all([1, 2, 3].map(() => new DataSource(dataSourceOptions(database.url, 2)).initialize()));
    try {
      const applied = await Promise.all(sources.map((source) => runMigrationsUnderLock(source)));
      const total = applied.flat();
      expect(new Set(total).size).toBe(total.length);
      expect(total.length).toBeGreaterThan(0);

      const { rows } = { rows: await sources[0].query(`SELECT extname FROM pg_extension WHERE extname = 'btree_gist'`) };
      expect(rows).toHaveLength(1);

      // What `npm run migration:generate` would write: nothing.
      const pending = await sources[0].driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
    }
  });

  it('revert cleanly and apply again', async () => {
    const source = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
    try {
      const count = source.migrations.length;
      for (let i = 0; i < count; i++) await source.undoLastMigration({ transaction: 'each' });
      const [{ tables }] = await source.query(
        `SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
      );
      expect(tables).toBe(0);
      await runMigrationsUnderLock(source);
      expect((await source.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await source.destroy();
    }
  });
});
