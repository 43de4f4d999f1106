import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { Actor } from '../common/actor';
import { InvalidInput, NotFound, RuleViolation } from '../common/problems';
import { ClosureEntity } from './closure.entity';
import { LocationHoursEntity } from './location-hours.entity';
import { LocationEntity } from './location.entity';
import { LocationsRepository, WeeklyHours } from './locations.repository';
import { ResourceKind } from './domain/resources';
import { ResourceEntity } from './resource.entity';

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

  async addResource(locationId: string, resource: { name: string; kind: ResourceKind; active?: boolean }, actor: Actor): Promise<ResourceEntity> {
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

  async listClosures(locationId: string, range: { from?: string; to?: string }): Promise<ClosureEntity[]> {
    if (range.from && range.to && range.from > range.to) throw InvalidInput.field('to', 'to must not be before from');
    await this.get(locationId);
    return this.locations.findClosures(locationId, range.from, range.to);
  }

  async addClosure(locationId: string, closure: { date: string; reason: string }, actor: Actor): Promise<ClosureEntity> {
    await this.get(locationId);
    return this.dataSource.transaction(async (manager) => {
      const created = await this.locations.insertClosure(manager, { locationId, ...closure });
      if (!created) {
        throw new RuleViolation(
          'one-closure-per-day',
          `Location ${locationId} is already closed on ${closure.date}; delete that closure to change its reason.`,
        );
      }
      await this.audit.record(manager, actor, 'location.closure.create', 'location', locationId, {
        date: created.date,
        reason: created.reason,
      });
      return created;
    });
  }

  async removeClosure(locationId: string, date: string, actor: Actor): Promise<void> {
    await this.get(locationId);
    await this.dataSource.transaction(async (manager) => {
      const removed = await this.locations.deleteClosure(manager, locationId, date);
      if (!removed) throw new NotFound('Closure', `${date} of location ${locationId}`);
      await this.audit.record(manager, actor, 'location.closure.delete', 'location', locationId, {
        date: removed.date,
        reason: removed.reason,
      });
    });
  }
}
