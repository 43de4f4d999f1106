import { calendarNeedsOf, planAppointment, planningNeedsOf, PlanError } from './appointment-types';

const start = new Date('2026-11-02T16:00:00Z'); // 09:00 in Denver
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000).toISOString();

describe('planAppointment (occupancy)', () => {
  it('holds a chair 150 min for Spravato, observation from the dose, prescriber from the dose to the end', () => {
    const sut = planAppointment('spravato', start);
    expect(sut.endsAt.toISOString()).toBe(at(150));
    expect(sut.occupancy).toEqual({ start, end: new Date(at(150)) });
    expect(sut.segments).toEqual([{ kind: 'treatment', resourceKind: 'treatment_chair', start, end: new Date(at(150)) }]);
    expect(sut.observation).toEqual({ start: new Date(at(15)), end: new Date(at(150)) });
    expect(sut.prescriberWindow).toEqual(sut.observation);
  });

  it('holds a chair 105 min for ketamine with recovery counted from the end of the infusion', () => {
    const sut = planAppointment('ketamine', start);
    expect(sut.occupancy.end.toISOString()).toBe(at(105));
    expect(sut.observation?.start.toISOString()).toBe(at(55));
  });

  it('holds a TMS device 30 min, 75 min for the first session of a course', () => {
    expect(planAppointment('tms', start).occupancy.end.toISOString()).toBe(at(30));
    expect(planAppointment('tms', start, { firstOfCourse: true }).occupancy.end.toISOString()).toBe(at(75));
  });

  it('holds the ECT suite 30 min and then a recovery bay 45 min, in one appointment', () => {
    const sut = planAppointment('ect', start);
    expect(sut.segments.map((s) => [s.resourceKind, s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['ect_suite', at(0), at(30)],
      ['recovery_bay', at(30), at(75)],
    ]);
    expect(sut.observation).toEqual({ start: new Date(at(30)), end: new Date(at(75)) });
  });

  it('holds no room for intake and follow-up, only the provider', () => {
    const intake = planAppointment('intake', start);
    expect(intake.segments).toEqual([]);
    expect(intake.needsProvider).toBe(true);
    expect(intake.endsAt.toISOString()).toBe(at(60));
    expect(planAppointment('follow_up', start).endsAt.toISOString()).toBe(at(30));
  });

  it('stretches the last segment for a longer duration and refuses a Spravato visit too short for 120 min observation', () => {
    expect(planAppointment('ect', start, { durationMinutes: 90 }).segments[1].end.toISOString()).toBe(at(90));
    expect(() => planAppointment('spravato', start, { durationMinutes: 130 })).toThrow(PlanError);
    expect(() => planAppointment('spravato', start, { durationMinutes: 130 })).toThrow(/120 minutes of observation/);
  });

  it('uses a location override of the default occupancy', () => {
    expect(planAppointment('spravato', start, { overrides: { spravato: { occupancyMinutes: 165 } } }).endsAt.toISOString()).toBe(at(165));
  });

  it('holds nothing for telehealth', () => {
    expect(planAppointment('follow_up', start, { telehealth: true }).segments).toEqual([]);
  });
});

describe('planningNeedsOf', () => {
  it('adds to what the rules read the resource kinds the type holds, and only those', () => {
    expect(planningNeedsOf('tms')).toEqual({
      ...calendarNeedsOf('tms'),
      shifts: false,
      observations: false,
      providerVisits: false,
      resourceKinds: ['tms_device'],
    });
    expect(planningNeedsOf('ect')).toEqual({ ...calendarNeedsOf('ect'), resourceKinds: ['ect_suite', 'recovery_bay'] });
    expect(planningNeedsOf('spravato')).toEqual({
      ...calendarNeedsOf('spravato'),
      shifts: true,
      observations: true,
      providerVisits: false,
      resourceKinds: ['treatment_chair'],
    });
  });

  it('reads no resource for a visit, which holds none', () => {
    expect(planningNeedsOf('intake')).toMatchObject({ providerVisits: true, resourceKinds: [] });
  });
});
