import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor, clinicScope } from '../common/actor';
import { InvalidInput, NotFound, RuleViolation } from '../common/problems';
import { LocationEntity } from './location.entity';
import { LocationsRepository, WeeklyHours } from './locations.repository';
import { ResourceKind } from './domain/resources';
import {
  ClosureResponse,
  LocationResponse,
  OpeningHoursDto,
  ResourceResponse,
  toClosureResponse,
  toLocationResponse,
  toOpeningHoursDto,
  toResourceResponse,
} from './dto/location.dto';

@Injectable()
export class LocationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locations: LocationsRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** A non-admin sees their own clinics only; without an actor (another module's own use), every clinic. */
  async list(actor?: Actor): Promise<LocationResponse[]> {
    const scope = actor && clinicScope(actor);
    return (await this.locations.findAll()).filter((location) => !scope || scope.includes(location.id)).map(toLocationResponse);
  }

  async get(id: string): Promise<LocationResponse> {
    return toLocationResponse(await this.findOrFail(id));
  }

  /** The clinic or a 404: for other modules given a clinic's id. */
  async findOrFail(id: string): Promise<LocationEntity> {
    const location = await this.locations.findById(id);
    if (!location) throw new NotFound('Location', id);
    return location;
  }

  /** The clinic, or null: for other modules checking an id they were given. */
  find(id: string): Promise<LocationEntity | null> {
    return this.locations.findById(id);
  }

  /** The ids among `ids` that name no clinic. */
  findUnknownIds(ids: string[]): Promise<string[]> {
    return this.locations.findUnknownIds(ids);
  }

  async listResources(locationId: string): Promise<ResourceResponse[]> {
    await this.findOrFail(locationId);
    return (await this.locations.findResources(locationId)).map(toResourceResponse);
  }

  async addResource(locationId: string, resource: { name: string; kind: ResourceKind; active?: boolean }, actor: Actor): Promise<ResourceResponse> {
    await this.findOrFail(locationId);
    const created = await this.dataSource.transaction(async (manager) => {
      const created = await this.locations.insertResource(manager, { locationId, active: true, ...resource });
      await this.audit.record(manager, actor, 'resource.create', 'resource', created.id, {
        locationId,
        kind: created.kind,
      });
      return created;
    });
    return toResourceResponse(created);
  }

  async getHours(locationId: string): Promise<OpeningHoursDto[]> {
    await this.findOrFail(locationId);
    return (await this.locations.findHours(locationId)).map(toOpeningHoursDto);
  }

  async replaceHours(locationId: string, hours: WeeklyHours[], actor: Actor): Promise<OpeningHoursDto[]> {
    await this.findOrFail(locationId);
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
    return (await this.locations.findHours(locationId)).map(toOpeningHoursDto);
  }

  async listClosures(locationId: string, range: { from?: string; to?: string }): Promise<ClosureResponse[]> {
    if (range.from && range.to && range.from > range.to) throw InvalidInput.field('to', 'to must not be before from');
    await this.findOrFail(locationId);
    return (await this.locations.findClosures(locationId, range.from, range.to)).map(toClosureResponse);
  }

  async addClosure(locationId: string, closure: { date: string; reason: string }, actor: Actor): Promise<ClosureResponse> {
    await this.findOrFail(locationId);
    const created = await this.dataSource.transaction(async (manager) => {
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
    return toClosureResponse(created);
  }

  async removeClosure(locationId: string, date: string, actor: Actor): Promise<void> {
    await this.findOrFail(locationId);
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
