import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { prepareDatabase, setUpEmbeddedRoles } from '../src/database/database-roles';
import { dataSourceOptions } from '../src/database/data-source-options';
import { useTestApp } from './support/app';
import { createEmptyDatabase } from './support/database';

const refusedCode = (promise: Promise<unknown>) =>
  promise.then(
    () => 'allowed',
    (error: { driverError?: { code?: string }; code?: string; message: string }) => `${error.driverError?.code ?? error.code}: ${error.message}`,
  );

/** The service serves as a role that reads and writes rows and cannot touch the schema or the audit trail. */
describe('least-privilege database roles', () => {
  const t = useTestApp();

  it('serves as clinic_app, not a superuser and not the owner of any table', async () => {
    const [row] = await t.dataSource.query(
      `SELECT current_user AS role, r.rolsuper AS superuser, (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS owned
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(row).toEqual({ role: 'clinic_app', superuser: false, owned: 0 });
  });

  it('gets permission denied for ALTER TABLE audit_log DISABLE TRIGGER ALL, and for changing or removing audit rows', async () => {
    await t.http().post('/api/auth/login').set('x-request-id', 'roles-login').send({ email: 'nurse@demo.clinic', password: 'demo-nurse' }).expect(200);
    const [entry] = await t.dataSource.query(`SELECT id FROM audit_log WHERE request_id = 'roles-login'`);
    expect(entry).toBeDefined();
    const outcomes = {
      disableTrigger: await refusedCode(t.dataSource.query('ALTER TABLE audit_log DISABLE TRIGGER ALL')),
      update: await refusedCode(t.dataSource.query(`UPDATE audit_log SET action = 'tampered' WHERE id = $1`, [entry.id])),
      delete: await refusedCode(t.dataSource.query('DELETE FROM audit_log WHERE id = $1', [entry.id])),
      truncate: await refusedCode(t.dataSource.query('TRUNCATE audit_log')),
      dropTrigger: await refusedCode(t.dataSource.query('DROP TRIGGER audit_log_no_update_delete ON audit_log')),
      alterTable: await refusedCode(t.dataSource.query('ALTER TABLE patients ADD COLUMN note text')),
      createTable: await refusedCode(t.dataSource.query('CREATE TABLE sneaky (id int)')),
      rewriteMigrations: await refusedCode(t.dataSource.query(`DELETE FROM migrations`)),
      sessionReplicationRole: await refusedCode(t.dataSource.query(`SET session_replication_role = replica`)),
    };
    expect(outcomes.disableTrigger).toMatch(/^42501: (permission denied|must be owner)/);
    for (const [what, outcome] of Object.entries(outcomes)) expect([what, outcome]).toEqual([what, expect.stringMatching(/^42501: /)]);
    const [still] = await t.dataSource.query('SELECT action FROM audit_log WHERE id = $1', [entry.id]);
    expect(still.action).toBe('auth.login');
  });

  it('reads and writes rows through the API as before (and adds audit entries)', async () => {
    const [{ before }] = await t.dataSource.query('SELECT count(*)::int AS before FROM audit_log');
    await t.http().get('/api/patients').query({ search: 'Test' }).set(t.headers.admin).expect(200);
    await t
      .http()
      .post('/api/staff')
      .set(t.headers.admin)
      .send({ name: 'Role Check', email: 'role-check@test.clinic', role: 'nurse', locationIds: [] })
      .expect(201);
    const [{ after }] = await t.dataSource.query('SELECT count(*)::int AS after FROM audit_log');
    expect(after).toBeGreaterThan(before);
  });
});

describe('the embedded database sets up both roles itself', () => {
  it('hands an existing database to a new owner role, migrates as it, and serves as a role without its powers', async () => {
    const database = await createEmptyDatabase();
    const suffix = randomBytes(4).toString('hex');
    const names = { owner: `test_owner_${suffix}`, serving: `test_app_${suffix}` };
    try {
      // A table a superuser made earlier (a data directory from before the roles existed).
      const admin = new Client({ connectionString: database.url });
      await admin.connect();
      await admin.query('CREATE TABLE legacy_notes (id serial PRIMARY KEY)');
      await admin.end();

      const { ownerUrl, servingUrl } = await setUpEmbeddedRoles(database.url, names);
      await prepareDatabase({ servingUrl, migrationUrl: ownerUrl });
      const serving = await new DataSource(dataSourceOptions(servingUrl, 1)).initialize();
      try {
        const [{ owner }] = await serving.query(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'legacy_notes'`);
        expect(owner).toBe(names.owner);
        const [{ tables }] = await serving.query(`SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public' AND tableowner = $1`, [
          names.owner,
        ]);
        expect(tables).toBeGreaterThan(20);
        await serving.query(`INSERT INTO audit_log (actor_role, action, entity_type) VALUES ('system', 'test', 'test')`);
        expect(await refusedCode(serving.query('ALTER TABLE audit_log DISABLE TRIGGER ALL'))).toMatch(/^42501: /);
        expect(await refusedCode(serving.query('DELETE FROM audit_log'))).toMatch(/^42501: /);
      } finally {
        await serving.destroy();
      }
    } finally {
      await database.drop();
      const admin = new Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP ROLE IF EXISTS ${names.serving}`);
      await admin.query(`DROP ROLE IF EXISTS ${names.owner}`);
      await admin.end();
    }
  });
});
