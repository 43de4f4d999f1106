import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { EntityManager, QueryFailedError } from 'typeorm';

/**
 * Runs a hot statement as a named prepared statement, so each connection parses and plans it once
 * instead of on every call (TypeORM sends every query unnamed). Inside a transaction it runs on the
 * transaction's connection; otherwise on a pooled one. Errors come back as TypeORM's QueryFailedError,
 * as from manager.query, so the problem filter and the retries treat them alike.
 */
export async function preparedQuery<T extends QueryResultRow>(manager: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const name = `q${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  const runner = manager.queryRunner as unknown as { databaseConnection?: PoolClient; connect?: () => Promise<PoolClient> } | undefined;
  try {
    if (runner?.connect && manager.queryRunner?.isTransactionActive) {
      const client = await runner.connect();
      return (await client.query<T>({ name, text, values })).rows;
    }
    const pool = (manager.connection.driver as unknown as { master: Pool }).master;
    return (await pool.query<T>({ name, text, values })).rows;
  } catch (error) {
    if (error instanceof Error && 'code' in error) throw new QueryFailedError(text, values, error);
    throw error;
  }
}
