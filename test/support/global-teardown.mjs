import pg from 'pg';

export default async function globalTeardown() {
  const server = globalThis.__EMBEDDED_PG__;
  if (server) {
    await server.stop();
    return;
  }
  // A shared server: drop what this run created.
  const client = new pg.Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
  await client.connect();
  const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`clinic_%_${process.env.TEST_RUN_ID}%`]);
  for (const { datname } of rows) {
    await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await client.end();
}
