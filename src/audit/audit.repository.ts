import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/actor';
import { AuditLogEntity } from './audit-log.entity';

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  /** Return entries with an id below this one (the cursor of the previous page). */
  beforeId?: string;
  limit: number;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends one entry. Pass the transaction's manager so the entry commits (or rolls back) with the
   * change it records; `details` must not hold patient data.
   */
  async record(
    manager: EntityManager | undefined,
    actor: Actor,
    action: string,
    entityType: string,
    entityId: string | null,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, request_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [actor.id, actor.role, action, entityType, entityId, actor.requestId, details ? JSON.stringify(details) : null],
    );
  }

  /** Many entries at once (e.g. a read of a patient list). */
  async recordMany(manager: EntityManager | undefined, actor: Actor, action: string, entityType: string, entityIds: string[]): Promise<void> {
    if (entityIds.length === 0) return;
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, request_id)
       SELECT $1, $2, $3, $4, unnest($5::varchar[]), $6`,
      [actor.id, actor.role, action, entityType, entityIds, actor.requestId],
    );
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
