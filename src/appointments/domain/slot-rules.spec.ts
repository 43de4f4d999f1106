import fc from 'fast-check';
import { planAppointment } from './appointment-types';
import { BookingContext, evaluateSlot, inPreferenceOrder, insertSorted, overlappingSorted, unionCovers } from './slot-rules';

const zone = 'America/Denver';
const d = (iso: string) => new Date(iso);
const day = '2026-11-02'; // a Monday, MST (-07:00)
const local = (time: string, date = day) => new Date(`${date}T${time}:00-07:00`);

function context(overrides: Partial<BookingContext> = {}): BookingContext {
  return {
    zone,
    now: d('2026-10-01T00:00:00Z'),
    hours: new Map([1, 2, 3, 4, 5].map((w) => [w, { opens: '07:00', closes: '19:00' }])),
    closedDates: new Set(),
    resources: [
      { id: 'chair-1', kind: 'treatment_chair' },
      { id: 'chair-2', kind: 'treatment_chair' },
      { id: 'suite', kind: 'ect_suite' },
      { id: 'bay-1', kind: 'recovery_bay' },
    ],
    resourceBusy: new Map(),
    patientBusy: [],
    observations: [],
    nurseShifts: [{ staffId: 'nurse-1', start: local('07:00'), end: local('19:00') }],
    providerShifts: [{ staffId: 'prov-1', start: local('07:00'), end: local('19:00') }],
    providerBusy: new Map(),
    observationPatientsPerNurse: 4,
    ...overrides,
  };
}

