import { recallFor, TmsCourseProgress, tmsRecallFor, TreatmentHistory } from './recall-rules';

const settings = { ketamineBoosterMinWeeks: 4, ketamineBoosterMaxWeeks: 6 };
const history = (overrides: Partial<TreatmentHistory>): TreatmentHistory => ({
  patientId: 'p1',
  treatment: 'ketamine',
  lastSessionAt: new Date('2027-08-02T16:00:00Z'),
  lastSessionDate: '2027-08-02',
  sessionsDone: 6,
  bookedAhead: false,
  course: null,
  ...overrides,
});

describe('recallFor', () => {
  it('recalls a ketamine booster from 4 weeks after the last infusion, overdue after 6', () => {
    expect(recallFor(history({}), settings, '2027-08-29')).toBeUndefined();
    expect(recallFor(history({}), settings, '2027-08-30')).toEqual({
      patientId: 'p1',
      treatment: 'ketamine',
      lastSessionAt: new Date('2027-08-02T16:00:00Z'),
      reason: 'ketamine-booster',
      dueFrom: '2027-08-30',
      dueBy: '2027-09-13',
      overdue: false,
    });
    expect(recallFor(history({}), settings, '2027-09-14')?.overdue).toBe(true);
    expect(recallFor(history({}), { ketamineBoosterMinWeeks: 5, ketamineBoosterMaxWeeks: 8 }, '2027-08-30')).toBeUndefined();
  });

  it('recalls nobody who has a session of the treatment booked ahead', () => {
    expect(recallFor(history({ bookedAhead: true }), settings, '2027-09-14')).toBeUndefined();
  });

  it('recalls Spravato maintenance after induction, at the course’s frequency', () => {
    const course = { id: 'c1', protocol: 'spravato-trd', status: 'completed', phase: 'maintenance', maintenanceEveryWeeks: 2 };
    const sut = recallFor(history({ treatment: 'spravato', sessionsDone: 12, course }), settings, '2027-08-05');
    expect(sut).toMatchObject({ reason: 'spravato-maintenance', dueFrom: '2027-08-16', courseId: 'c1', overdue: false });
    expect(recallFor(history({ treatment: 'spravato', sessionsDone: 5, course: { ...course, phase: 'induction' } }), settings, '2027-08-05')).toBeUndefined();
  });

  it('recalls maintenance ECT after an index course', () => {
    expect(recallFor(history({ treatment: 'ect', sessionsDone: 9 }), settings, '2027-08-12')).toMatchObject({
      reason: 'maintenance-ect',
      dueFrom: '2027-08-09',
      overdue: true,
    });
    expect(recallFor(history({ treatment: 'ect', sessionsDone: 3 }), settings, '2027-08-12')).toBeUndefined();
  });
});

describe('tmsRecallFor', () => {
  const course: TmsCourseProgress = {
    patientId: 'p1',
    courseId: 'c1',
    totalSessions: 36,
    sessionsDone: 20,
    bookedAhead: false,
    lastSessionAt: new Date('2027-08-06T16:00:00Z'),
    lastSessionDate: '2027-08-06',
  };

  it('recalls a course with sessions left and nothing booked, from the next weekday', () => {
    expect(tmsRecallFor(course, '2027-08-10')).toMatchObject({ reason: 'tms-sessions-remaining', dueFrom: '2027-08-09', courseId: 'c1', overdue: true });
  });

  it('leaves finished and booked courses alone', () => {
    expect(tmsRecallFor({ ...course, sessionsDone: 36 }, '2027-08-10')).toBeUndefined();
    expect(tmsRecallFor({ ...course, bookedAhead: true }, '2027-08-10')).toBeUndefined();
  });
});
