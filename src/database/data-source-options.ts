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
      // Only named prepared statements are affected (see prepared-query.ts): plan them once per connection.
      options: '-c plan_cache_mode=force_generic_plan',
    },
  };
}