describe('evaluateSlot', () => {
  it('books a free chair inside opening hours and picks the first free one', () => {
    const busy = new Map([['chair-1', [{ appointmentId: 'a1', start: local('08:00'), end: local('10:30') }]]]);
    const sut = evaluateSlot(planAppointment('spravato', local('09:00')), context({ resourceBusy: busy }));
    expect(sut).toEqual({ ok: true, segmentResourceIds: ['chair-2'], providerId: null });
  });

  it("with a patient, picks the patient's own first choice among the free chairs, and the next when it is taken", () => {
    const chairs = context()
      .resources.filter((r) => r.kind === 'treatment_chair')
      .map((r) => r.id);
    const patients = Array.from({ length: 200 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const firstChoices = new Map<string, number>();
    for (const patientId of patients) {
      const order = inPreferenceOrder(
        chairs.map((id) => ({ id })),
        patientId,
      ).map((r) => r.id);
      expect([...order].sort()).toEqual([...chairs].sort());
      // Stable: the same order every time.
      expect(
        inPreferenceOrder(
          chairs.map((id) => ({ id })),
          patientId,
        ).map((r) => r.id),
      ).toEqual(order);
      const free = evaluateSlot(planAppointment('spravato', local('09:00')), context(), { patientId });
      expect(free).toMatchObject({ ok: true, segmentResourceIds: [order[0]] });
      const busy = new Map([[order[0], [{ appointmentId: 'a1', start: local('08:00'), end: local('10:30') }]]]);
      const taken = evaluateSlot(planAppointment('spravato', local('09:00')), context({ resourceBusy: busy }), { patientId });
      expect(taken).toMatchObject({ ok: true, segmentResourceIds: [order[1]] });
      firstChoices.set(order[0], (firstChoices.get(order[0]) ?? 0) + 1);
    }
    // Patients spread over the chairs: each chair is some patients' first choice, none takes most of them.
    expect(firstChoices.size).toBe(chairs.length);
    for (const count of firstChoices.values()) expect(count).toBeLessThan(patients.length * 0.75);
  });

  it('blocks a chair for the whole Spravato observation: the next patient may start only when it ends', () => {
    const busy = new Map([
      ['chair-1', [{ appointmentId: 'a1', start: local('09:00'), end: local('11:30') }]],
      ['chair-2', [{ appointmentId: 'a2', start: local('09:00'), end: local('11:30') }]],
    ]);
    const at1115 = evaluateSlot(planAppointment('spravato', local('11:15')), context({ resourceBusy: busy }));
    expect(at1115).toMatchObject({ ok: false, rule: 'no-resource-available' });
    const at1130 = evaluateSlot(planAppointment('spravato', local('11:30')), context({ resourceBusy: busy }));
    expect(at1130.ok).toBe(true);
    const requested = evaluateSlot(planAppointment('spravato', local('11:00')), context({ resourceBusy: busy }), { resourceId: 'chair-1' });
    expect(requested).toMatchObject({ ok: false, rule: 'resource-overlap', conflicts: [{ appointmentId: 'a1', resourceId: 'chair-1' }] });
  });

  it('decides the same without gathering conflicts when only the decision is wanted (availability)', () => {
    const busy = new Map([
      ['chair-1', [{ appointmentId: 'a1', start: local('09:00'), end: local('11:30') }]],
      ['chair-2', [{ appointmentId: 'a2', start: local('09:00'), end: local('11:30') }]],
    ]);
    const full = evaluateSlot(planAppointment('spravato', local('11:15')), context({ resourceBusy: busy }));
    expect(full).toMatchObject({ ok: false, rule: 'no-resource-available', conflicts: [{ appointmentId: 'a1' }, { appointmentId: 'a2' }] });
    const sut = evaluateSlot(planAppointment('spravato', local('11:15')), context({ resourceBusy: busy }), { decisionOnly: true });
    expect(sut).toEqual({ ...full, conflicts: [] });
    expect(evaluateSlot(planAppointment('spravato', local('11:30')), context({ resourceBusy: busy }), { decisionOnly: true })).toEqual(
      evaluateSlot(planAppointment('spravato', local('11:30')), context({ resourceBusy: busy })),
    );
  });

  it('refuses an occupancy that runs past closing, a weekend and a closure', () => {
    expect(evaluateSlot(planAppointment('spravato', local('16:45')), context())).toMatchObject({ ok: false, rule: 'outside-opening-hours' });
    expect(evaluateSlot(planAppointment('spravato', local('16:30')), context()).ok).toBe(true);
    expect(evaluateSlot(planAppointment('spravato', local('06:45')), context())).toMatchObject({ ok: false, rule: 'outside-opening-hours' });
    expect(evaluateSlot(planAppointment('tms', local('09:00', '2026-11-07')), context())).toMatchObject({ ok: false, rule: 'outside-opening-hours' });
    expect(evaluateSlot(planAppointment('spravato', local('09:00')), context({ closedDates: new Set([day]) }))).toMatchObject({
      ok: false,
      rule: 'clinic-closed',
    });
  });

  it('judges opening hours in local time on both sides of the DST change', () => {
    // 2026-03-09 is in MDT (-06:00): 07:00 local is 13:00Z; 2026-03-06 is MST: 07:00 local is 14:00Z.
    const ctx = context({ now: d('2026-01-01T00:00:00Z'), resources: [{ id: 'tms-1', kind: 'tms_device' }] });
    expect(evaluateSlot(planAppointment('tms', d('2026-03-09T13:00:00Z')), ctx).ok).toBe(true);
    expect(evaluateSlot(planAppointment('tms', d('2026-03-09T12:45:00Z')), ctx)).toMatchObject({ rule: 'outside-opening-hours' });
    expect(evaluateSlot(planAppointment('tms', d('2026-03-06T14:00:00Z')), ctx).ok).toBe(true);
    expect(evaluateSlot(planAppointment('tms', d('2026-03-06T13:00:00Z')), ctx)).toMatchObject({ rule: 'outside-opening-hours' });
  });

  it('refuses a second appointment of the same patient that overlaps, anywhere', () => {
    const sut = evaluateSlot(
      planAppointment('tms', local('10:00')),
      context({ patientBusy: [{ appointmentId: 'p1', start: local('09:00'), end: local('11:30') }] }),
    );
    expect(sut).toMatchObject({ ok: false, rule: 'patient-overlap', conflicts: [{ appointmentId: 'p1' }] });
  });

  it('counts observation against nurses on shift × 4', () => {
    const observations = [1, 2, 3, 4].map((n) => ({ appointmentId: `o${n}`, start: local('09:15'), end: local('11:30') }));
    const full = evaluateSlot(planAppointment('spravato', local('10:00')), context({ observations }));
    expect(full).toMatchObject({ ok: false, rule: 'nurse-capacity', conflicts: observations.map(({ appointmentId }) => ({ appointmentId })) });
    // A second nurse from 10:00 doubles the capacity from then on.
    const twoNurses = context({
      observations,
      nurseShifts: [
        { staffId: 'nurse-1', start: local('07:00'), end: local('19:00') },
        { staffId: 'nurse-2', start: local('10:00'), end: local('19:00') },
      ],
    });
    expect(evaluateSlot(planAppointment('spravato', local('10:00')), twoNurses).ok).toBe(true);
    // …but not before it starts: observation from 09:30 overlaps 09:30–10:00 with one nurse.
    expect(evaluateSlot(planAppointment('spravato', local('09:15')), twoNurses)).toMatchObject({ rule: 'nurse-capacity' });
    // After the others' observation ends there is room again.
    expect(evaluateSlot(planAppointment('spravato', local('11:15')), context({ observations })).ok).toBe(true);
    expect(evaluateSlot(planAppointment('spravato', local('10:00')), context({ nurseShifts: [] }))).toMatchObject({ rule: 'nurse-capacity' });
  });

  it('TMS has no observation: nurse capacity does not apply', () => {
    const ctx = context({ nurseShifts: [], resources: [{ id: 'tms-1', kind: 'tms_device' }] });
    expect(evaluateSlot(planAppointment('tms', local('10:00')), ctx).ok).toBe(true);
  });

  it('needs a prescriber on site from the Spravato dose to the end of monitoring', () => {
    const morningOnly = context({ providerShifts: [{ staffId: 'prov-1', start: local('07:00'), end: local('11:00') }] });
    expect(evaluateSlot(planAppointment('spravato', local('09:00')), morningOnly)).toMatchObject({ ok: false, rule: 'prescriber-on-site' });
    const handover = context({
      providerShifts: [
        { staffId: 'prov-1', start: local('07:00'), end: local('11:00') },
        { staffId: 'prov-2', start: local('11:00'), end: local('19:00') },
      ],
    });
    expect(evaluateSlot(planAppointment('spravato', local('09:00')), handover).ok).toBe(true);
    expect(evaluateSlot(planAppointment('ketamine', local('09:00')), morningOnly).ok).toBe(true);
  });

  it('needs the provider of an intake on shift and free; picks one when none is named', () => {
    const busy = new Map([['prov-1', [{ appointmentId: 'v1', start: local('09:00'), end: local('10:00') }]]]);
    expect(evaluateSlot(planAppointment('intake', local('09:30')), context({ providerBusy: busy }), { providerId: 'prov-1' })).toMatchObject({
      rule: 'provider-overlap',
    });
    expect(evaluateSlot(planAppointment('intake', local('09:30')), context({ providerBusy: busy }))).toMatchObject({ rule: 'no-provider-available' });
    expect(evaluateSlot(planAppointment('intake', local('10:00')), context({ providerBusy: busy }))).toEqual({
      ok: true,
      segmentResourceIds: [],
      providerId: 'prov-1',
    });
    expect(evaluateSlot(planAppointment('intake', local('18:30')), context(), { providerId: 'prov-1' })).toMatchObject({ rule: 'outside-opening-hours' });
    expect(evaluateSlot(planAppointment('intake', local('10:00')), context(), { providerId: 'prov-9' })).toMatchObject({ rule: 'provider-not-on-shift' });
  });

  it('books ECT in the suite and then a bay; a busy bay refuses it', () => {
    expect(evaluateSlot(planAppointment('ect', local('07:30')), context())).toEqual({ ok: true, segmentResourceIds: ['suite', 'bay-1'], providerId: null });
    const bayBusy = new Map([['bay-1', [{ appointmentId: 'e0', start: local('08:00'), end: local('08:45') }]]]);
    expect(evaluateSlot(planAppointment('ect', local('07:30')), context({ resourceBusy: bayBusy }))).toMatchObject({ rule: 'no-resource-available' });
  });

  it('refuses a start in the past', () => {
    expect(evaluateSlot(planAppointment('tms', local('09:00')), context({ now: local('09:01'), resources: [{ id: 't', kind: 'tms_device' }] }))).toMatchObject({
      rule: 'start-in-past',
    });
  });

  it('ignores the appointment being rescheduled', () => {
    const busy = new Map([['chair-1', [{ appointmentId: 'self', start: local('09:00'), end: local('11:30') }]]]);
    const observations = [{ appointmentId: 'self', start: local('09:15'), end: local('11:30') }];
    const sut = evaluateSlot(
      planAppointment('spravato', local('09:30')),
      context({ resourceBusy: busy, observations, resources: [{ id: 'chair-1', kind: 'treatment_chair' }] }),
      {},
      'self',
    );
    expect(sut.ok).toBe(true);
  });
});

describe('unionCovers', () => {
  it('needs the shifts to join up without a gap', () => {
    const span = { start: d('2026-01-01T10:00:00Z'), end: d('2026-01-01T12:00:00Z') };
    expect(
      unionCovers(
        [
          { start: d('2026-01-01T09:00:00Z'), end: d('2026-01-01T11:00:00Z') },
          { start: d('2026-01-01T11:00:00Z'), end: d('2026-01-01T13:00:00Z') },
        ],
        span,
      ),
    ).toBe(true);
    expect(
      unionCovers(
        [
          { start: d('2026-01-01T09:00:00Z'), end: d('2026-01-01T11:00:00Z') },
          { start: d('2026-01-01T11:05:00Z'), end: d('2026-01-01T13:00:00Z') },
        ],
        span,
      ),
    ).toBe(false);
    expect(unionCovers([], span)).toBe(false);
  });
});

describe('overlappingSorted', () => {
  it('finds exactly what a linear scan finds, for sorted non-overlapping lists', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(30), fc.integer({ min: 1, max: 10 })), { maxLength: 40 }),
        fc.nat(400),
        fc.integer({ min: 1, max: 60 }),
        (gaps, from, length) => {
          let cursor = 0;
          const list = gaps.map(([gap, size], i) => {
            const start = cursor + gap;
            cursor = start + size;
            return { appointmentId: `a${i}`, start: new Date(start * 60_000), end: new Date(cursor * 60_000) };
          });
          const span = { start: new Date(from * 60_000), end: new Date((from + length) * 60_000) };
          const linear = list.filter((b) => b.start < span.end && span.start < b.end && b.appointmentId !== 'a3');
          expect(overlappingSorted(list, span, 'a3')).toEqual(linear);
        },
      ),
    );
  });

  it('keeps a list sorted on insertion', () => {
    const list = [5, 1, 9, 3].reduce(
      (acc, minute) => {
        insertSorted(acc, { appointmentId: String(minute), start: new Date(minute * 60_000), end: new Date((minute + 1) * 60_000) });
        return acc;
      },
      [] as Array<{ appointmentId: string; start: Date; end: Date }>,
    );
    expect(list.map((b) => b.appointmentId)).toEqual(['1', '3', '5', '9']);
  });
});

