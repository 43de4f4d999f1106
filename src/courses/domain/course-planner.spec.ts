import { DateTime } from 'luxon';
import { addDays, CLINIC_ZONE, daysBetween, weekdayOf } from '../../common/clinic-time';
import { CalendarOracle } from './calendar-oracle';
import { CoursePlan, CoursePlanError, planCourse, planExtraSession } from './course-planner';
import { FixtureClinic, fixtureCalendar, resourceId } from '../../../test/support/planning-calendar.fixture';
import { CourseOptions, PhaseRule, PROTOCOLS, ProtocolCode, tailPhases } from './protocols';
import { CalendarBandExceeded, candidateTimes, PlannedSession } from './session-placement';

const local = (date: Date) => DateTime.fromJSDate(date, { zone: CLINIC_ZONE });
const at = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone: CLINIC_ZONE }).toJSDate();

function plan(
  code: ProtocolCode,
  startDate: string,
  clinics: Array<Partial<FixtureClinic> & { id: string }> = [{ id: 'aurora' }],
  extra: { preferredTime?: string; options?: CourseOptions } = {},
): CoursePlan {
  const calendars = clinics.map((c) => fixtureCalendar({ from: addDays(startDate, -1), to: addDays(startDate, 500), ...c }));
  const protocol = PROTOCOLS[code];
  return planCourse(
    {
      protocol,
      options: extra.options ?? {},
      startDate,
      preferredTime: extra.preferredTime ?? '09:00',
      locations: clinics.map((c) => ({ id: c.id, name: c.name ?? c.id })),
      zone: CLINIC_ZONE,
    },
    new CalendarOracle(calendars, protocol),
  );
}

/** Sessions per 7-day course week counted from `anchor`. */
function perCourseWeek(sessions: PlannedSession[], anchor: string): number[] {
  const counts: number[] = [];
  for (const s of sessions) {
    const week = Math.floor(daysBetween(anchor, s.date) / 7);
    counts[week] = (counts[week] ?? 0) + 1;
  }
  return Array.from(counts, (c) => c ?? 0);
}

const gaps = (sessions: PlannedSession[]) => sessions.slice(1).map((s, i) => daysBetween(sessions[i].date, s.date));
const weekdays = (sessions: PlannedSession[]) => sessions.map((s) => weekdayOf(s.date));

