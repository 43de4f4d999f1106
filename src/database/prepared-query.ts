import { createHash } from 'node:crypto';
import { DatabaseError, type Pool, type PoolClient, type QueryResultRow } from 'pg';
import { EntityManager, QueryFailedError } from 'typeorm';

/** Statement names by text (a handful of texts: the hashing is done once each). */
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= 1_000) names.clear();
    name = `q${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a hot statement as a named prepared statement, so each connection parses and plans it once
 * instead of on every call (TypeORM sends every query unnamed). Inside a transaction it runs on the
 * transaction's connection; otherwise on a pooled one. Errors come back as TypeORM's QueryFailedError,
 * as from manager.query, so the problem filter and the retries treat them alike.
 */
export async function preparedQuery<T extends QueryResultRow>(manager: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const name = statementName(text);
  const runner = manager.queryRunner as unknown as { databaseConnection?: PoolClient; connect?: () => Promise<PoolClient> } | undefined;
  try {
    if (runner?.connect && manager.queryRunner?.isTransactionActive) {
      const client = await runner.connect();
      return (await client.query<T>({ name, text, values })).rows;
    }
    // Not pool.query: it destroys the connection on any error, and with it the statements prepared on
    // it. An error the server answered (a constraint, a rule's CL001) leaves the connection usable.
    const pool = (manager.connection.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    let broken: Error | undefined;
    // While checked out, a dropped connection is reported on the client (as pool.query listens for it).
    const onError = (error: Error) => (broken = error);
    client.once('error', onError);
    try {
      return (await client.query<T>({ name, text, values })).rows;
    } catch (error) {
      if (!(error instanceof DatabaseError)) broken ??= error as Error;
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  } catch (error) {
    if (error instanceof Error && 'code' in error) throw new QueryFailedError(text, values, error);
    throw error;
  }
}
