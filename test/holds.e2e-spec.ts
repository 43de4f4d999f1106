import fc from 'fast-check';
import { HoldService } from '../src/appointments/hold.service';
import { SYSTEM_ACTOR } from '../src/common/actor';
import { useTestApp } from './support/app';
import { at, formatWallTime } from './support/clinic-time';
import { createPatients, requestBooking, resourceIds, staffClinic } from './support/factories';
import { resourceDoubleBookings } from './support/invariants';

const NOW = '2027-08-02T15:00:00Z'; // Monday 09:00 MDT
const DAY = '2027-08-04';

describe('holds: a slot kept for an offer occupies the resource like a booking and expires by itself', () => {
  const t = useTestApp({ now: NOW });
  let louisville: string;
  let chairs: string[];
  let patients: string[];

  beforeAll(async () => {
    louisville = t.locations.louisville;
    chairs = await resourceIds(t.dataSource, 'louisville', 'treatment_chair');
    patients = await createPatients(t.dataSource, 12);
    await staffClinic(t.dataSource, 'louisville', [DAY, '2027-08-05'], 4);
  });

  const holds = () => t.app.get(HoldService);
  const holdSpravato = (startsAt: string, resourceId: string, patientId = patients[0], ttlMinutes = 15) =>
    t.dataSource.transaction((manager) =>
      holds().holdForBooking(
        manager,
        { patientId, type: 'spravato', locationId: louisville, startsAt: new Date(startsAt), resourceId },
        { ttlMinutes, reason: 'test' },
        SYSTEM_ACTOR,
      ),
    );
  const availableStarts = async (resourceId: string, from: string, to: string) =>
    (
      await t.http().get('/api/availability').query({ type: 'spravato', locationId: louisville, from, to, resourceId }).set(t.headers.front_desk).expect(200)
    ).body.map((slot: { startsAt: string }) => slot.startsAt);

  it('hides the held time from availability, refuses a booking into it naming the hold, and frees it at expiry', async () => {
    const start = at(DAY, '09:00');
    const { hold } = await holdSpravato(start, chairs[0]);
    expect(hold).toBeDefined();
    expect(hold!.segments).toEqual([{ resourceId: chairs[0], kind: 'treatment', start: new Date(start), end: new Date(at(DAY, '11:30')) }]);
    expect(await availableStarts(chairs[0], at(DAY, '08:00'), at(DAY, '12:00'))).toEqual([at(DAY, '11:30'), at(DAY, '11:45')]);

    const refused = await requestBooking(t, {
      patientId: patients[1],
      type: 'spravato',
      locationId: louisville,
      startsAt: start,
      resourceId: chairs[0],
    }).expect(409);
    expect(refused.body.rule).toBe('resource-overlap');
    expect(refused.body.conflicts).toEqual([{ holdId: hold!.id, resourceId: chairs[0], reason: 'the resource is on hold then' }]);

    // Fifteen minutes on, the hold holds nothing: availability shows the time and a booking takes it (deleting the hold's row).
    t.clock.advanceMinutes(15);
    try {
      expect(await availableStarts(chairs[0], at(DAY, '08:00'), at(DAY, '12:00'))).toContain(start);
      const booked = await requestBooking(t, {
        patientId: patients[1],
        type: 'spravato',
        locationId: louisville,
        startsAt: start,
        resourceId: chairs[0],
      }).expect(201);
      expect(booked.body.resourceId).toBe(chairs[0]);
      expect(await t.dataSource.query('SELECT id FROM resource_holds WHERE id = $1', [hold!.id])).toEqual([]);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('books a held slot for its patient by converting the hold in one transaction, and refuses an expired one', async () => {
    const start = at(DAY, '12:00');
    const { hold } = await holdSpravato(start, chairs[1], patients[2]);
    const booked = await t.dataSource.transaction((manager) =>
      holds().convert(manager, hold!.id, { patientId: patients[2], type: 'spravato', locationId: louisville, startsAt: new Date(start) }, SYSTEM_ACTOR),
    );
    expect(booked.appointment).toMatchObject({ patientId: patients[2], resourceId: chairs[1] });
    const rows = await t.dataSource.query('SELECT appointment_id, hold_id FROM appointment_segments WHERE resource_id = $1 AND starts_at = $2', [
      chairs[1],
      start,
    ]);
    expect(rows).toEqual([{ appointment_id: booked.appointment.id, hold_id: null }]);

    const late = await holdSpravato(at(DAY, '14:30'), chairs[1], patients[3], 5);
    t.clock.advanceMinutes(5);
    try {
      await expect(
        t.dataSource.transaction((manager) =>
          holds().convert(
            manager,
            late.hold!.id,
            { patientId: patients[3], type: 'spravato', locationId: louisville, startsAt: new Date(at(DAY, '14:30')) },
            SYSTEM_ACTOR,
          ),
        ),
      ).rejects.toMatchObject({ rule: 'hold-expired' });
      // The sweep deletes what expired (at start-up too); the rows go with it.
      const released = await t.dataSource.transaction((manager) => holds().releaseExpired(manager));
      expect(released).toContain(late.hold!.id);
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM appointment_segments WHERE hold_id = $1', [late.hold!.id])).toEqual([{ n: 0 }]);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('lets exactly one of 16 concurrent holds and bookings of one chair and time win', async () => {
    const start = at('2027-08-05', '09:00');
    const attempts = patients.slice(4, 12).flatMap((patientId, i) => [
      requestBooking(t, { patientId, type: 'spravato', locationId: louisville, startsAt: start, resourceId: chairs[2] }).then((r) => r.status),
      holdSpravato(start, chairs[2], patients[i % 4]).then(
        (result) => (result.hold ? 'held' : result.decision.rule),
        (error: { rule?: string }) => error.rule ?? 'error',
      ),
    ]);
    const outcomes = await Promise.all(attempts);
    expect(outcomes).toHaveLength(16);
    const wins = outcomes.filter((o) => o === 201 || o === 'held');
    expect(wins).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 201 && o !== 'held').every((o) => o === 409 || o === 'resource-overlap')).toBe(true);
    expect(await resourceDoubleBookings(t.dataSource)).toEqual([]);
  });

  it('never lets holds and bookings overlap on a resource, whatever runs concurrently and however time passes (fast-check)', async () => {
    const day = '2027-08-05';
    const startOf = (slot: number) => at(day, formatWallTime(12 * 60 + slot * 30));
    const step = fc.record({
      kind: fc.constantFrom('book' as const, 'hold' as const, 'release' as const),
      chair: fc.nat(chairs.length - 1),
      slot: fc.nat(8),
      patient: fc.nat(patients.length - 1),
      minutes: fc.constantFrom(0, 5, 16),
    });
    const heldIds: string[] = [];
    const seen = { booked: 0, held: 0, refused: 0 };
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(step, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 4 }), async (rounds) => {
        for (const round of rounds) {
          await Promise.all(
            round.map(async (s) => {
              if (s.kind === 'book') {
                const response = await requestBooking(t, {
                  patientId: patients[s.patient],
                  type: 'ketamine',
                  locationId: louisville,
                  startsAt: startOf(s.slot),
                  resourceId: chairs[s.chair],
                });
                expect([201, 409]).toContain(response.status);
                if (response.status === 201) seen.booked++;
                else seen.refused++;
              } else if (s.kind === 'hold') {
                const result = await holdSpravato(startOf(s.slot), chairs[s.chair], patients[s.patient], 10).catch((e: { rule?: string }) => ({
                  hold: undefined,
                  error: e.rule,
                }));
                if (result.hold) heldIds.push(result.hold.id);
                if (result.hold) seen.held++;
                else seen.refused++;
              } else if (heldIds.length) {
                await t.dataSource.transaction((manager) => holds().release(manager, heldIds[s.patient % heldIds.length]));
              }
            }),
          );
          t.clock.advanceMinutes(round[0].minutes);
          expect(await resourceDoubleBookings(t.dataSource)).toEqual([]);
          checked++;
        }
      }),
      { numRuns: 15 },
    );
    t.clock.set(NOW);
    expect(checked).toBeGreaterThanOrEqual(15);
    // The runs did race: holds and bookings both won and lost.
    expect(seen.booked).toBeGreaterThan(0);
    expect(seen.held).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
