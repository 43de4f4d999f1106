import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/**
 * A session-level advisory lock on a connection of its own (outside the pool), kept while the instance
 * runs: the instance holding it runs a schedule. When the instance stops or the connection is lost, the
 * lock goes with it and another instance takes it on its next try.
 */
export class LeaderLock {
  private connection?: Client;

  constructor(
    private readonly databaseUrl: string | undefined,
    private readonly key: number,
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  get held(): boolean {
    return this.connection !== undefined;
  }

  /** Takes the lock when it is free, or checks that the connection holding it is still alive. */
  async hold(): Promise<boolean> {
    if (this.connection) {
      try {
        await this.connection.query('SELECT 1');
        return true;
      } catch {
        await this.release();
      }
    }
    const connection = new Client({ connectionString: this.databaseUrl, application_name: 'clinic-scheduler-lock' });
    // A lost connection is noticed on the next try; this only keeps the error from crashing the process.
    connection.on('error', () => undefined);
    try {
      await connection.connect();
      const { rows } = await connection.query('SELECT pg_try_advisory_lock($1) AS locked', [this.key]);
      if (rows[0].locked) {
        this.connection = connection;
        this.logger.log({ msg: `this instance now runs ${this.what}` });
        return true;
      }
    } catch (error) {
      this.logger.warn({ msg: `could not try the lock of ${this.what}`, error: (error as Error)?.message });
    }
    await connection.end().catch(() => undefined);
    return false;
  }

  /** Ending the session releases its advisory locks. */
  async release(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.end().catch(() => undefined);
  }
}
