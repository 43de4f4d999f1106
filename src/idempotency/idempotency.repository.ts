import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface StoredKey {
  scope: string;
  requestHash: string;
  statusCode: number | null;
  response: unknown;
}

/** How long a first request may stay unfinished before a retry with the same key may take over. */
const IN_PROGRESS_TTL = "interval '2 minutes'";
const KEEP_FOR = "interval '24 hours'";

@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims the key for this request. Returns undefined when it is ours to process, or what is stored
   * under it. A concurrent claim of the same key waits on the primary key until the first commits.
   */
  async claim(actorId: string, key: string, scope: string, requestHash: string): Promise<StoredKey | undefined> {
    const [row] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (actor_id, key, scope, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (actor_id, key) DO UPDATE
         SET scope = EXCLUDED.scope, request_hash = EXCLUDED.request_hash, status_code = NULL, response = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - ${KEEP_FOR}
            OR (idempotency_keys.status_code IS NULL AND idempotency_keys.created_at < now() - ${IN_PROGRESS_TTL})
       RETURNING key`,
      [actorId, key, scope, requestHash],
    );
    if (row) return undefined;
    const [stored] = await this.dataSource.query(
      `SELECT scope, request_hash AS "requestHash", status_code AS "statusCode", response FROM idempotency_keys WHERE actor_id = $1 AND key = $2`,
      [actorId, key],
    );
    return stored;
  }

  async complete(actorId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.dataSource.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE actor_id = $1 AND key = $2', [
      actorId,
      key,
      statusCode,
      JSON.stringify(response ?? null),
    ]);
  }

  /** The request failed in a way worth retrying (bad input, server error): the key is free again. */
  async release(actorId: string, key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM idempotency_keys WHERE actor_id = $1 AND key = $2 AND status_code IS NULL', [actorId, key]);
  }

  async deleteExpired(): Promise<number> {
    const result = await this.dataSource.query(`DELETE FROM idempotency_keys WHERE created_at < now() - ${KEEP_FOR}`);
    return result[1] ?? 0;
  }
}
