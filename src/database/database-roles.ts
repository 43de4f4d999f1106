import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsUnderLock } from './migration-runner';

/**
 * Two database roles. The owner (DATABASE_MIGRATION_URL) owns the schema and runs the migrations. The
 * serving role (DATABASE_URL) only reads and writes rows: it cannot alter a table, disable a trigger, or
 * update, delete or truncate an audit entry, so not even the service itself can rewrite the audit trail.
 */
export const OWNER_ROLE = 'clinic_owner';
export const SERVING_ROLE = 'clinic_app';

/** Tables whose rows the serving role may add to but never change or remove. */
const APPEND_ONLY_TABLES = ['audit_log'];

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The role a postgres:// URL signs in as. */
export function roleOf(url: string): string {
  const user = decodeURIComponent(new URL(url).username);
  if (!user) throw new Error('the database URL must name its role (postgres://role:password@host/db)');
  return user;
}

/**
 * Run as the owner, after the migrations and under their lock: the serving role may use every table and
 * sequence for rows (SELECT, INSERT, UPDATE, DELETE), the audit log for INSERT and SELECT only, and the
 * migrations table for reading; it may create nothing. Run at every start, so tables added by new
 * migrations are covered.
 */
export async function grantServingRole(dataSource: DataSource, servingRole: string): Promise<void> {
  const role = quoteIdent(servingRole);
  await dataSource.transaction(async (manager) => {
    await manager.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await manager.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await manager.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    for (const table of APPEND_ONLY_TABLES) await manager.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${quoteIdent(table)} FROM ${role}`);
    // The job queue (graphile-worker's own schema, migrated by the owner): the serving role adds and works jobs.
    const [queue] = await manager.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'graphile_worker'`);
    if (queue) {
      await manager.query(`GRANT USAGE ON SCHEMA graphile_worker TO ${role}`);
      await manager.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA graphile_worker TO ${role}`);
      await manager.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA graphile_worker TO ${role}`);
      await manager.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA graphile_worker TO ${role}`);
      // graphile-worker keeps its tables behind row-level security (only their owner passes): let the serving role through.
      const guarded: Array<{ table: string }> = await manager.query(
        `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'graphile_worker' AND c.relkind = 'r' AND c.relrowsecurity
            AND NOT EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'graphile_worker' AND p.tablename = c.relname AND p.policyname = $1)`,
        [`serving_${servingRole}`],
      );
      for (const { table } of guarded) {
        await manager.query(
          `CREATE POLICY ${quoteIdent(`serving_${servingRole}`)} ON graphile_worker.${quoteIdent(table)} FOR ALL TO ${role} USING (true) WITH CHECK (true)`,
        );
      }
    }
    await manager.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM ${role}`);
    await manager.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
  });
}

/**
 * Migrates the database before the service uses it. With a migration URL: as the owner, then the grants
 * to the serving role; without one (a single role, as before): with the serving URL itself, and a
 * warning when that role could rewrite the audit trail.
 */
export async function prepareDatabase(urls: { servingUrl: string; migrationUrl?: string }, logger = new Logger('Database')): Promise<void> {
  const owner = new DataSource(dataSourceOptions(urls.migrationUrl ?? urls.servingUrl, 2));
  await owner.initialize();
  try {
    const serving = urls.migrationUrl ? roleOf(urls.servingUrl) : undefined;
    await runMigrationsUnderLock(owner, serving && serving !== roleOf(urls.migrationUrl!) ? (dataSource) => grantServingRole(dataSource, serving) : undefined);
    if (!serving) {
      const [row] = await owner.query(
        `SELECT r.rolsuper OR pg_has_role(current_user, c.relowner, 'MEMBER') AS privileged
           FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'audit_log'::regclass`,
      );
      if (row?.privileged) {
        logger.warn(
          'The service connects as a role that owns the tables (or a superuser): it could disable the audit trigger. Set DATABASE_MIGRATION_URL to the owner and DATABASE_URL to a serving role (README, Security).',
        );
      }
    }
  } finally {
    await owner.destroy();
  }
}

/**
 * The embedded server's roles, made (or their passwords renewed) at every start by its superuser: the
 * owner of the database and everything in it, and the serving role. Objects a superuser created before
 * (a data directory from an earlier version) are handed to the owner. Returns both URLs.
 */
export async function setUpEmbeddedRoles(
  superuserUrl: string,
  names: { owner: string; serving: string } = { owner: OWNER_ROLE, serving: SERVING_ROLE },
): Promise<{ ownerUrl: string; servingUrl: string }> {
  const url = new URL(superuserUrl);
  const database = url.pathname.slice(1);
  const OWNER = names.owner;
  const passwords: Record<string, string> = { [names.owner]: randomBytes(18).toString('base64url'), [names.serving]: randomBytes(18).toString('base64url') };
  const client = new Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    await ensureRoles(client, passwords);
    await client.query(`ALTER DATABASE ${quoteIdent(database)} OWNER TO ${OWNER}`);
    await client.query(`ALTER SCHEMA public OWNER TO ${OWNER}`);
    // Tables, sequences, views and functions a superuser made in public (an older data directory).
    await client.query(`
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) <> '${OWNER}'
                    AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
        LOOP
          EXECUTE format(CASE WHEN r.relkind = 'S' THEN 'ALTER SEQUENCE public.%I OWNER TO ${OWNER}' WHEN r.relkind IN ('v', 'm') THEN 'ALTER VIEW public.%I OWNER TO ${OWNER}' ELSE 'ALTER TABLE public.%I OWNER TO ${OWNER}' END, r.relname);
        END LOOP;
        FOR r IN SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '${OWNER}'
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        LOOP
          EXECUTE format('ALTER FUNCTION %s OWNER TO ${OWNER}', r.signature);
        END LOOP;
      END $$`);
  } finally {
    await client.end();
  }
  const withRole = (role: string) => {
    const roleUrl = new URL(superuserUrl);
    roleUrl.username = role;
    roleUrl.password = passwords[role];
    return roleUrl.toString();
  };
  return { ownerUrl: withRole(names.owner), servingUrl: withRole(names.serving) };
}

/** Creates the two roles if missing (concurrently safe) and sets their passwords. */
export async function ensureRoles(client: Client, passwords: Record<string, string>): Promise<void> {
  for (const [role, password] of Object.entries(passwords)) {
    await client.query(
      `DO $$ BEGIN CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
    );
    await client.query(`ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password.replace(/'/g, "''")}'`);
  }
}
