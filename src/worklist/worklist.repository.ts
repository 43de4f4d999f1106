import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../database/returned-rows';
import type { WorklistKind } from './domain/worklist-kinds';
import { WorklistItemEntity } from './worklist-item.entity';

export interface NewWorklistItem {
  kind: WorklistKind;
  locationId: string;
  appointmentId?: string | null;
  patientId?: string | null;
  detail: string;
  dedupeKey?: string | null;
}

@Injectable()
export class WorklistRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds the item unless the same one (its dedupe key) is open already; the id of the new item, if any. */
  async insert(manager: EntityManager, item: NewWorklistItem): Promise<string | undefined> {
    const [row] = await manager.query(
      `INSERT INTO worklist_items (kind, location_id, appointment_id, patient_id, detail, dedupe_key)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (dedupe_key) WHERE done_at IS NULL AND dedupe_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [item.kind, item.locationId, item.appointmentId ?? null, item.patientId ?? null, item.detail, item.dedupeKey ?? null],
    );
    return row?.id;
  }

  /** A clinic's items, oldest first: the open ones, or those done, from `after` (an item id) on. */
  findForLocation(locationId: string, filter: { done: boolean; afterId?: string; limit: number }): Promise<WorklistItemEntity[]> {
    const qb = this.dataSource
      .getRepository(WorklistItemEntity)
      .createQueryBuilder('w')
      .where('w.locationId = :locationId', { locationId })
      .andWhere(filter.done ? 'w.doneAt IS NOT NULL' : 'w.doneAt IS NULL');
    if (filter.afterId) {
      qb.andWhere('(w.createdAt, w.id) > (SELECT x.created_at, x.id FROM worklist_items x WHERE x.id = :afterId)', { afterId: filter.afterId });
    }
    return qb.orderBy('w.createdAt', 'ASC').addOrderBy('w.id', 'ASC').limit(filter.limit).getMany();
  }

  findById(id: string, manager?: EntityManager): Promise<WorklistItemEntity | null> {
    return (manager ?? this.dataSource.manager).getRepository(WorklistItemEntity).findOne({ where: { id } });
  }

  /** Marks an open item done; undefined when it is not open (done already, or no such item). */
  async markDone(manager: EntityManager, id: string, staffId: string | null, resolution: string): Promise<WorklistItemEntity | undefined> {
    const result = await manager.query(
      `UPDATE worklist_items SET done_at = now(), done_by = $2, resolution = $3 WHERE id = $1 AND done_at IS NULL RETURNING id`,
      [id, staffId, resolution],
    );
    if (returnedRows(result).length === 0) return undefined;
    return (await this.findById(id, manager)) ?? undefined;
  }

  /** Resolves the appointment's open items of these kinds (the appointment moved or was cancelled); their ids. */
  async resolveForAppointment(manager: EntityManager, appointmentId: string, kinds: readonly WorklistKind[], resolution: string): Promise<string[]> {
    const result = await manager.query(
      `UPDATE worklist_items SET done_at = now(), resolution = $3
        WHERE appointment_id = $1 AND kind = ANY($2::varchar[]) AND done_at IS NULL
        RETURNING id`,
      [appointmentId, kinds, resolution],
    );
    return returnedRows<{ id: string }>(result).map((r) => r.id);
  }
}
