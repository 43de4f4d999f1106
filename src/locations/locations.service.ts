import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor, clinicScope } from '../common/actor';
import { addDays, clinicDateOf, toClinicIso } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { FieldError, InvalidInput, NotFound, RuleViolation } from '../common/problems';
import { ClosureEvents } from './closure-events';
import { clinicHolidays, holidayOn } from './domain/holidays';
import { LocationEntity } from './location.entity';
import { LocationsRepository, WeeklyHours } from './locations.repository';
import { ResourceKind } from './domain/resources';
import {
  ClosureResponse,
  CreatedClosureResponse,
  LocationResponse,
  LocationSettingsResponse,
  toLocationSettingsResponse,
  UpdateLocationSettingsDto,
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
    private readonly closureEvents: ClosureEvents,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** A non-admin sees their own clinics only; without an actor (another module's own use), every clinic. */
  async list(actor?: Actor): Promise<LocationResponse[]> {
    const scope = actor && clinicScope(actor);
    return (await this.locations.findAll()).filter((location) => !scope || scope.includes(location.id)).map(toLocationResponse);
  }

  async get(id: string): Promise<LocationResponse> {
    return toLocationResponse(await this.findOrFail(id));
  }

  /** The clinic or a 404: for other modules given a clinic's id (on their transaction when they pass its manager). */
  async findOrFail(id: string, manager?: EntityManager): Promise<LocationEntity> {
    const location = await this.locations.findById(id, manager);
    if (!location) throw new NotFound('Location', id);
    return location;
  }

  /** The clinic, or null: for other modules checking an id they were given. */
  find(id: string, manager?: EntityManager): Promise<LocationEntity | null> {
    return this.locations.findById(id, manager);
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

  /**
   * Closes the clinic on a day. Appointments already booked that day are answered with (and put on the
   * worklist, their texts held, by the appointments module) until each is moved or cancelled.
   */
  async addClosure(locationId: string, closure: { date: string; reason: string }, actor: Actor): Promise<CreatedClosureResponse> {
    await this.findOrFail(locationId);
    const { created, affected } = await this.dataSource.transaction(async (manager) => {
      const created = await this.locations.insertClosure(manager, { locationId, ...closure });
      if (!created) {
        throw new RuleViolation(
          'one-closure-per-day',
          `Location ${locationId} is already closed on ${closure.date}; delete that closure to change its reason.`,
        );
      }
      const affected = await this.closureEvents.added(manager, { locationId, date: created.date, reason: created.reason }, actor);
      await this.audit.record(manager, actor, 'location.closure.create', 'location', locationId, {
        date: created.date,
        reason: created.reason,
        affectedAppointments: affected.length,
      });
      return { created, affected };
    });
    return {
      ...toClosureResponse(created),
      affectedAppointments: affected.map((a) => ({ appointmentId: a.appointmentId, patientId: a.patientId, startsAt: toClinicIso(a.startsAt), type: a.type })),
    };
  }

  async removeClosure(locationId: string, date: string, actor: Actor): Promise<void> {
    await this.findOrFail(locationId);
    await this.dataSource.transaction(async (manager) => {
      const removed = await this.locations.deleteClosure(manager, locationId, date);
      if (!removed) throw new NotFound('Closure', `${date} of location ${locationId}`);
      await this.closureEvents.removed(manager, { locationId, date: removed.date, reason: removed.reason }, actor);
      await this.audit.record(manager, actor, 'location.closure.delete', 'location', locationId, {
        date: removed.date,
        reason: removed.reason,
      });
    });
  }

  /** The clinic's settings, and the public holidays of the next 12 months (open or closed). */
  async getSettings(locationId: string): Promise<LocationSettingsResponse> {
    return toLocationSettingsResponse(await this.findOrFail(locationId), this.upcomingHolidays());
  }

  /** Changes the settings given (admin); the audit entry names the fields that changed. */
  async updateSettings(locationId: string, dto: UpdateLocationSettingsDto, actor: Actor): Promise<LocationSettingsResponse> {
    const current = await this.findOrFail(locationId);
    const errors: FieldError[] = [];
    const min = dto.ketamineBoosterMinWeeks ?? current.ketamineBoosterMinWeeks;
    const max = dto.ketamineBoosterMaxWeeks ?? current.ketamineBoosterMaxWeeks;
    if (min > max) errors.push({ field: 'ketamineBoosterMaxWeeks', message: `must not be fewer than ketamineBoosterMinWeeks (${min})` });
    const notHolidays = (dto.holidayOpenings ?? []).filter((date) => !holidayOn(date));
    if (notHolidays.length) errors.push({ field: 'holidayOpenings', message: `not a public holiday the clinics close on: ${notHolidays.join(', ')}` });
    if (errors.length) throw new InvalidInput(errors);
    const changes = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as Partial<UpdateLocationSettingsDto>;
    if (changes.holidayOpenings) changes.holidayOpenings = [...new Set(changes.holidayOpenings)].sort();
    if (Object.keys(changes).length === 0) throw InvalidInput.field('body', 'give at least one setting to change');
    const updated = await this.dataSource.transaction(async (manager) => {
      const updated = await this.locations.updateSettings(manager, locationId, changes);
      await this.audit.record(manager, actor, 'location.settings.update', 'location', locationId, { fields: Object.keys(changes), ...changes });
      return updated;
    });
    return toLocationSettingsResponse(updated, this.upcomingHolidays());
  }

  private upcomingHolidays(): Array<{ date: string; name: string }> {
    const today = clinicDateOf(this.clock.now());
    const until = addDays(today, 366);
    const years = [Number(today.slice(0, 4)), Number(today.slice(0, 4)) + 1];
    return years.flatMap((year) => clinicHolidays(year)).filter((h) => h.date >= today && h.date <= until);
  }
}
