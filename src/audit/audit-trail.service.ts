import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/actor';
import type { StatementPart } from '../database/statement';
import { DEFAULT_PAGE_LIMIT, Page, pageOf } from '../common/paging';
import { AuditRepository } from './audit.repository';
import { AuditEntryResponse, AuditQueryDto, toAuditEntryResponse } from './dto/audit.dto';

/**
 * The audit module's surface: every module records who read or changed what through it, in the same
 * transaction as the change (pass the transaction's manager). `details` never hold patient data beyond ids.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly entries: AuditRepository) {}

  /** Outside the Nest container (the command-line tools): the trail over a data source of their own. */
  static over(dataSource: DataSource): AuditTrail {
    return new AuditTrail(new AuditRepository(dataSource));
  }

  record(
    manager: EntityManager | undefined,
    actor: Actor,
    action: string,
    entityType: string,
    entityId: string | null,
    details?: Record<string, unknown>,
  ): Promise<void> {
    return this.entries.insert(manager, actor, { action, entityType, entityId, details });
  }

  /** One entry per id (e.g. a read of a list of patients), each with the same details. */
  recordMany(
    manager: EntityManager | undefined,
    actor: Actor,
    action: string,
    entityType: string,
    entityIds: string[],
    details?: Record<string, unknown>,
  ): Promise<void> {
    return this.entries.insertMany(manager, actor, action, entityType, entityIds, details);
  }

  /**
   * The entry as a part of another module's statement, for a row that statement inserts: `source` names the
   * CTE and `idColumn` the column of the entity's id (a booking's entry is written by the booking's INSERT).
   */
  entryFor(actor: Actor, action: string, entityType: string, source: { cte: string; idColumn: string }, details: Record<string, unknown>): StatementPart {
    return this.entries.insertFromStatement(actor, { action, entityType, details }, source);
  }

  /** A page of the log, newest first. Reading the log is itself an entry: who looked at what. */
  async read(query: AuditQueryDto, actor: Actor): Promise<Page<AuditEntryResponse>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const entries = await this.entries.findEntries({
      entityType: query.entityType,
      entityId: query.entityId,
      actorId: query.actorId,
      beforeId: query.cursor,
      limit,
    });
    await this.entries.insert(undefined, actor, {
      action: 'audit.read',
      entityType: 'audit_log',
      entityId: null,
      details: { entityType: query.entityType ?? null, entityId: query.entityId ?? null, actorId: query.actorId ?? null, count: entries.length },
    });
    return pageOf(entries.map(toAuditEntryResponse), limit, (last) => last.id);
  }
}
