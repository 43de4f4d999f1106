import { Injectable } from '@nestjs/common';
import type { Bundle, Slot } from '@medplum/fhirtypes';
import { AvailabilityService } from '../appointments/availability.service';
import { BookingService } from '../appointments/booking.service';
import { APPOINTMENT_TYPES, type AppointmentType } from '../appointments/domain/vocabulary';
import { toClinicIso } from '../common/clinic-time';
import { DomainError, InvalidInput, NotFound } from '../common/problems';
import { searchBundle } from './domain/bundle';
import { APPOINTMENT_TYPE_SYSTEM } from './domain/codes';
import { PROVIDER_TYPES, toFhirSlot, typesServedBy } from './domain/resources';
import { boundedWindow, RawQuery, SearchParams } from './domain/search-params';
import { parseSlotId, slotIdOf } from './domain/slot-id';
import { FhirDirectoryService, ScheduleOwner } from './fhir-directory.service';

/** FHIR Slot read and search: computed by the booking rules (free) and from the calendar (busy), never stored. */
@Injectable()
export class FhirSlotsService {
  constructor(
    private readonly directory: FhirDirectoryService,
    private readonly availability: AvailabilityService,
    private readonly booking: BookingService,
  ) {}

  /** A slot this server named, as it is now: a free start taken since is answered by its busy slot (or 404 when another start holds it). */
  async readSlot(id: string): Promise<Slot> {
    const key = parseSlotId(id);
    if (!key) throw new NotFound('Slot', id);
    const owner = await this.directory.scheduleOwner(key.scheduleId).catch(() => undefined);
    if (!owner) throw new NotFound('Slot', id);
    const window = { from: key.start, to: new Date(key.start.getTime() + 60_000) };
    if (key.status === 'free') {
      const [free] = await this.freeSlots(owner, key.scheduleId, key.type, window);
      if (free) return free;
    }
    const busy = (await this.busySlots(owner, key.scheduleId, window)).find((slot) => new Date(slot.start!).getTime() === key.start.getTime());
    if (busy) return busy;
    throw new DomainError(404, 'Not Found', `Slot ${id} is no longer ${key.status}`);
  }

  /**
   * A schedule's slots starting in a window of at most 31 days: `free` ones are the starts at which a booking
   * of `service-type` would succeed now (the availability the rules compute), `busy` ones what the resource
   * (or provider) already holds. Without `status`, both (free ones only with a service type).
   */
  async searchSlots(query: RawQuery, self: string): Promise<Bundle<Slot>> {
    const params = new SearchParams(query, ['schedule', 'start', 'status', 'service-type']);
    const scheduleId = params.reference('schedule', 'Schedule');
    if (!scheduleId) throw InvalidInput.field('schedule', 'schedule is required: Schedule/<id>');
    const window = boundedWindow(params.dateSpan('start'), 'start', 'start');
    const statuses = params.all('status').flatMap((s) => s.split(','));
    if (statuses.some((s) => s !== 'free' && s !== 'busy')) throw InvalidInput.field('status', 'status must be free or busy');
    const types = params.token('service-type', APPOINTMENT_TYPE_SYSTEM, APPOINTMENT_TYPES);
    if (types.length > 1) throw InvalidInput.field('service-type', 'give one service-type');
    const [type] = types;
    const wantsFree = statuses.length === 0 ? type !== undefined : statuses.includes('free');
    const wantsBusy = statuses.length === 0 || statuses.includes('busy');
    if (wantsFree && !type) throw InvalidInput.field('service-type', 'free slots need a service-type: how long a slot is depends on the appointment type');

    const owner = await this.directory.scheduleOwner(scheduleId);
    const slots = [
      ...(wantsFree ? await this.freeSlots(owner, scheduleId, type!, window) : []),
      ...(wantsBusy ? await this.busySlots(owner, scheduleId, window) : []),
    ].sort((a, b) => a.start!.localeCompare(b.start!));
    return searchBundle(this.directory.base, self, slots);
  }

  private served(owner: ScheduleOwner): AppointmentType[] {
    return 'provider' in owner ? PROVIDER_TYPES : typesServedBy(owner.resource.kind);
  }

  private async freeSlots(owner: ScheduleOwner, scheduleId: string, type: AppointmentType, window: { from: Date; to: Date }): Promise<Slot[]> {
    if (!this.served(owner).includes(type)) throw InvalidInput.field('service-type', `this schedule offers no ${type} appointments`);
    const found =
      'provider' in owner
        ? (
            await Promise.all(
              owner.provider.locationIds.map((locationId) => this.availability.find({ type, locationId, ...window, providerId: owner.provider.id })),
            )
          ).flat()
        : await this.availability.find({ type, locationId: owner.resource.locationId, ...window, resourceId: owner.resource.id });
    return found.map((slot) =>
      toFhirSlot({
        id: slotIdOf({ scheduleId, status: 'free', type, start: slot.startsAt }),
        scheduleId,
        status: 'free',
        start: toClinicIso(slot.startsAt),
        end: toClinicIso(slot.endsAt),
        type,
      }),
    );
  }

  private async busySlots(owner: ScheduleOwner, scheduleId: string, window: { from: Date; to: Date }): Promise<Slot[]> {
    const locationIds = 'provider' in owner ? owner.provider.locationIds : [owner.resource.locationId];
    const held = new Map<number, Date>();
    for (const locationId of locationIds) {
      const calendar = await this.booking.calendar(undefined, {
        locationId,
        span: { start: window.from, end: window.to },
        needs: { shifts: false, observations: false, providerVisits: 'provider' in owner },
      });
      const busy = 'provider' in owner ? calendar.providerBusy.get(owner.provider.id) : calendar.resourceBusy.get(owner.resource.id);
      for (const interval of busy ?? []) if (interval.start >= window.from && interval.start < window.to) held.set(interval.start.getTime(), interval.end);
    }
    return [...held.entries()].map(([start, end]) =>
      toFhirSlot({
        id: slotIdOf({ scheduleId, status: 'busy', start: new Date(start) }),
        scheduleId,
        status: 'busy',
        start: toClinicIso(new Date(start)),
        end: toClinicIso(end),
      }),
    );
  }
}
