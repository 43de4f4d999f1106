import type { OfferStatusWord } from './offer-status';

export interface OfferFacts {
  status: OfferStatusWord;
  resourceId: string;
  startsAt: Date;
  freedAt: Date;
  respondedAt: Date | null;
}

export interface OfferSummary {
  /** Offers made. */
  offered: number;
  accepted: number;
  declined: number;
  expired: number;
  /** Of the freed slots offered, the share that an offer filled (0 to 1, two decimals; 0 when none). */
  fillRate: number;
  /** From the slot being freed to the patient's YES, over filled slots; null when none was filled. */
  medianMinutesToFill: number | null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** What the waitlist achieved over a set of offers. */
export function summarizeOffers(offers: readonly OfferFacts[]): OfferSummary {
  const count = (status: OfferStatusWord) => offers.filter((o) => o.status === status).length;
  const slot = (o: OfferFacts) => `${o.resourceId}@${o.startsAt.getTime()}`;
  const slots = new Set(offers.map(slot));
  const accepted = offers.filter((o) => o.status === 'accepted' && o.respondedAt);
  const filled = new Set(accepted.map(slot));
  const minutes = median(accepted.map((o) => (o.respondedAt!.getTime() - o.freedAt.getTime()) / 60_000));
  return {
    offered: offers.length,
    accepted: count('accepted'),
    declined: count('declined'),
    expired: count('expired'),
    fillRate: slots.size ? Math.round((filled.size / slots.size) * 100) / 100 : 0,
    medianMinutesToFill: minutes === null ? null : Math.round(minutes * 10) / 10,
  };
}
