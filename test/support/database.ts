import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { prepareDatabase } from '../../src/database/database-roles';
import { seedDemoData } from '../../src/seed/demo-seed';

const TEMPLATE_LOCK_KEY = 724_319_999;

function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (global setup)');
  return url;
}

/** The database's URL as the superuser (`admin`), its owner or the serving role. */
export function databaseUrl(name: string, as: 'admin' | 'owner' | 'serving' = 'admin'): string {
  const base = as === 'admin' ? adminUrl() : as === 'owner' ? process.env.TEST_OWNER_DATABASE_URL : process.env.TEST_SERVING_DATABASE_URL;
  if (!base) throw new Error('the test database roles are not set up: run the tests through jest (global setup)');
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const templateName = () => `clinic_tpl_${process.env.TEST_RUN_ID}`;

/** Creates, migrates and demo-seeds the run's template database once, whichever worker gets there first. */
async function ensureTemplate(client: Client): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [templateName()]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${templateName()} OWNER clinic_owner`);
    await prepareDatabase({ servingUrl: databaseUrl(templateName(), 'serving'), migrationUrl: databaseUrl(templateName(), 'owner') });
    const dataSource = await new DataSource(dataSourceOptions(databaseUrl(templateName(), 'serving'), 2)).initialize();
    try {
      await seedDemoData(dataSource);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
  }
}

let counter = 0;

/**
 * A database of its own for one test file, cloned from the migrated template: `url` as the serving role
 * (what the app and the tests' own queries use), `ownerUrl` to migrate with.
 */
export async function createTestDatabase(): Promise<{ name: string; url: string; ownerUrl: string; drop: () => Promise<void> }> {
  const name = `clinic_t${process.pid}x${counter++}_${process.env.TEST_RUN_ID}`;
  await withAdminClient(async (client) => {
    await ensureTemplate(client);
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${templateName()} OWNER clinic_owner`);
  });
  return {
    name,
    url: databaseUrl(name, 'serving'),
    ownerUrl: databaseUrl(name, 'owner'),
    drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** An empty database (not from the template), for migration tests. */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `clinic_e${process.pid}x${counter++}_${process.env.TEST_RUN_ID}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: databaseUrl(name),
    drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
