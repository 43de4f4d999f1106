/** What became of an offer: open (`offered`), taken, passed on, unanswered, or withdrawn by the service. */
export const OFFER_STATUSES = ['offered', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export type OfferStatusWord = (typeof OFFER_STATUSES)[number];

/** The appointment types a waitlist can hold: treatments, whose slots are a resource (chair, device, suite). */
export const WAITLIST_TYPES = ['spravato', 'ketamine', 'tms', 'ect'] as const;
export type WaitlistType = (typeof WAITLIST_TYPES)[number];