describe('evaluateSlot: the patient and calendar rules of round 2', () => {
  const visit = (type: 'spravato' | 'ketamine' | 'tms', date: string, id: string) => ({
    appointmentId: id,
    type,
    date,
    startsAt: local('09:00', date),
    courseId: null,
    sequence: null,
    accelerated: false,
  });

  it('refuses a second Spravato session on one day, and hides nothing else', () => {
    const ctx = context({ patientTreatments: [visit('spravato', day, 'morning')] });
    expect(evaluateSlot(planAppointment('spravato', local('14:00')), ctx)).toMatchObject({ ok: false, rule: 'treatment-frequency' });
    expect(evaluateSlot(planAppointment('spravato', local('14:00')), ctx, {}, 'morning').ok).toBe(true);
    const nextDay = context({
      patientTreatments: [visit('spravato', day, 'morning')],
      nurseShifts: [{ staffId: 'nurse-1', start: local('07:00', '2026-11-03'), end: local('19:00', '2026-11-03') }],
      providerShifts: [{ staffId: 'prov-1', start: local('07:00', '2026-11-03'), end: local('19:00', '2026-11-03') }],
    });
    expect(evaluateSlot(planAppointment('spravato', local('09:00', '2026-11-03')), nextDay).ok).toBe(true);
  });

  it('refuses a third Spravato in 7 days unless a provider overrides it, and names what was overridden', () => {
    const ctx = context({ patientTreatments: [visit('spravato', '2026-10-29', 'thu'), visit('spravato', '2026-10-30', 'fri')] });
    const refused = evaluateSlot(planAppointment('spravato', local('09:00')), ctx);
    expect(refused).toMatchObject({ ok: false, rule: 'treatment-frequency', overridable: true });
    const overridden = evaluateSlot(planAppointment('spravato', local('09:00')), ctx, { override: true });
    expect(overridden).toMatchObject({ ok: true, overridden: [{ rule: 'treatment-frequency' }] });
  });

  it('reports a rule nobody may override before one a provider may', () => {
    const busy = new Map([
      ['chair-1', [{ appointmentId: 'x1', start: local('08:00'), end: local('12:00') }]],
      ['chair-2', [{ appointmentId: 'x2', start: local('08:00'), end: local('12:00') }]],
    ]);
    const ctx = context({ resourceBusy: busy, patientTreatments: [visit('spravato', '2026-10-29', 'thu'), visit('spravato', '2026-10-30', 'fri')] });
    expect(evaluateSlot(planAppointment('spravato', local('09:00')), ctx, { override: true })).toMatchObject({ ok: false, rule: 'no-resource-available' });
  });

  it('counts every booking of the treatment against the authorization, waived where the caller decides it', () => {
    const authorizations = [
      {
        id: 'auth',
        treatment: 'spravato' as const,
        approvedSessions: 2,
        validFrom: '2026-10-01',
        validTo: '2026-12-31',
        requiredFailedTrials: 2,
        countedAppointmentIds: ['a', 'b'],
      },
    ];
    const ctx = context({ authorizations });
    expect(evaluateSlot(planAppointment('spravato', local('09:00')), ctx)).toMatchObject({ ok: false, rule: 'authorization-sessions' });
    expect(evaluateSlot(planAppointment('spravato', local('09:00')), ctx, {}, 'a').ok).toBe(true);
    expect(evaluateSlot(planAppointment('spravato', local('09:00')), ctx, { waive: ['authorization-sessions'] }).ok).toBe(true);
  });

  it('closes the clinic on every public holiday unless it opens on one deliberately', () => {
    const memorialDay2028 = new Date('2028-05-29T09:00:00-06:00');
    const resources = [{ id: 'tms-1', kind: 'tms_device' as const }];
    expect(evaluateSlot(planAppointment('tms', memorialDay2028), context({ resources }))).toMatchObject({ ok: false, rule: 'clinic-closed' });
    expect(evaluateSlot(planAppointment('tms', memorialDay2028), context({ resources, holidayOpenings: new Set(['2028-05-29']) })).ok).toBe(true);
  });

  it('refuses a start past the booking horizon', () => {
    const ctx = context({ latestStart: local('08:59'), resources: [{ id: 'tms-1', kind: 'tms_device' }] });
    expect(evaluateSlot(planAppointment('tms', local('09:00')), ctx)).toMatchObject({ ok: false, rule: 'booking-horizon' });
    expect(evaluateSlot(planAppointment('tms', local('09:00')), ctx, { waive: ['booking-horizon'] }).ok).toBe(true);
  });
});
