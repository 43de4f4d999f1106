import { summarizeOffers } from './offer-summary';

const at = (minute: number) => new Date(Date.UTC(2027, 7, 2, 15, minute));

describe('summarizeOffers', () => {
  it('counts offers by outcome, fills per freed slot, and the median time from the slot freeing to a YES', () => {
    const slotA = { resourceId: 'chair-1', startsAt: at(600) };
    const slotB = { resourceId: 'chair-2', startsAt: at(600) };
    const slotC = { resourceId: 'chair-1', startsAt: at(900) };
    const sut = summarizeOffers([
      { ...slotA, status: 'declined', freedAt: at(0), respondedAt: at(3) },
      { ...slotA, status: 'accepted', freedAt: at(0), respondedAt: at(10) },
      { ...slotB, status: 'expired', freedAt: at(0), respondedAt: null },
      { ...slotB, status: 'accepted', freedAt: at(0), respondedAt: at(31) },
      { ...slotC, status: 'withdrawn', freedAt: at(5), respondedAt: null },
      { ...slotC, status: 'offered', freedAt: at(5), respondedAt: null },
    ]);
    expect(sut).toEqual({ offered: 6, accepted: 2, declined: 1, expired: 1, fillRate: 0.67, medianMinutesToFill: 20.5 });
  });

  it('is all zero, with no median, without offers', () => {
    expect(summarizeOffers([])).toEqual({ offered: 0, accepted: 0, declined: 0, expired: 0, fillRate: 0, medianMinutesToFill: null });
  });
});
