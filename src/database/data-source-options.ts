import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Compiled: dist/migrations/*.js; under ts-jest/swc or ts tooling: migrations/*.ts. */
export const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', '*{.ts,.js}');

export function dataSourceOptions(url: string, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: 'clinic-scheduler',
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5_000,
      // A statement that runs longer than this is a bug or a stuck lock: fail it rather than hang.
      statement_timeout: 15_000,
      idle_in_transaction_session_timeout: 30_000,
      // Named prepared statements (prepared-query.ts) are planned once per connection. This applies to every
      // statement with parameters, unnamed ones too (PostgreSQL plans them through the same plan cache), so a
      // plan that depends on a bound value is planned without it: claims write their LIMIT (batch-limit.ts).
      options: '-c plan_cache_mode=force_generic_plan',
    },
  };
}

/** The name of the read connection (`@InjectDataSource(READ_CONNECTION)`): reports only. */
export const READ_CONNECTION = 'read';

/**
 * The connection reports read through: DATABASE_READ_URL (a replica), or the primary when unset. Raw SQL
 * only (no entities), and read-only at the session level, so a report can never write even on the primary.
 * Availability and booking never use it: a lagging replica would list slots that booking then refuses.
 */
export function readDataSourceOptions(url: string, poolSize = 4): DataSourceOptions {
  // `name`: @nestjs/typeorm finds a named data source by the name in its options (shutdown closes it
  // through that), which TypeORM 1's option types no longer declare.
  return {
    name: READ_CONNECTION,
    type: 'postgres',
    url,
    entities: [],
    synchronize: false,
    migrationsRun: false,
    applicationName: 'clinic-scheduler-read',
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5_000,
      statement_timeout: 15_000,
      // No JIT: a report's estimated cost triggers it, and compiling took longer than some whole reports (EXPLAIN in BENCHMARKS.md).
      options: '-c default_transaction_read_only=on -c jit=off',
    },
  } as DataSourceOptions;
}
