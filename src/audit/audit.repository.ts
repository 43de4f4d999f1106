import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/actor';
import type { SqlParams, StatementPart } from '../database/statement';
import { AuditLogEntity } from './audit-log.entity';

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  /** Return entries with an id below this one (the cursor of the previous page). */
  beforeId?: string;
  limit: number;
}

export interface NewAuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager | undefined, actor: Actor, entry: NewAuditEntry): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, request_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [actor.id, actor.role, entry.action, entry.entityType, entry.entityId, actor.requestId, entry.details ? JSON.stringify(entry.details) : null],
    );
  }

  async insertMany(
    manager: EntityManager | undefined,
    actor: Actor,
    action: string,
    entityType: string,
    entityIds: string[],
    details?: Record<string, unknown>,
  ): Promise<void> {
    if (entityIds.length === 0) return;
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, request_id, details)
       SELECT $1, $2, $3, $4, unnest($5::varchar[]), $6, $7`,
      [actor.id, actor.role, action, entityType, entityIds, actor.requestId, details ? JSON.stringify(details) : null],
    );
  }

  /** The INSERT … SELECT of one entry per row of another statement's CTE. */
  insertFromStatement(actor: Actor, entry: Omit<NewAuditEntry, 'entityId'>, source: { cte: string; idColumn: string }): StatementPart {
    return {
      sql: (p: SqlParams) =>
        `INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, request_id, details)
         SELECT ${p.add(actor.id, 'uuid')}, ${p.add(actor.role, 'varchar')}, ${p.add(entry.action, 'varchar')}, ${p.add(entry.entityType, 'varchar')},
                src.${source.idColumn}, ${p.add(actor.requestId, 'varchar')}, ${p.add(JSON.stringify(entry.details ?? {}), 'jsonb')}
           FROM ${source.cte} src`,
    };
  }

  findEntries(query: AuditQuery): Promise<AuditLogEntity[]> {
    const qb = this.dataSource.getRepository(AuditLogEntity).createQueryBuilder('a');
    if (query.entityType) qb.andWhere('a.entityType = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('a.entityId = :entityId', { entityId: query.entityId });
    if (query.actorId) qb.andWhere('a.actorId = :actorId', { actorId: query.actorId });
    if (query.beforeId) qb.andWhere('a.id < :beforeId', { beforeId: query.beforeId });
    return qb.orderBy('a.id', 'DESC').limit(query.limit).getMany();
  }
}