describe('planCourse: TMS', () => {
  const MONDAY = '2026-08-03';

  it('standard rTMS: 5 a week for 6 weeks, then 3, 2, 1 (Mon/Wed/Fri, Mon/Thu, Mon) = 36, at 09:00, first session the long one', () => {
    const sut = plan('tms-standard', MONDAY);
    expect(sut.sessions).toHaveLength(36);
    expect(perCourseWeek(sut.sessions, MONDAY)).toEqual([5, 5, 5, 5, 5, 5, 3, 2, 1]);
    expect(weekdays(sut.sessions.slice(30))).toEqual([1, 3, 5, 1, 4, 1]);
    expect(sut.sessions.map((s) => s.phase)).toEqual([...Array(30).fill('induction'), ...Array(6).fill('taper')]);
    expect(sut.sessions.map((s) => s.sequence)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(sut.sessions[0].firstOfCourse).toBe(true);
    expect(sut.sessions[0].durationMinutes).toBeUndefined();
    expect(sut.sessions.slice(1).every((s) => !s.firstOfCourse)).toBe(true);
    expect(sut.sessions.every((s) => s.time === '09:00' && local(s.startsAt).toFormat('HH:mm') === '09:00')).toBe(true);
    expect(new Set(sut.sessions.map((s) => s.date)).size).toBe(36);
    expect(sut.warnings).toEqual([]);
  });

  it('iTBS has the same course shape with 15-minute bookings', () => {
    const sut = plan('tms-itbs', MONDAY);
    expect(sut.sessions).toHaveLength(36);
    expect(perCourseWeek(sut.sessions, MONDAY)).toEqual([5, 5, 5, 5, 5, 5, 3, 2, 1]);
    expect(sut.sessions[0].durationMinutes).toBeUndefined();
    expect(sut.sessions.slice(1).every((s) => s.durationMinutes === 15)).toBe(true);
  });

  it('deep TMS: daily for 4 weeks, then twice a week (Mon/Thu) for 12 weeks = 44', () => {
    const sut = plan('tms-deep', MONDAY);
    expect(sut.sessions).toHaveLength(44);
    expect(perCourseWeek(sut.sessions, MONDAY)).toEqual([5, 5, 5, 5, ...Array(12).fill(2)]);
    expect(new Set(weekdays(sut.sessions.slice(20)))).toEqual(new Set([1, 4]));
    expect(sut.sessions.slice(20).every((s) => s.phase === 'continuation')).toBe(true);
  });

  it('a mid-week start keeps the shape in 7-day course weeks', () => {
    const wednesday = '2026-08-05';
    const sut = plan('tms-standard', wednesday);
    expect(sut.sessions).toHaveLength(36);
    expect(perCourseWeek(sut.sessions, wednesday)).toEqual([5, 5, 5, 5, 5, 5, 3, 2, 1]);
    expect(sut.sessions.every((s) => weekdayOf(s.date) <= 5)).toBe(true);
  });

  it('skips a holiday (with a warning naming it) and lets the daily phase run a day longer into the taper', () => {
    const laborDay = '2026-09-07';
    const closed = { [laborDay]: 'Labor Day' };
    const sut = plan('tms-standard', MONDAY, [
      { id: 'aurora', name: 'Aurora', closed },
      { id: 'louisville', name: 'Louisville', closed },
    ]);
    expect(sut.sessions).toHaveLength(36);
    expect(sut.sessions.some((s) => s.date === laborDay)).toBe(false);
    expect(sut.warnings).toEqual([expect.stringMatching(/^Session 26 \(induction\): Tue 2026-09-08 instead of Mon 2026-09-07 \(.*Labor Day/)]);
    // The 30th daily session is the Monday of week 7; the taper starts the next day.
    expect(sut.sessions[29].date).toBe('2026-09-14');
    expect(sut.sessions[30].date).toBe('2026-09-15');
    expect(Math.min(...gaps(sut.sessions))).toBeGreaterThanOrEqual(1);
  });

  it('takes the nearest free start within 2 hours, then an alternate clinic, then the next day, each with a warning', () => {
    const busyAllMorning = (date: string) => [{ start: at(date, '07:00'), end: at(date, '10:00') }];
    const first = plan('tms-standard', MONDAY, [
      {
        id: 'aurora',
        name: 'Aurora',
        busy: { [resourceId('aurora', 'tms_device', 1)]: busyAllMorning('2026-08-04'), [resourceId('aurora', 'tms_device', 2)]: busyAllMorning('2026-08-04') },
      },
    ]);
    expect(first.sessions[1]).toMatchObject({ date: '2026-08-04', time: '10:00' });
    expect(first.warnings).toEqual([expect.stringMatching(/^Session 2 \(induction\): 10:00 instead of 09:00 \(Aurora at 09:00: No tms device is free/)]);

    const allDay = (date: string) => [{ start: at(date, '07:00'), end: at(date, '19:00') }];
    const fullDay = { [resourceId('aurora', 'tms_device', 1)]: allDay('2026-08-04'), [resourceId('aurora', 'tms_device', 2)]: allDay('2026-08-04') };
    const second = plan('tms-standard', MONDAY, [
      { id: 'aurora', name: 'Aurora', busy: fullDay },
      { id: 'louisville', name: 'Louisville' },
    ]);
    expect(second.sessions[1]).toMatchObject({ date: '2026-08-04', time: '09:00', locationId: 'louisville' });
    expect(second.warnings).toEqual([expect.stringMatching(/^Session 2 \(induction\): at Louisville instead of Aurora/)]);

    const third = plan('tms-standard', MONDAY, [{ id: 'aurora', name: 'Aurora', busy: fullDay }]);
    expect(third.sessions[1]).toMatchObject({ date: '2026-08-05', time: '09:00', locationId: 'aurora' });
    expect(third.warnings[0]).toMatch(/^Session 2 \(induction\): Wed 2026-08-05 instead of Tue 2026-08-04/);
    expect(third.sessions).toHaveLength(36);
  });

  it('refuses the whole course, naming the session and why, when a session cannot be placed within its limits', () => {
    const closed = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [addDays('2026-08-10', i), 'Flood']));
    try {
      plan('tms-standard', MONDAY, [{ id: 'aurora', name: 'Aurora', closed }]);
      throw new Error('expected a CoursePlanError');
    } catch (error) {
      expect(error).toBeInstanceOf(CoursePlanError);
      expect(error).toMatchObject({ sequence: 6, phase: 'induction' });
      expect((error as Error).message).toMatch(/^Session 6 \(induction\) cannot be placed from Mon 2026-08-10 to .*Aurora: closed on 2026-08-10 \(Flood\)/);
    }
  });

  it('keeps the wall time across both DST changes (2026-03-08 and 2026-11-01)', () => {
    for (const start of ['2026-02-23', '2026-10-05']) {
      const sut = plan('tms-standard', start);
      expect(sut.sessions).toHaveLength(36);
      const offsets = new Set(sut.sessions.map((s) => local(s.startsAt).offset));
      expect(offsets).toEqual(new Set([-420, -360]));
      expect(sut.sessions.every((s) => local(s.startsAt).toFormat('HH:mm') === '09:00')).toBe(true);
    }
  });
});

describe('planCourse: accelerated TMS', () => {
  const MONDAY = '2026-08-03';

  it('10 sessions a day, starts ≥ 60 minutes apart, on 5 consecutive weekdays, all on one device', () => {
    const sut = plan('tms-accelerated', MONDAY);
    expect(sut.sessions).toHaveLength(50);
    expect([...new Set(sut.sessions.map((s) => s.date))]).toEqual(['2026-08-03', '2026-08-04', '2026-08-05', '2026-08-06', '2026-08-07']);
    expect(new Set(sut.sessions.map((s) => s.resourceId)).size).toBe(1);
    for (let day = 1; day <= 5; day++) {
      const ofDay = sut.sessions.filter((s) => s.phase === `accelerated-day-${day}`);
      expect(ofDay).toHaveLength(10);
      const starts = ofDay.map((s) => s.startsAt.getTime() / 60_000);
      const steps = starts.slice(1).map((m, i) => m - starts[i]);
      expect(Math.min(...steps)).toBeGreaterThanOrEqual(60);
    }
    // The motor-threshold visit (75 minutes) pushes the second session of day 1 to 10:15.
    expect(sut.sessions[1].time).toBe('10:15');
  });

  it('starts a day earlier so that 10 sessions fit before closing, with a warning', () => {
    const sut = plan('tms-accelerated', MONDAY, [{ id: 'aurora', name: 'Aurora' }], { preferredTime: '13:00' });
    expect(sut.sessions.filter((s) => s.phase === 'accelerated-day-2')[0].time).toBe('09:45');
    expect(sut.warnings).toContainEqual(expect.stringMatching(/^Accelerated day 2 \(Tue 2026-08-04\): first session at 09:45 instead of 13:00/));
  });

  it('says why when the clinic is not open long enough', () => {
    expect(() => plan('tms-accelerated', MONDAY, [{ id: 'aurora', name: 'Aurora', hours: { opens: '08:00', closes: '16:00' } }])).toThrow(
      /Aurora is open 08:00–16:00, but 10 sessions starting at least 60 minutes apart need 9 h 30 min/,
    );
  });

  it('moves the block past a closure rather than split it', () => {
    const sut = plan('tms-accelerated', MONDAY, [{ id: 'aurora', name: 'Aurora', closed: { '2026-08-05': 'Training' } }]);
    expect(sut.sessions[0].date).toBe('2026-08-06');
    expect(sut.warnings[0]).toMatch(/^The accelerated course starts Thu 2026-08-06 instead of Mon 2026-08-03/);
  });
});

describe('planCourse: Spravato, ketamine, ECT', () => {
  const MONDAY = '2026-08-03';

  it('Spravato TRD: twice a week (Mon/Thu) for 4 weeks, then weekly through week 8 and the maintenance weeks; first dose 56 mg', () => {
    const sut = plan('spravato-trd', MONDAY, [{ id: 'aurora' }], { options: { maintenanceWeeks: 4 } });
    expect(sut.sessions).toHaveLength(16);
    expect(perCourseWeek(sut.sessions, MONDAY)).toEqual([2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(weekdays(sut.sessions.slice(0, 8))).toEqual([1, 4, 1, 4, 1, 4, 1, 4]);
    expect(sut.sessions.map((s) => s.phase)).toEqual([...Array(8).fill('induction'), ...Array(8).fill('maintenance')]);
    expect(sut.sessions[0].plannedDoseMg).toBe(56);
    expect(sut.sessions[1].plannedDoseMg).toBeUndefined();
  });

  it('Spravato never books induction sessions on consecutive days, even when a pattern day is closed', () => {
    const sut = plan('spravato-trd', MONDAY, [{ id: 'aurora', name: 'Aurora', closed: { '2026-08-06': 'Power cut', '2026-08-07': 'Power cut' } }]);
    expect(weekdays(sut.sessions.slice(0, 2))).toEqual([1, 3]);
    expect(Math.min(...gaps(sut.sessions))).toBeGreaterThanOrEqual(2);
    expect(sut.warnings[0]).toMatch(
      /^Session 2 \(induction\): Wed 2026-08-05 instead of Thu 2026-08-06 \(Thu 2026-08-06: Aurora: closed on 2026-08-06 \(Power cut\)\)/,
    );
  });

  it('Spravato MDSI: 84 mg twice a week for 4 weeks', () => {
    const sut = plan('spravato-mdsi', '2026-08-06');
    expect(sut.sessions).toHaveLength(8);
    expect(perCourseWeek(sut.sessions, '2026-08-06')).toEqual([2, 2, 2, 2]);
    expect(sut.sessions.every((s) => s.plannedDoseMg === 84)).toBe(true);
    expect(Math.min(...gaps(sut.sessions))).toBeGreaterThanOrEqual(2);
  });

  it('IV ketamine: 6 infusions every other weekday, never consecutive, within 3 weeks', () => {
    const sut = plan('ketamine-iv', MONDAY);
    expect(weekdays(sut.sessions)).toEqual([1, 3, 5, 1, 3, 5]);
    expect(daysBetween(sut.sessions[0].date, sut.sessions[5].date)).toBeLessThanOrEqual(20);
  });

  it('ECT: Monday/Wednesday/Friday, 9 by default or as asked; a closed Wednesday moves to Thursday, then Monday', () => {
    expect(weekdays(plan('ect-index', MONDAY, [{ id: 'aurora' }], { preferredTime: '07:30' }).sessions)).toEqual([1, 3, 5, 1, 3, 5, 1, 3, 5]);
    expect(plan('ect-index', MONDAY, [{ id: 'aurora' }], { options: { totalSessions: 12 } }).sessions).toHaveLength(12);
    const sut = plan('ect-index', MONDAY, [{ id: 'aurora', closed: { '2026-08-05': 'Anesthesia unavailable' } }], { preferredTime: '07:30' });
    expect(sut.sessions.slice(0, 4).map((s) => s.date)).toEqual(['2026-08-03', '2026-08-06', '2026-08-10', '2026-08-12']);
    expect(Math.min(...gaps(sut.sessions))).toBeGreaterThanOrEqual(2);
  });

  it('takes the nearest start at which the ECT suite is free (the earlier on a tie)', () => {
    const busy = { [resourceId('aurora', 'ect_suite', 1)]: [{ start: at(MONDAY, '07:30'), end: at(MONDAY, '08:00') }] };
    const sut = plan('ect-index', MONDAY, [{ id: 'aurora', name: 'Aurora', busy }], { preferredTime: '07:30' });
    expect(sut.sessions[0]).toMatchObject({ time: '07:00' });
    expect(sut.warnings[0]).toMatch(/^Session 1 \(index\): 07:00 instead of 07:30 \(Aurora at 07:30: The resource|No ect suite/);
  });
});

describe('candidateTimes', () => {
  it('tries the preferred time, then the nearest grid starts within ±2 hours, the earlier first on a tie', () => {
    expect(candidateTimes('09:00', 30)).toEqual(['09:00', '08:30', '09:30', '08:00', '10:00', '07:30', '10:30', '07:00', '11:00']);
    expect(candidateTimes('00:30', 30, 60)).toEqual(['00:30', '00:00', '01:00', '01:30']);
  });
});

describe('planExtraSession', () => {
  it('adds a session on the next weekday after the last one, keeping the device when asked', () => {
    const protocol = PROTOCOLS['tms-accelerated'];
    const calendar = fixtureCalendar({ id: 'aurora', from: '2026-08-07', to: '2026-08-30' });
    const sut = planExtraSession(
      {
        protocol,
        preferredTime: '09:00',
        locations: [{ id: 'aurora', name: 'Aurora' }],
        zone: CLINIC_ZONE,
        after: '2026-08-07',
        sequence: 51,
        phase: 'make-up',
        minGapDays: 1,
        maxSlipDays: 6,
        resourceId: resourceId('aurora', 'tms_device', 2),
      },
      new CalendarOracle([calendar], 'tms'),
    );
    expect(sut.session).toMatchObject({
      date: '2026-08-10',
      time: '09:00',
      sequence: 51,
      phase: 'make-up',
      resourceId: resourceId('aurora', 'tms_device', 2),
      durationMinutes: 15,
    });
    expect(sut.warning).toBeUndefined();
  });
});

describe('planCourse: the patient’s treatment frequency', () => {
  it('places a Spravato induction around a session the patient has already, never three in 7 days', () => {
    const protocol = PROTOCOLS['spravato-mdsi'];
    const calendar = fixtureCalendar({ id: 'aurora', from: '2026-08-02', to: '2026-09-30' });
    // The patient has a session on Friday 7 August, before the course starts on Monday 10 August.
    calendar.context.patientTreatments = [
      {
        appointmentId: 'booked',
        type: 'spravato',
        date: '2026-08-07',
        startsAt: at('2026-08-07', '13:00'),
        courseId: null,
        sequence: null,
        accelerated: false,
      },
    ];
    const sut = planCourse(
      { protocol, options: {}, startDate: '2026-08-10', preferredTime: '09:00', locations: [{ id: 'aurora', name: 'Aurora' }], zone: CLINIC_ZONE },
      new CalendarOracle([calendar], protocol),
    );
    const dates = ['2026-08-07', ...sut.sessions.map((s) => s.date)];
    expect(dates).toHaveLength(9);
    for (const from of dates) expect(dates.filter((d) => daysBetween(from, d) >= 0 && daysBetween(from, d) <= 6).length).toBeLessThanOrEqual(2);
    // The first week's Thursday (13 August) would be a third in 7 days with 7 and 10 August: Friday instead.
    expect(sut.sessions.slice(0, 2).map((s) => s.date)).toEqual(['2026-08-10', '2026-08-14']);
  });
});

describe('planCourse: a replan of the later sessions', () => {
  it('places only the sessions given, from the start date, spaced from the last session kept', () => {
    const protocol = PROTOCOLS['tms-standard'];
    const calendar = fixtureCalendar({ id: 'aurora', from: '2026-08-01', to: '2027-01-31' });
    const sequences = Array.from({ length: 27 }, (_, i) => 10 + i);
    const sut = planCourse(
      {
        protocol,
        options: {},
        startDate: '2026-08-14',
        preferredTime: '14:00',
        locations: [{ id: 'aurora', name: 'Aurora' }],
        zone: CLINIC_ZONE,
        tail: {
          phases: tailPhases(protocol, {}, sequences) as PhaseRule[],
          sequences,
          afterDate: '2026-08-14',
          booking: (sequence) => ({ firstOfCourse: false, durationMinutes: sequence === 10 ? 75 : 30 }),
        },
      },
      new CalendarOracle([calendar], protocol),
    );
    expect(sut.sessions.map((s) => s.sequence)).toEqual(sequences);
    // Session 9 was on Friday 14 August: session 10 goes on the next course day, at the new time.
    expect(sut.sessions[0]).toMatchObject({ sequence: 10, date: '2026-08-17', time: '14:00', durationMinutes: 75 });
    expect(sut.sessions[1]).toMatchObject({ sequence: 11, durationMinutes: 30 });
    expect(sut.sessions.filter((s) => s.phase === 'taper')).toHaveLength(6);
  });
});

describe('CalendarOracle with a band of the day loaded', () => {
  const calendar = () => ({ ...fixtureCalendar({ id: 'aurora', from: '2027-08-01', to: '2027-08-31' }), band: { from: 10 * 60, to: 15 * 60 + 15 } });
  const probe = (date: string, time: string, durationMinutes?: number) => ({
    sequence: 1,
    locationId: 'aurora',
    startsAt: at(date, time),
    firstOfCourse: false,
    durationMinutes,
  });

  it('judges a session inside the band and refuses to judge one that leaves it', () => {
    const oracle = new CalendarOracle([calendar()], PROTOCOLS['tms-standard']);
    expect(oracle.hold(probe('2027-08-03', '10:00'))).toMatchObject({ ok: true });
    expect(oracle.hold(probe('2027-08-05', '14:45'))).toMatchObject({ ok: true });
    expect(() => oracle.hold(probe('2027-08-09', '09:45'))).toThrow(CalendarBandExceeded);
    expect(() => oracle.hold(probe('2027-08-09', '14:50'))).toThrow(CalendarBandExceeded);
    expect(() => oracle.hold(probe('2027-08-09', '14:00', 90))).toThrow(CalendarBandExceeded);
  });
});
