import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  DEFAULT_REMINDER_POLICY,
  isAllowedSendingTime,
  latestAllowedAtOrBefore,
  earliestAllowedAtOrAfter,
  offsetBefore,
  planReminders,
  PlanInput,
} from './reminder-planner';

const zone = 'America/Denver';
/** A local wall time in Denver, as an instant (the offset given explicitly). */
const mdt = (local: string) => new Date(`${local}-06:00`);
const mst = (local: string) => new Date(`${local}-07:00`);

function plan(input: Omit<PlanInput, 'zone' | 'change'> & Partial<Pick<PlanInput, 'change'>>) {
  return planReminders({ zone, change: 'booked', ...input }).map((r) => ({ kind: r.kind, sendAt: r.sendAt.toISOString(), dailyKey: r.dailyKey }));
}

describe('quiet hours (08:00–20:00 patient-local)', () => {
  it('keeps an allowed time and moves a quiet one to the latest allowed minute before it', () => {
    const sut = (d: Date) => latestAllowedAtOrBefore(d, zone, DEFAULT_REMINDER_POLICY).toISOString();
    expect(sut(mdt('2027-08-03T08:00:00'))).toBe(mdt('2027-08-03T08:00:00').toISOString());
    expect(sut(mdt('2027-08-03T19:59:00'))).toBe(mdt('2027-08-03T19:59:00').toISOString());
    expect(sut(mdt('2027-08-03T20:00:00'))).toBe(mdt('2027-08-03T19:59:00').toISOString());
    expect(sut(mdt('2027-08-03T23:30:00'))).toBe(mdt('2027-08-03T19:59:00').toISOString());
    expect(sut(mdt('2027-08-03T07:59:00'))).toBe(mdt('2027-08-02T19:59:00').toISOString());
    expect(sut(mdt('2027-08-03T00:10:00'))).toBe(mdt('2027-08-02T19:59:00').toISOString());
  });

  it('allows sending from 08:00 until before 20:00', () => {
    const sut = (d: Date) => isAllowedSendingTime(d, zone, DEFAULT_REMINDER_POLICY);
    expect([sut(mdt('2027-08-03T07:59:59')), sut(mdt('2027-08-03T08:00:00')), sut(mdt('2027-08-03T19:59:59')), sut(mdt('2027-08-03T20:00:00'))]).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('moves a quiet confirmation to the first allowed minute after it', () => {
    const sut = (d: Date) => earliestAllowedAtOrAfter(d, zone, DEFAULT_REMINDER_POLICY).toISOString();
    expect(sut(mdt('2027-08-03T12:00:00'))).toBe(mdt('2027-08-03T12:00:00').toISOString());
    expect(sut(mdt('2027-08-03T21:00:00'))).toBe(mdt('2027-08-04T08:00:00').toISOString());
    expect(sut(mdt('2027-08-03T06:00:00'))).toBe(mdt('2027-08-03T08:00:00').toISOString());
  });

  it('uses the local offset of the day across DST: 19:59 the evening before is MDT after spring forward, MST after fall back', () => {
    // 2027-03-14 spring forward: the Sunday evening is already MDT.
    expect(latestAllowedAtOrBefore(mdt('2027-03-15T07:00:00'), zone, DEFAULT_REMINDER_POLICY).toISOString()).toBe('2027-03-15T01:59:00.000Z');
    // 2027-11-07 fall back: the Sunday evening is MST.
    expect(latestAllowedAtOrBefore(mst('2027-11-08T07:00:00'), zone, DEFAULT_REMINDER_POLICY).toISOString()).toBe('2027-11-08T02:59:00.000Z');
  });
});

describe('offsets before the start', () => {
  it('counts whole days on the local calendar: 48 h before 09:00 is 09:00 two days before, across DST too', () => {
    expect(offsetBefore(mdt('2027-08-04T09:00:00'), 48, zone).toISOString()).toBe(mdt('2027-08-02T09:00:00').toISOString());
    // Spring forward (14 March 2027) lies between: 47 elapsed hours, same wall time.
    expect(offsetBefore(mdt('2027-03-15T09:00:00'), 48, zone).toISOString()).toBe(mst('2027-03-13T09:00:00').toISOString());
    // Fall back (7 November 2027): 49 elapsed hours, same wall time.
    expect(offsetBefore(mst('2027-11-08T09:00:00'), 48, zone).toISOString()).toBe(mdt('2027-11-06T09:00:00').toISOString());
    expect(offsetBefore(mdt('2027-08-04T09:00:00'), 2, zone).toISOString()).toBe(mdt('2027-08-04T07:00:00').toISOString());
    expect(offsetBefore(mdt('2027-08-04T09:00:00'), 26, zone).toISOString()).toBe(mdt('2027-08-03T07:00:00').toISOString());
  });
});

describe('planReminders', () => {
  const now = mdt('2027-07-30T12:00:00'); // a Friday

  it('plans the confirmation now, 48 h and 2 h before, and the ride-home text the evening before (Spravato)', () => {
    expect(plan({ type: 'spravato', startsAt: mdt('2027-08-04T10:00:00'), now })).toEqual([
      { kind: 'confirmation', sendAt: mdt('2027-07-30T12:00:00').toISOString(), dailyKey: null },
      { kind: '48h', sendAt: mdt('2027-08-02T10:00:00').toISOString(), dailyKey: null },
      { kind: 'evening_before', sendAt: mdt('2027-08-03T18:00:00').toISOString(), dailyKey: null },
      { kind: '2h', sendAt: mdt('2027-08-04T08:00:00').toISOString(), dailyKey: null },
    ]);
  });

  it('plans no confirmation for a patient who opted back in (resumed), and no quiet hour after it either', () => {
    expect(plan({ type: 'spravato', startsAt: mdt('2027-08-02T10:00:00'), now: mdt('2027-07-31T09:30:00'), change: 'resumed' })).toEqual([
      { kind: '48h', sendAt: mdt('2027-07-31T10:00:00').toISOString(), dailyKey: null },
      { kind: 'evening_before', sendAt: mdt('2027-08-01T18:00:00').toISOString(), dailyKey: null },
      { kind: '2h', sendAt: mdt('2027-08-02T08:00:00').toISOString(), dailyKey: null },
    ]);
  });

  it('plans the evening-before text for ketamine and ECT, not for TMS or visits', () => {
    const kinds = (type: PlanInput['type']) => plan({ type, startsAt: mdt('2027-08-04T14:00:00'), now }).map((r) => r.kind);
    expect(kinds('ketamine')).toEqual(['confirmation', '48h', 'evening_before', '2h']);
    expect(kinds('ect')).toEqual(['confirmation', '48h', 'evening_before', '2h']);
    expect(kinds('tms')).toEqual(['confirmation', '48h', '2h']);
    expect(kinds('follow_up')).toEqual(['confirmation', '48h', '2h']);
  });

  it('moves a 2 h reminder of a 09:00 visit to 19:59 the evening before', () => {
    expect(plan({ type: 'follow_up', startsAt: mdt('2027-08-03T09:00:00'), now })).toEqual([
      { kind: 'confirmation', sendAt: now.toISOString(), dailyKey: null },
      { kind: '48h', sendAt: mdt('2027-08-01T09:00:00').toISOString(), dailyKey: null },
      { kind: '2h', sendAt: mdt('2027-08-02T19:59:00').toISOString(), dailyKey: null },
    ]);
  });

  it('keeps one reminder a day: an early ECT gets the fasting text the evening before, not also the moved 2 h one', () => {
    expect(plan({ type: 'ect', startsAt: mdt('2027-08-03T07:30:00'), now })).toEqual([
      { kind: 'confirmation', sendAt: now.toISOString(), dailyKey: null },
      // 48 h before 07:30 is quiet: the latest allowed minute before it, two evenings before.
      { kind: '48h', sendAt: mdt('2027-07-31T19:59:00').toISOString(), dailyKey: null },
      { kind: 'evening_before', sendAt: mdt('2027-08-02T18:00:00').toISOString(), dailyKey: null },
    ]);
  });

  it('does not plan reminders whose time has passed, but always the confirmation', () => {
    expect(plan({ type: 'follow_up', startsAt: mdt('2027-08-03T15:00:00'), now: mdt('2027-08-02T11:00:00') })).toEqual([
      { kind: 'confirmation', sendAt: mdt('2027-08-02T11:00:00').toISOString(), dailyKey: null },
      { kind: '2h', sendAt: mdt('2027-08-03T13:00:00').toISOString(), dailyKey: null },
    ]);
    // The evening before has passed too; moving a reminder earlier never brings it back.
    expect(plan({ type: 'spravato', startsAt: mdt('2027-08-03T09:00:00'), now: mdt('2027-08-02T20:30:00') }).map((r) => r.kind)).toEqual(['confirmation']);
  });

  it('sends no reminder within the hour after the confirmation', () => {
    expect(plan({ type: 'follow_up', startsAt: mdt('2027-08-02T12:30:00'), now: mdt('2027-08-02T10:00:00') }).map((r) => r.kind)).toEqual(['confirmation']);
    expect(plan({ type: 'follow_up', startsAt: mdt('2027-08-02T13:00:00'), now: mdt('2027-08-02T10:00:00') }).map((r) => r.kind)).toEqual([
      'confirmation',
      '2h',
    ]);
  });

  it('holds a confirmation booked in quiet hours until 08:00, and drops it when the appointment comes first', () => {
    expect(plan({ type: 'follow_up', startsAt: mdt('2027-08-04T10:00:00'), now: mdt('2027-08-02T21:00:00') })).toEqual([
      { kind: 'confirmation', sendAt: mdt('2027-08-03T08:00:00').toISOString(), dailyKey: null },
      { kind: '2h', sendAt: mdt('2027-08-04T08:00:00').toISOString(), dailyKey: null },
    ]);
    expect(plan({ type: 'ect', startsAt: mdt('2027-08-03T07:30:00'), now: mdt('2027-08-02T22:00:00') })).toEqual([]);
  });

  it('never plans a text at or after the start', () => {
    expect(plan({ type: 'tms', startsAt: mdt('2027-08-02T07:45:00'), now: mdt('2027-08-02T07:00:00') })).toEqual([]);
  });

  it('gives a TMS patient at most one text a day, the confirmation first, each keyed by its local date', () => {
    expect(plan({ type: 'tms', startsAt: mdt('2027-08-02T15:00:00'), now: mdt('2027-08-02T09:00:00') })).toEqual([
      { kind: 'confirmation', sendAt: mdt('2027-08-02T09:00:00').toISOString(), dailyKey: '2027-08-02' },
    ]);
    expect(plan({ type: 'tms', startsAt: mdt('2027-08-04T10:00:00'), now })).toEqual([
      { kind: 'confirmation', sendAt: now.toISOString(), dailyKey: '2027-07-30' },
      { kind: '48h', sendAt: mdt('2027-08-02T10:00:00').toISOString(), dailyKey: '2027-08-02' },
      { kind: '2h', sendAt: mdt('2027-08-04T08:00:00').toISOString(), dailyKey: '2027-08-04' },
    ]);
    // Without the once-a-day rule, a follow-up the same afternoon keeps both.
    expect(plan({ type: 'follow_up', startsAt: mdt('2027-08-02T15:00:00'), now: mdt('2027-08-02T09:00:00') }).map((r) => r.kind)).toEqual([
      'confirmation',
      '2h',
    ]);
  });

  it('keys a TMS text by the local date, not the UTC one', () => {
    // 19:59 MDT is 01:59 UTC the next day.
    const [, reminder] = plan({ type: 'tms', startsAt: mdt('2027-08-04T07:30:00'), now });
    expect(reminder).toMatchObject({ kind: '48h', sendAt: mdt('2027-08-01T19:59:00').toISOString(), dailyKey: '2027-08-01' });
  });

  it('stays on the local wall clock across spring forward (14 March 2027)', () => {
    expect(plan({ type: 'spravato', startsAt: mdt('2027-03-15T09:00:00'), now: mst('2027-03-10T12:00:00') })).toEqual([
      { kind: 'confirmation', sendAt: mst('2027-03-10T12:00:00').toISOString(), dailyKey: null },
      { kind: '48h', sendAt: mst('2027-03-13T09:00:00').toISOString(), dailyKey: null },
      { kind: 'evening_before', sendAt: mdt('2027-03-14T18:00:00').toISOString(), dailyKey: null },
    ]);
  });

  it('stays on the local wall clock across fall back (7 November 2027)', () => {
    expect(plan({ type: 'ketamine', startsAt: mst('2027-11-08T13:00:00'), now: mdt('2027-11-01T12:00:00') })).toEqual([
      { kind: 'confirmation', sendAt: mdt('2027-11-01T12:00:00').toISOString(), dailyKey: null },
      { kind: '48h', sendAt: mdt('2027-11-06T13:00:00').toISOString(), dailyKey: null },
      { kind: 'evening_before', sendAt: mst('2027-11-07T18:00:00').toISOString(), dailyKey: null },
      { kind: '2h', sendAt: mst('2027-11-08T11:00:00').toISOString(), dailyKey: null },
    ]);
  });

  it('calls the confirmation of a moved appointment "rescheduled"', () => {
    expect(plan({ type: 'tms', startsAt: mdt('2027-08-04T10:00:00'), now, change: 'rescheduled' })[0].kind).toBe('rescheduled');
  });

  it('follows a configured policy: other offsets and another evening time', () => {
    const sut = planReminders(
      { type: 'ect', startsAt: mdt('2027-08-05T10:00:00'), now, zone, change: 'booked' },
      { ...DEFAULT_REMINDER_POLICY, offsetsHours: [72, 24], eveningBeforeAt: '21:00' },
    );
    expect(sut.map((r) => [r.kind, r.sendAt.toISOString()])).toEqual([
      ['confirmation', now.toISOString()],
      ['72h', mdt('2027-08-02T10:00:00').toISOString()],
      // 24 h before (10:00) and the evening text (21:00 → 19:59) fall on one day: the preparation text wins.
      ['evening_before', mdt('2027-08-04T19:59:00').toISOString()],
    ]);
  });
});

describe('local-time arithmetic against Luxon as the oracle', () => {
  // The planner works on cached zone offsets (no Intl on the booking path); Luxon's zone arithmetic is
  // the reference it must agree with, for every instant of 2026–2028 (both DST changes of each year).
  const minute = fc.integer({ min: Date.UTC(2026, 0, 1) / 60_000, max: Date.UTC(2028, 11, 31) / 60_000 }).map((m) => new Date(m * 60_000));
  const atWall = (day: DateTime, minutes: number) => day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });

  it('quiet-hour moves match', () => {
    fc.assert(
      fc.property(minute, (instant) => {
        const local = DateTime.fromJSDate(instant, { zone });
        const m = local.hour * 60 + local.minute;
        const inside = m >= 8 * 60 && m < 20 * 60;
        const latest = inside ? instant : atWall(m >= 20 * 60 ? local : local.minus({ days: 1 }), 20 * 60 - 1).toJSDate();
        const earliest = inside ? instant : atWall(m < 8 * 60 ? local : local.plus({ days: 1 }), 8 * 60).toJSDate();
        expect(latestAllowedAtOrBefore(instant, zone, DEFAULT_REMINDER_POLICY).toISOString()).toBe(latest.toISOString());
        expect(earliestAllowedAtOrAfter(instant, zone, DEFAULT_REMINDER_POLICY).toISOString()).toBe(earliest.toISOString());
      }),
      { numRuns: 3000 },
    );
  });

  it('offsets before a start inside clinic hours match (whole days on the wall clock, the rest elapsed)', () => {
    const clinicStart = minute.filter((d) => {
      const hour = DateTime.fromJSDate(d, { zone }).hour;
      return hour >= 6 && hour < 22;
    });
    fc.assert(
      fc.property(clinicStart, fc.constantFrom(1, 2, 24, 26, 48, 72), (start, hours) => {
        const days = Math.floor(hours / 24);
        const expected = DateTime.fromJSDate(start, { zone })
          .minus({ days })
          .minus({ hours: hours - days * 24 })
          .toJSDate();
        expect(offsetBefore(start, hours, zone).toISOString()).toBe(expected.toISOString());
      }),
      { numRuns: 3000 },
    );
  });
});
