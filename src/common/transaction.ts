import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

/** Deadlock, serialization failure, and a booking whose resource a concurrent booking took (CL001). */
const RETRYABLE = new Set(['40P01', '40001', 'CL001']);

function codeOf(error: unknown): string | undefined {
  return error instanceof QueryFailedError ? (error.driverError as { code?: string })?.code : (error as { code?: string })?.code;
}

/**
 * One transaction; a deadlock or serialization failure (which PostgreSQL resolves by aborting one
 * side), or a booking that lost its resource to a concurrent one, is retried a few times with a short
 * jittered pause: the next attempt reads the calendar afresh and decides again.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, attempts = 4): Promise<T> {
  return withRetries(() => dataSource.transaction(work), attempts);
}

/**
 * Runs `work` again (a few times) when it fails in a retryable way. A deadlock or serialization failure
 * waits a short jittered pause first, so the two sides don't collide again. A lost resource (CL001) is
 * retried at once: the booking that took it has committed (the insert waited for it), so a fresh read
 * sees it, and a pause would only add to the loser's latency.
 */
export async function withRetries<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = codeOf(error);
      if (attempt >= attempts || code === undefined || !RETRYABLE.has(code)) throw error;
      if (code !== 'CL001') await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

/** Runs `work` inside a savepoint: a false result or an error rolls back only what it did. */
export async function withSavepoint<T>(manager: EntityManager, name: string, work: () => Promise<T | false>): Promise<T | false> {
  await manager.query(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    await manager.query(result === false ? `ROLLBACK TO SAVEPOINT ${name}` : `RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await manager.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    throw error;
  }
}
