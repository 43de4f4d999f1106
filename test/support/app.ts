import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { bootstrap, createFastifyAdapter } from '../../src/bootstrap';
import { Clock, FixedClock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { DEMO_ACCOUNTS } from '../../src/seed/demo-seed';
import { Role, ROLES } from '../../src/staff/domain/roles';
import { createTestDatabase } from './database';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export type AuthHeader = { Authorization: string };

export interface TestApp {
  app: NestFastifyApplication;
  http: () => TestAgent;
  /** The app's own connection pool: the serving role, as the service runs. */
  dataSource: DataSource;
  databaseUrl: string;
  migrationUrl?: string;
  clock?: FixedClock;
  /** A bearer header for the demo account of that role. */
  auth(role: Role): Promise<AuthHeader>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Freeze time at this instant (the service reads time only through Clock). */
  now?: string;
  env?: Record<string, string>;
  /** Use this database instead of a fresh clone (e.g. two instances on one database). */
  databaseUrl?: string;
  /** Its owner's URL, to migrate with (with `databaseUrl`). */
  migrationUrl?: string;
}

/** The whole app over its own database, bootstrapped exactly as main.ts does. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database!.url;
  const migrationUrl = options.databaseUrl ? options.migrationUrl : database!.ownerUrl;
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    ...(migrationUrl ? { DATABASE_MIGRATION_URL: migrationUrl } : {}),
    JWT_SECRET: TEST_JWT_SECRET,
    DEMO_SEED: 'true',
    DEMO_SEED_FORCE: 'true',
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '10',
    SCHEDULER_ENABLED: 'false',
    // Test files log in once and may run for many minutes; the security tests shorten these.
    ACCESS_TOKEN_MINUTES: '240',
    IDLE_TIMEOUT_MINUTES: '240',
    MFA_REQUIRED_ROLES: 'none',
    ...options.env,
  });
  const clock = options.now ? new FixedClock(new Date(options.now)) : undefined;
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot({ config, databaseUrl, migrationUrl })] });
  if (clock) builder = builder.overrideProvider(Clock).useValue(clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config.trustProxy), { logger: false });
  await bootstrap(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  const tokens = new Map<Role, string>();
  const http = () => request(app.getHttpServer());
  return {
    app,
    http,
    dataSource: app.get(DataSource),
    databaseUrl,
    migrationUrl,
    clock,
    async auth(role: Role) {
      if (!tokens.has(role)) {
        const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
        const response = await http().post('/api/auth/login').send({ email: account.email, password: account.password });
        if (response.status !== 200) throw new Error(`login as ${role} failed: ${response.status} ${response.text}`);
        tokens.set(role, response.body.accessToken);
      }
      return { Authorization: `Bearer ${tokens.get(role)}` };
    },
    async close() {
      await app.close();
      await database?.drop();
    },
  };
}

/** The demo clinics, by code. */
export type ClinicCode = 'aurora' | 'louisville' | 'westminster';

/** What a test file works with: the app of `useTestApp`, filled in by its beforeAll. */
export interface TestContext {
  readonly app: NestFastifyApplication;
  readonly http: () => TestAgent;
  readonly dataSource: DataSource;
  readonly databaseUrl: string;
  /** The frozen clock (`now` was given). */
  readonly clock: FixedClock;
  /** A bearer header per role, each demo account logged in once. */
  readonly headers: Readonly<Record<Role, AuthHeader>>;
  /** The id of each demo clinic. */
  readonly locations: Readonly<Record<ClinicCode, string>>;
  auth(role: Role): Promise<AuthHeader>;
  /** Another instance of the service on the same database (as behind a load balancer), closed before this one unless closed first. */
  instance(options?: Omit<TestAppOptions, 'databaseUrl'>): Promise<TestApp>;
}

/**
 * The app for the tests of one describe block: created, with every role logged in, in a beforeAll,
 * and closed (its database dropped) in an afterAll. The context is empty until the beforeAll has run,
 * so read it inside hooks and tests only.
 */
export function useTestApp(options: Omit<TestAppOptions, 'databaseUrl'> = {}): TestContext {
  let current: { app: TestApp; headers: Record<Role, AuthHeader>; locations: Record<ClinicCode, string> } | undefined;
  const others = new Set<TestApp>();

  beforeAll(async () => {
    const app = await createTestApp(options);
    const headers = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await app.auth(role)]))) as Record<Role, AuthHeader>;
    const rows: Array<{ code: ClinicCode; id: string }> = await app.dataSource.query('SELECT code, id FROM locations');
    current = { app, headers, locations: Object.fromEntries(rows.map((row) => [row.code, row.id])) as Record<ClinicCode, string> };
  });

  afterAll(async () => {
    for (const other of others) await other.close();
    await current?.app.close();
    current = undefined;
  });

  const ready = () => {
    if (!current) throw new Error('useTestApp: the app exists only once its beforeAll has run (use it inside hooks and tests)');
    return current;
  };
  return {
    get app() {
      return ready().app.app;
    },
    get http() {
      return ready().app.http;
    },
    get dataSource() {
      return ready().app.dataSource;
    },
    get databaseUrl() {
      return ready().app.databaseUrl;
    },
    get clock() {
      const clock = ready().app.clock;
      if (!clock) throw new Error('useTestApp: give `now` to freeze the clock');
      return clock;
    },
    get headers() {
      return ready().headers;
    },
    get locations() {
      return ready().locations;
    },
    auth: (role) => ready().app.auth(role),
    async instance(instanceOptions = {}) {
      const other = await createTestApp({ ...instanceOptions, databaseUrl: ready().app.databaseUrl, migrationUrl: ready().app.migrationUrl });
      const close = other.close;
      others.add(other);
      other.close = async () => {
        if (!others.delete(other)) return;
        await close();
      };
      return other;
    },
  };
}
