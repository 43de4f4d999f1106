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
import { Role } from '../../src/staff/domain/roles';
import { createTestDatabase } from './database';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  http: () => TestAgent;
  dataSource: DataSource;
  databaseUrl: string;
  clock?: FixedClock;
  /** A bearer header for the demo account of that role. */
  auth(role: Role): Promise<{ Authorization: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Freeze time at this instant (the service reads time only through Clock). */
  now?: string;
  env?: Record<string, string>;
  /** Use this database instead of a fresh clone (e.g. two instances on one database). */
  databaseUrl?: string;
}

/** The whole app over its own database, bootstrapped exactly as main.ts does. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database!.url;
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    DEMO_SEED: 'true',
    DEMO_SEED_FORCE: 'true',
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '10',
    SCHEDULER_ENABLED: 'false',
    ...options.env,
  });
  const clock = options.now ? new FixedClock(new Date(options.now)) : undefined;
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot({ config, databaseUrl })] });
  if (clock) builder = builder.overrideProvider(Clock).useValue(clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), { logger: false });
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
