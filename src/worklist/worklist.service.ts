import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { DEFAULT_PAGE_LIMIT, Page, pageOf } from '../common/paging';
import { NotFound, RuleViolation } from '../common/problems';
import { LocationsService } from '../locations/locations.service';
import type { WorklistKind } from './domain/worklist-kinds';
import { toWorklistItemResponse, WorklistItemResponse, WorklistQueryDto } from './dto/worklist.dto';
import { NewWorklistItem, WorklistRepository } from './worklist.repository';

/**
 * The front desk's worklist. Other modules put items on it inside their own transaction (`add`) and take
 * them off when what they are about goes away (`resolveForAppointment`); staff read and mark them done.
 */
@Injectable()
export class WorklistService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly items: WorklistRepository,
    private readonly locations: LocationsService,
    private readonly audit: AuditTrail,
  ) {}

  /** Lists the item (unless the same one is open: its dedupe key) in the caller's transaction; its id when new. */
  add(manager: EntityManager, item: NewWorklistItem): Promise<string | undefined> {
    return this.items.insert(manager, item);
  }

  /** Done by the service: the appointment these items are about was moved or cancelled. */
  resolveForAppointment(manager: EntityManager, appointmentId: string, kinds: readonly WorklistKind[], resolution: string): Promise<string[]> {
    return this.items.resolveForAppointment(manager, appointmentId, kinds, resolution);
  }

  async list(query: WorklistQueryDto, actor: Actor): Promise<Page<WorklistItemResponse>> {
    await this.locations.findOrFail(query.locationId);
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const rows = await this.items.findForLocation(query.locationId, { done: query.status === 'done', afterId: query.cursor, limit });
    // Items name patients (by id): reading them is reading patient data.
    await this.audit.record(undefined, actor, 'worklist.read', 'location', query.locationId, { status: query.status ?? 'open', count: rows.length });
    return pageOf(rows.map(toWorklistItemResponse), limit, (last) => last.id);
  }

  async markDone(id: string, resolution: string | undefined, actor: Actor): Promise<WorklistItemResponse> {
    const done = await this.dataSource.transaction(async (manager) => {
      const item = await this.items.findById(id, manager);
      if (!item) throw new NotFound('Worklist item', id);
      const updated = await this.items.markDone(manager, id, actor.id, resolution ?? 'done');
      if (!updated) throw new RuleViolation('status', 'This worklist item is done already.');
      await this.audit.record(manager, actor, 'worklist.done', 'worklist_item', id, {
        kind: updated.kind,
        locationId: updated.locationId,
        ...(updated.appointmentId ? { appointmentId: updated.appointmentId } : {}),
      });
      return updated;
    });
    return toWorklistItemResponse(done);
  }
}
