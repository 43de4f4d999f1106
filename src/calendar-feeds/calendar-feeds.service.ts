import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppointmentLookup, HeldTime } from '../appointments/appointment-lookup.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { CLINIC_ZONE, toClinicIso } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { Forbidden, InvalidInput, NotFound } from '../common/problems';
import { AppConfig } from '../config/app-config';
import type { LocationEntity } from '../locations/location.entity';
import { LocationsService } from '../locations/locations.service';
import { StaffService } from '../staff/staff.service';
import { CalendarFeedEntity } from './calendar-feed.entity';
import { CalendarFeedsRepository } from './calendar-feeds.repository';
import { FEED_DAYS_AHEAD, FEED_DAYS_BACK, FeedEvent, renderFeed } from './domain/feed-calendar';
import { hashFeedToken, newFeedToken, tokenOfFileName } from './domain/feed-token';
import { CalendarFeedResponse, CreateCalendarFeedDto, CreatedCalendarFeedResponse, toCalendarFeedResponse } from './dto/calendar-feed.dto';

type Clinic = Pick<LocationEntity, 'id' | 'name' | 'address'>;

const DAY_MS = 86_400_000;
const where = (clinic: Clinic) => `${clinic.name}, ${clinic.address}`;

/**
 * Calendar feeds for people's calendar apps: a staff member's shifts and visits, a resource's bookings, or
 * a clinic's. Events name the resource (as configured) and the clinic, never a patient or a treatment.
 */
@Injectable()
export class CalendarFeedsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly feeds: CalendarFeedsRepository,
    private readonly locations: LocationsService,
    private readonly staff: StaffService,
    private readonly appointments: AppointmentLookup,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Anyone's own feed; an admin's for anyone. A resource's or a clinic's for any staff member. */
  async create(dto: CreateCalendarFeedDto, actor: Actor): Promise<CreatedCalendarFeedResponse> {
    if (dto.scope === 'staff' && dto.id !== actor.id && actor.role !== 'admin')
      throw new Forbidden('A staff calendar feed is for yourself, unless you are an admin.');
    await this.target(dto.scope, dto.id);
    const token = newFeedToken();
    const feed = await this.dataSource.transaction(async (manager) => {
      const feed = await this.feeds.insert(manager, {
        scope: dto.scope,
        targetId: dto.id,
        tokenHash: hashFeedToken(token),
        createdBy: actor.id,
        createdAt: this.clock.now(),
      });
      await this.audit.record(manager, actor, 'calendar-feed.create', 'calendar_feed', feed.id, { scope: dto.scope, targetId: dto.id });
      return feed;
    });
    return { ...toCalendarFeedResponse(feed), url: `${this.config.publicBaseUrl}/ical/${token}.ics` };
  }

  /** Your live feeds (an admin: everyone's); their URLs cannot be shown again. */
  async list(actor: Actor): Promise<CalendarFeedResponse[]> {
    return (await this.feeds.findLiveFeeds(actor.role === 'admin' ? undefined : actor.id!)).map(toCalendarFeedResponse);
  }

  /** Its URL answers 404 from now on. Your own feeds; an admin's any. */
  async revoke(id: string, actor: Actor): Promise<void> {
    const feed = await this.feeds.findLive(id);
    if (!feed || (feed.createdBy !== actor.id && actor.role !== 'admin')) throw new NotFound('Calendar feed', id);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.feeds.revoke(manager, id, this.clock.now()))) throw new NotFound('Calendar feed', id);
      await this.audit.record(manager, actor, 'calendar-feed.revoke', 'calendar_feed', id, { scope: feed.scope, targetId: feed.targetId });
    });
  }

  /** The iCalendar text a feed's URL answers with: events from 30 days back to 180 days ahead. */
  async render(file: string): Promise<string> {
    const token = tokenOfFileName(file);
    const feed = token ? await this.feeds.findLiveByTokenHash(hashFeedToken(token)) : undefined;
    if (!feed) throw new NotFound('Calendar feed', 'at this address');
    const now = this.clock.now();
    const span = { start: new Date(now.getTime() - FEED_DAYS_BACK * DAY_MS), end: new Date(now.getTime() + FEED_DAYS_AHEAD * DAY_MS) };
    const { name, events } = await this.contents(feed, span).catch((error) => {
      // The staff member, resource or clinic is gone: the feed with it.
      if (error instanceof NotFound || error instanceof InvalidInput) throw new NotFound('Calendar feed', 'at this address');
      throw error;
    });
    return renderFeed({ name, zone: CLINIC_ZONE, stamp: now, events });
  }

  private async contents(feed: CalendarFeedEntity, span: { start: Date; end: Date }): Promise<{ name: string; events: FeedEvent[] }> {
    const target = await this.target(feed.scope, feed.targetId);
    const clinics = new Map((await this.locations.list()).map((clinic) => [clinic.id, clinic]));
    const resourceNames = new Map<string, string>();
    for (const clinic of clinics.values()) for (const resource of await this.locations.listResources(clinic.id)) resourceNames.set(resource.id, resource.name);
    const held = (times: HeldTime[]): FeedEvent[] =>
      times.map((time) => {
        const clinic = clinics.get(time.locationId)!;
        const what = time.resourceId ? (resourceNames.get(time.resourceId) ?? 'Resource') : 'Appointment';
        return {
          uid: `${time.appointmentId}-${time.resourceId ?? 'visit'}@clinic-scheduler`,
          start: new Date(time.startsAt),
          end: new Date(time.endsAt),
          summary: `${what} · ${clinic.name}`,
          location: where(clinic),
        };
      });

    switch (feed.scope) {
      case 'location':
        return { name: target.name, events: held(await this.appointments.heldTimes({ locationId: feed.targetId }, span)) };
      case 'resource':
        return { name: target.name, events: held(await this.appointments.heldTimes({ resourceId: feed.targetId }, span)) };
      case 'staff': {
        const shifts = await this.staff.listShifts(feed.targetId, { from: toClinicIso(span.start), to: toClinicIso(span.end) });
        const onShift: FeedEvent[] = shifts.map((shift) => {
          const clinic = clinics.get(shift.locationId)!;
          return {
            uid: `shift-${shift.id}@clinic-scheduler`,
            start: new Date(shift.startsAt),
            end: new Date(shift.endsAt),
            summary: `On shift · ${clinic.name}`,
            location: where(clinic),
          };
        });
        const visits = held(await this.appointments.heldTimes({ providerId: feed.targetId }, span));
        return { name: target.name, events: [...onShift, ...visits].sort((a, b) => a.start.getTime() - b.start.getTime()) };
      }
    }
  }

  /** The feed's subject, checked to exist (400 naming `id` when it does not); its name titles the calendar. */
  private async target(scope: CreateCalendarFeedDto['scope'], id: string): Promise<{ name: string }> {
    if (scope === 'staff') {
      const person = await this.staff.findOrFail(id).catch(() => undefined);
      if (!person) throw InvalidInput.field('id', 'no staff member has this id');
      return { name: `${person.name}: shifts and visits` };
    }
    if (scope === 'location') {
      const clinic = await this.locations.find(id);
      if (!clinic) throw InvalidInput.field('id', 'no clinic has this id');
      return { name: clinic.name };
    }
    for (const clinic of await this.locations.list()) {
      const resource = (await this.locations.listResources(clinic.id)).find((r) => r.id === id);
      if (resource) return { name: `${resource.name} · ${clinic.name}` };
    }
    throw InvalidInput.field('id', 'no resource has this id');
  }
}
