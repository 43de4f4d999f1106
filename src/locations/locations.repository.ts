import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ClosureEntity } from './closure.entity';
import { LocationHoursEntity } from './location-hours.entity';
import { LocationEntity } from './location.entity';
import { ResourceKind } from './domain/resources';
import { ResourceEntity } from './resource.entity';

export interface WeeklyHours {
  weekday: number;
  opens: string;
  closes: string;
}

@Injectable()
export class LocationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findAll(): Promise<LocationEntity[]> {
    return this.dataSource.getRepository(LocationEntity).find({ order: { name: 'ASC' } });
  }

  /** On the caller's transaction when given one (a second pool connection inside a transaction can exhaust the pool). */
  findById(id: string, manager?: EntityManager): Promise<LocationEntity | null> {
    return (manager ?? this.dataSource.manager).getRepository(LocationEntity).findOne({ where: { id } });
  }

  findByCode(code: string): Promise<LocationEntity | null> {
    return this.dataSource.getRepository(LocationEntity).findOne({ where: { code } });
  }

  /** Those of `ids` that are no location (for a 400 naming them). */
  async findUnknownIds(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT DISTINCT t.id FROM unnest($1::uuid[]) AS t(id) WHERE NOT EXISTS (SELECT 1 FROM locations l WHERE l.id = t.id)`,
      [ids],
    );
    return rows.map((row) => row.id);
  }

  findResources(locationId: string): Promise<ResourceEntity[]> {
    return this.dataSource.getRepository(ResourceEntity).find({ where: { locationId }, order: { kind: 'ASC', name: 'ASC' } });
  }

  findResourceById(id: string): Promise<ResourceEntity | null> {
    return this.dataSource.getRepository(ResourceEntity).findOne({ where: { id } });
  }

  findActiveResourcesOfKind(locationId: string, kind: ResourceKind): Promise<ResourceEntity[]> {
    return this.dataSource.getRepository(ResourceEntity).find({ where: { locationId, kind, active: true }, order: { name: 'ASC' } });
  }

  async insertResource(manager: EntityManager, resource: { locationId: string; name: string; kind: ResourceKind; active: boolean }): Promise<ResourceEntity> {
    return manager.getRepository(ResourceEntity).save(manager.getRepository(ResourceEntity).create(resource));
  }

  findHours(locationId: string): Promise<LocationHoursEntity[]> {
    return this.dataSource.getRepository(LocationHoursEntity).find({ where: { locationId }, order: { weekday: 'ASC' } });
  }

  /** Replaces the whole week in the caller's transaction. */
  async replaceHours(manager: EntityManager, locationId: string, hours: WeeklyHours[]): Promise<void> {
    await manager.query('DELETE FROM location_hours WHERE location_id = $1', [locationId]);
    if (hours.length === 0) return;
    await manager.query(
      `INSERT INTO location_hours (location_id, weekday, opens, closes)
       SELECT $1, w, o::time, c::time FROM unnest($2::int[], $3::text[], $4::text[]) AS t(w, o, c)`,
      [locationId, hours.map((h) => h.weekday), hours.map((h) => h.opens), hours.map((h) => h.closes)],
    );
  }

  /** A location's closures, by date; `from` and `to` are inclusive clinic-local dates. */
  findClosures(locationId: string, from?: string, to?: string): Promise<ClosureEntity[]> {
    const qb = this.dataSource.getRepository(ClosureEntity).createQueryBuilder('c').where('c.locationId = :locationId', { locationId });
    if (from) qb.andWhere('c.date >= :from', { from });
    if (to) qb.andWhere('c.date <= :to', { to });
    return qb.orderBy('c.date', 'ASC').getMany();
  }

  /** The closed dates (YYYY-MM-DD) of a location between two clinic-local dates, both inclusive. */
  async findClosedDates(locationId: string, fromDate: string, toDate: string): Promise<Set<string>> {
    const rows: Array<{ date: string }> = await this.dataSource.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM closures
       WHERE location_id = $1 AND date BETWEEN $2::date AND $3::date`,
      [locationId, fromDate, toDate],
    );
    return new Set(rows.map((row) => row.date));
  }

  /** Writes the settings given; the location as it is then. */
  async updateSettings(manager: EntityManager, id: string, changes: Partial<LocationEntity>): Promise<LocationEntity> {
    const repository = manager.getRepository(LocationEntity);
    await repository.update({ id }, changes);
    return repository.findOneOrFail({ where: { id } });
  }

  /** Undefined when the location is already closed on that date. */
  async insertClosure(manager: EntityManager, closure: { locationId: string; date: string; reason: string }): Promise<ClosureEntity | undefined> {
    const rows: Array<{ date: string; reason: string }> = await manager.query(
      `INSERT INTO closures (location_id, date, reason) VALUES ($1, $2::date, $3)
       ON CONFLICT (location_id, date) DO NOTHING
       RETURNING to_char(date, 'YYYY-MM-DD') AS date, reason`,
      [closure.locationId, closure.date, closure.reason],
    );
    return rows[0] ? { locationId: closure.locationId, ...rows[0] } : undefined;
  }

  /** The removed closure, or undefined when there was none on that date. */
  async deleteClosure(manager: EntityManager, locationId: string, date: string): Promise<ClosureEntity | undefined> {
    const [rows]: [Array<{ date: string; reason: string }>, number] = await manager.query(
      `DELETE FROM closures WHERE location_id = $1 AND date = $2::date
       RETURNING to_char(date, 'YYYY-MM-DD') AS date, reason`,
      [locationId, date],
    );
    return rows[0] ? { locationId, ...rows[0] } : undefined;
  }
}
