import fc from 'fast-check';
import { useTestApp } from './support/app';
import { at, formatWallTime } from './support/clinic-time';
import { createPatients, requestBooking, resourceIds, staffClinic } from './support/factories';
import { nurseCapacityBreaches, patientDoubleBookings, resourceDoubleBookings, treatmentFrequencyBreaches } from './support/invariants';

// Two Louisville days beyond the demo roster: 4 chairs, 2 TMS devices, one nurse who may watch 2 patients
// (so nurse capacity, not the chairs, is the limit).
const DAYS = ['2027-08-16', '2027-08-17'];
const TYPES = ['spravato', 'ketamine', 'tms'] as const;
/** The start of the slot-th 15-minute slot from 07:00. */
const startOf = (day: string, slot: number) => at(day, formatWallTime(7 * 60 + slot * 15));

type Op =
  | { kind: 'book'; type: (typeof TYPES)[number]; patient: number; day: number; slot: number; resource: number | null }
  | { kind: 'reschedule'; pick: number; day: number; slot: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'probe'; type: (typeof TYPES)[number]; day: number; slot: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('book' as const),
      type: fc.constantFrom(...TYPES),
      patient: fc.nat(7),
      day: fc.nat(1),
      slot: fc.nat(47),
      resource: fc.option(fc.nat(3)),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reschedule' as const), pick: fc.nat(), day: fc.nat(1), slot: fc.nat(47) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('probe' as const), type: fc.constantFrom(...TYPES), day: fc.nat(1), slot: fc.nat(47) }) },
);

describe('booking invariants under random sequences of operations (fast-check)', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  let louisville: string;
  let resources: Record<string, string[]>;
  let patients: string[];
  const booked: string[] = [];
  /** Probes that compared availability with a booking, and how many of them the spare patient's own rules refused. */
  const probes = { compared: 0, refusedForThePatient: 0 };

  beforeAll(async () => {
    louisville = t.locations.louisville;
    resources = {
      spravato: await resourceIds(t.dataSource, 'louisville', 'treatment_chair'),
      ketamine: await resourceIds(t.dataSource, 'louisville', 'treatment_chair'),
      tms: await resourceIds(t.dataSource, 'louisville', 'tms_device'),
    };
    patients = await createPatients(t.dataSource, 8);
    await staffClinic(t.dataSource, 'louisville', DAYS, 1);
    await t.dataSource.query('UPDATE locations SET observation_patients_per_nurse = 2 WHERE id = $1', [louisville]);
  });

  async function run(step: Op): Promise<void> {
    if (step.kind === 'book') {
      const list = resources[step.type];
      const body: Record<string, unknown> = {
        patientId: patients[step.patient],
        type: step.type,
        locationId: louisville,
        startsAt: startOf(DAYS[step.day], step.slot),
      };
      if (step.resource !== null) body.resourceId = list[step.resource % list.length];
      const response = await requestBooking(t, body);
      expect([201, 409]).toContain(response.status);
      if (response.status === 201) booked.push(response.body.id);
    } else if (step.kind === 'reschedule' && booked.length) {
      const id = booked[step.pick % booked.length];
      const response = await t
        .http()
        .patch(`/api/appointments/${id}`)
        .set(t.headers.front_desk)
        .send({ startsAt: startOf(DAYS[step.day], step.slot) });
      expect([200, 409]).toContain(response.status);
    } else if (step.kind === 'cancel' && booked.length) {
      const id = booked[step.pick % booked.length];
      const response = await t.http().post(`/api/appointments/${id}/cancel`).set(t.headers.front_desk).send({ reason: 'property test' });
      expect([200, 409]).toContain(response.status);
    } else if (step.kind === 'probe') {
      // Availability for a patient lists a start exactly when a booking of that patient there would succeed:
      // the clinic's rules and the patient's own (overlap, treatment frequency) alike.
      const day = DAYS[step.day];
      const spare = patients[7];
      const listed = await t
        .http()
        .get('/api/availability')
        .query({ type: step.type, locationId: louisville, from: startOf(day, 0), to: startOf(day, 48), patientId: spare })
        .set(t.headers.front_desk)
        .expect(200);
      const startsAt = startOf(day, step.slot);
      const isListed = listed.body.some((s: { startsAt: string }) => s.startsAt === startsAt);
      const response = await requestBooking(t, { patientId: spare, type: step.type, locationId: louisville, startsAt });
      if (response.status === 409 && ['patient-overlap', 'treatment-frequency'].includes(response.body.rule)) probes.refusedForThePatient++;
      probes.compared++;
      expect({ startsAt, listed: isListed, booked: response.status === 201, rule: response.body.rule }).toEqual({
        startsAt,
        listed: response.status === 201,
        booked: response.status === 201,
        rule: response.body.rule,
      });
      if (response.status === 201)
        await t.http().post(`/api/appointments/${response.body.id}/cancel`).set(t.headers.front_desk).send({ reason: 'probe' }).expect(200);
    }
  }

  it('never double-books a resource or a patient, never exceeds nurse capacity or a treatment frequency, and availability matches booking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 30 }), async (steps) => {
        for (const step of steps) await run(step);
        expect(await resourceDoubleBookings(t.dataSource)).toEqual([]);
        expect(await patientDoubleBookings(t.dataSource)).toEqual([]);
        expect(await nurseCapacityBreaches(t.dataSource)).toEqual([]);
        expect(await treatmentFrequencyBreaches(t.dataSource)).toEqual([]);
      }),
      { numRuns: 12, seed: Number(process.env.PROPERTY_SEED ?? 20261122), endOnFailure: true },
    );
    // The availability half of the claim was exercised, the patient's own rules included.
    expect(probes.compared).toBeGreaterThan(0);
    expect(probes.refusedForThePatient).toBeGreaterThan(0);
  });

  it('holds the same invariants when the operations race each other', async () => {
    const steps = fc.sample(op, { numRuns: 60, seed: 7 }).filter((s) => s.kind !== 'probe');
    const results = await Promise.allSettled(steps.map((step) => run(step)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await resourceDoubleBookings(t.dataSource)).toEqual([]);
    expect(await patientDoubleBookings(t.dataSource)).toEqual([]);
    expect(await nurseCapacityBreaches(t.dataSource)).toEqual([]);
    expect(await treatmentFrequencyBreaches(t.dataSource)).toEqual([]);
  });
});
