import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { LocationHoursEntity } from './location-hours.entity';
import { LocationEntity } from './location.entity';
import { ResourceEntity, ResourceKind } from './resource.entity';

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

  findById(id: string): Promise<LocationEntity | null> {
    return this.dataSource.getRepository(LocationEntity).findOne({ where: { id } });
  }

  findByCode(code: string): Promise<LocationEntity | null> {
    return this.dataSource.getRepository(LocationEntity).findOne({ where: { code } });
  }

  findResources(locationId: string): Promise<ResourceEntity[]> {
    return this.dataSource
      .getRepository(ResourceEntity)
      .find({ where: { locationId }, order: { kind: 'ASC', name: 'ASC' } });
  }

  findResourceById(id: string): Promise<ResourceEntity | null> {
    return this.dataSource.getRepository(ResourceEntity).findOne({ where: { id } });
  }

  findActiveResourcesOfKind(locationId: string, kind: ResourceKind): Promise<ResourceEntity[]> {
    return this.dataSource
      .getRepository(ResourceEntity)
      .find({ where: { locationId, kind, active: true }, order: { name: 'ASC' } });
  }

  async insertResource(
    manager: EntityManager,
    resource: { locationId: string; name: string; kind: ResourceKind; active: boolean },
  ): Promise<ResourceEntity> {
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
}
