import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../database/returned-rows';
import { CalendarFeedEntity } from './calendar-feed.entity';
import type { FeedScope } from './domain/feed-scope';

const COLUMNS = `id, scope, target_id AS "targetId", token_hash AS "tokenHash", created_by AS "createdBy", created_at AS "createdAt", revoked_at AS "revokedAt"`;

@Injectable()
export class CalendarFeedsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    feed: { scope: FeedScope; targetId: string; tokenHash: string; createdBy: string | null; createdAt: Date },
  ): Promise<CalendarFeedEntity> {
    const [row] = await manager.query(
      `INSERT INTO calendar_feeds (scope, target_id, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [feed.scope, feed.targetId, feed.tokenHash, feed.createdBy, feed.createdAt],
    );
    return row;
  }

  /** The live feed a token opens (by its hash). */
  async findLiveByTokenHash(tokenHash: string): Promise<CalendarFeedEntity | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL`, [tokenHash]);
    return row;
  }

  async findLive(id: string): Promise<CalendarFeedEntity | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM calendar_feeds WHERE id = $1 AND revoked_at IS NULL`, [id]);
    return row;
  }

  /** Live feeds, newest first: someone's own, or (createdBy undefined) everyone's. */
  findLiveFeeds(createdBy?: string): Promise<CalendarFeedEntity[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM calendar_feeds WHERE revoked_at IS NULL AND ($1::uuid IS NULL OR created_by = $1) ORDER BY created_at DESC, id`,
      [createdBy ?? null],
    );
  }

  async revoke(manager: EntityManager, id: string, at: Date): Promise<boolean> {
    const result = await manager.query(`UPDATE calendar_feeds SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id`, [id, at]);
    return returnedRows(result).length > 0;
  }
}
