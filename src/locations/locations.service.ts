import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { Actor } from '../common/actor';
import { InvalidInput, NotFound } from '../common/problems';
import { LocationHoursEntity } from './location-hours.entity';
import { LocationEntity } from './location.entity';
import { LocationsRepository, WeeklyHours } from './locations.repository';
import { ResourceEntity, ResourceKind } from './resource.entity';

@Injectable()
export class LocationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locations: LocationsRepository,
    private readonly audit: AuditRepository,
  ) {}

  list(): Promise<LocationEntity[]> {
    return this.locations.findAll();
  }

  async get(id: string): Promise<LocationEntity> {
    const location = await this.locations.findById(id);
    if (!location) throw new NotFound('Location', id);
    return location;
  }

  async listResources(locationId: string): Promise<ResourceEntity[]> {
    await this.get(locationId);
    return this.locations.findResources(locationId);
  }

  async addResource(
    locationId: string,
    resource: { name: string; kind: ResourceKind; active?: boolean },
    actor: Actor,
  ): Promise<ResourceEntity> {
    await this.get(locationId);
    return this.dataSource.transaction(async (manager) => {
      const created = await this.locations.insertResource(manager, { locationId, active: true, ...resource });
      await this.audit.record(manager, actor, 'resource.create', 'resource', created.id, {
        locationId,
        kind: created.kind,
      });
      return created;
    });
  }

  async getHours(locationId: string): Promise<LocationHoursEntity[]> {
    await this.get(locationId);
    return this.locations.findHours(locationId);
  }

  async replaceHours(locationId: string, hours: WeeklyHours[], actor: Actor): Promise<LocationHoursEntity[]> {
    await this.get(locationId);
    const errors = hours.flatMap((h, i) => {
      const problems = [];
      if (h.opens >= h.closes) problems.push({ field: `[${i}].closes`, message: 'closes must be after opens' });
      if (hours.findIndex((other) => other.weekday === h.weekday) !== i) {
        problems.push({ field: `[${i}].weekday`, message: 'each weekday may appear once' });
      }
      return problems;
    });
    if (errors.length) throw new InvalidInput(errors);
    await this.dataSource.transaction(async (manager) => {
      await this.locations.replaceHours(manager, locationId, hours);
      await this.audit.record(manager, actor, 'location.hours.replace', 'location', locationId, { hours });
    });
    return this.locations.findHours(locationId);
  }
}
