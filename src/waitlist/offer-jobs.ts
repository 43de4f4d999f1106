import type { Booked } from '../appointments/booking.service';
import type { LocationEntity } from '../locations/location.entity';
import { WAITLIST_TYPES, WaitlistType } from './domain/offer-status';
import type { WaitlistOfferEntity } from './waitlist-offer.entity';

/* The words of the waitlist's offer jobs: their tasks, their payload, and what an offer's text needs (WaitlistOffers). */

/** No offer for a start less than this far away: the patient needs time to come. */
export const MIN_OFFER_LEAD_MINUTES = 120;
export const OFFER_SLOT_TASK = 'waitlist:offer-slot';
export const EXPIRE_OFFER_TASK = 'waitlist:expire-offer';
/** Entries judged per round trip while looking for the one a slot fits. */
export const CANDIDATE_PAGE = 25;

/** Rules that refuse the slot for anyone, not only for one patient: no other entry need be tried. */
export const SLOT_WIDE_RULES = new Set([
  'start-in-past',
  'clinic-closed',
  'outside-opening-hours',
  'resource-overlap',
  'no-resource-available',
  'nurse-capacity',
  'prescriber-on-site',
  'booking-horizon',
]);

/** A freed slot as its job carries it (instants as ISO text). */
export interface FreedSlotJob {
  locationId: string;
  type: WaitlistType;
  resourceId: string;
  startsAt: string;
  freedAt: string;
  sourceAppointmentId: string | null;
  /** The patient who freed it: not offered their own slot back. */
  freedBy: string | null;
}

/** What a patient's answer to an offer did, and the text that answers it. */
export interface OfferAnswer {
  outcome: string;
  body?: string;
  booked?: Booked;
}

/** An offer to text: one just made carries the patient's phone and the clinic read while making it; an open one found has neither. */
export interface OfferToSend {
  offer: Pick<WaitlistOfferEntity, 'id' | 'patientId' | 'locationId' | 'startsAt' | 'expiresAt'>;
  known?: { phone: string; location: LocationEntity };
}

export const slotJobKey = (slot: Pick<FreedSlotJob, 'resourceId' | 'startsAt'>) => `offer-slot:${slot.resourceId}:${new Date(slot.startsAt).toISOString()}`;
export const isWaitlistType = (type: string): type is WaitlistType => (WAITLIST_TYPES as readonly string[]).includes(type);
