import fc from 'fast-check';
import { DateTime } from 'luxon';
import { addDays, CLINIC_ZONE, daysBetween, weekdayOf } from '../../common/clinic-time';
import { CalendarOracle } from './calendar-oracle';
import { CoursePlan, CoursePlanError, planCourse } from './course-planner';
import { fixtureCalendar } from '../../../test/support/planning-calendar.fixture';
import { PROTOCOL_CODES, PROTOCOLS, ProtocolCode, totalSessionsOf } from './protocols';
import { PlannedSession } from './session-placement';

/** Start dates over 2026–2027, both DST changes of each year included. */
const startDate = fc.integer({ min: 0, max: 700 }).map((n) => addDays('2026-01-01', n));
/** Closure days as offsets from the start date. */
const closures = fc.uniqueArray(fc.integer({ min: 0, max: 120 }), { maxLength: 10 });

function plan(code: ProtocolCode, start: string, closed: string[] = [], preferredTime = '09:00'): CoursePlan {
  const reasons = Object.fromEntries(closed.map((date) => [date, 'Closed']));
  const calendar = fixtureCalendar({ id: 'aurora', from: addDays(start, -1), to: addDays(start, 200), closed: reasons });
  const protocol = PROTOCOLS[code];
  return planCourse(
    { protocol, options: {}, startDate: start, preferredTime, locations: [{ id: 'aurora', name: 'Aurora' }], zone: CLINIC_ZONE },
    new CalendarOracle([calendar], protocol),
  );
}

/** Plans, or undefined when the planner refuses the course (which it may only do with a CoursePlanError). */
function planOrRefuse(code: ProtocolCode, start: string, closed: string[]): CoursePlan | undefined {
  try {
    return plan(code, start, closed);
  } catch (error) {
    if (error instanceof CoursePlanError) return undefined;
    throw error;
  }
}

const gaps = (sessions: PlannedSession[]) => sessions.slice(1).map((s, i) => daysBetween(sessions[i].date, s.date));
const localTime = (s: PlannedSession) => DateTime.fromJSDate(s.startsAt, { zone: CLINIC_ZONE }).toFormat('HH:mm');

function perCourseWeek(sessions: PlannedSession[], anchor: string): number[] {
  const counts: number[] = [];
  for (const s of sessions) {
    const week = Math.floor(daysBetween(anchor, s.date) / 7);
    counts[week] = (counts[week] ?? 0) + 1;
  }
  return Array.from(counts, (c) => c ?? 0);
}

/** The spacing every plan of a protocol keeps, whatever the calendar. */
function expectCadence(code: ProtocolCode, sut: CoursePlan, start: string): void {
  const sessions = sut.sessions;
  expect(sessions).toHaveLength(totalSessionsOf(PROTOCOLS[code]));
  expect(sessions.map((s) => s.sequence)).toEqual(sessions.map((_, i) => i + 1));
  expect(sessions.every((s) => weekdayOf(s.date) <= 5 && s.date >= start)).toBe(true);
  const starts = sessions.map((s) => s.startsAt.getTime());
  expect(starts).toEqual([...starts].sort((a, b) => a - b));
  if (code === 'tms-accelerated') {
    const days = [...new Set(sessions.map((s) => s.date))];
    expect(days).toHaveLength(5);
    expect(gaps(days.map((date) => ({ date }) as PlannedSession)).every((g) => g === 1 || g === 3)).toBe(true);
    expect(new Set(sessions.map((s) => s.resourceId)).size).toBe(1);
    for (const day of days) {
      const ofDay = sessions.filter((s) => s.date === day).map((s) => s.startsAt.getTime() / 60_000);
      expect(ofDay).toHaveLength(10);
      expect(ofDay.slice(1).every((m, i) => m - ofDay[i] >= 60)).toBe(true);
    }
    return;
  }
  expect(sessions.every((s) => s.time === '09:00' && localTime(s) === '09:00')).toBe(true);
  const minGap = PROTOCOLS[code].treatment === 'tms' ? 1 : 2;
  expect(Math.min(...gaps(sessions))).toBeGreaterThanOrEqual(minGap);
  WEEKLY_SHAPE[code](perCourseWeek(sessions, start), sessions);
}

const atMostFiveAWeek = (weeks: number[]) => expect(Math.max(...weeks)).toBeLessThanOrEqual(5);

/** The shape of each protocol's course weeks on any calendar, beyond the spacing every plan keeps. */
const WEEKLY_SHAPE: Record<ProtocolCode, (weeks: number[], sessions: PlannedSession[]) => void> = {
  'tms-standard': atMostFiveAWeek,
  'tms-itbs': atMostFiveAWeek,
  'tms-deep': atMostFiveAWeek,
  // Five days of ten sessions, checked in expectCadence.
  'tms-accelerated': () => undefined,
  'spravato-trd': (weeks) => expect(weeks).toEqual([2, 2, 2, 2, 1, 1, 1, 1]),
  'spravato-mdsi': (weeks) => expect(weeks.slice(0, 4)).toEqual([2, 2, 2, 2]),
  'ketamine-iv': (_weeks, sessions) => expect(daysBetween(sessions[0].date, sessions[5].date)).toBeLessThanOrEqual(20),
  'ect-index': (weeks) => expect(Math.max(...weeks)).toBeLessThanOrEqual(3),
};

/** Sessions per course week on an open calendar, where a protocol has one fixed shape. */
const OPEN_CALENDAR_WEEKS: Partial<Record<ProtocolCode, number[]>> = {
  'tms-standard': [5, 5, 5, 5, 5, 5, 3, 2, 1],
  'tms-itbs': [5, 5, 5, 5, 5, 5, 3, 2, 1],
  'tms-deep': [5, 5, 5, 5, ...Array(12).fill(2)],
};

describe('planCourse properties', () => {
  // Every protocol, each with random start dates: no protocol's checks can go unexercised.
  it.each(PROTOCOL_CODES)('on an open calendar, %s follows its cadence exactly, at the preferred local time, across DST', (code) => {
    fc.assert(
      fc.property(startDate, (start) => {
        const sut = plan(code, start);
        expectCadence(code, sut, start);
        expect(sut.warnings.filter((w) => !w.startsWith('Accelerated day 1'))).toEqual([]);
        expect(perCourseWeek(sut.sessions, start).filter((n) => n > 0)).toEqual(OPEN_CALENDAR_WEEKS[code] ?? expect.any(Array));
      }),
      { numRuns: 8 },
    );
  });

  it.each(PROTOCOL_CODES)('with random closures, a %s plan skips every closed day and keeps the spacing, or the course is refused as a whole', (code) => {
    let planned = 0;
    fc.assert(
      fc.property(startDate, closures, (start, offsets) => {
        const closed = offsets.map((n) => addDays(start, n));
        const sut = planOrRefuse(code, start, closed);
        // A refusal is allowed (a CoursePlanError, see planOrRefuse); the plans made are checked.
        if (!sut) return;
        planned++;
        expectCadence(code, sut, start);
        expect(sut.sessions.filter((s) => closed.includes(s.date))).toEqual([]);
      }),
      { numRuns: 10 },
    );
    expect(planned).toBeGreaterThan(0);
  });

  it.each<ProtocolCode>(['tms-standard', 'spravato-trd', 'ect-index', 'ketamine-iv'])(
    'a closure on a day the %s cadence wanted always leaves a warning',
    (code) => {
      let planned = 0;
      fc.assert(
        fc.property(startDate, (start) => {
          const open = plan(code, start);
          const wanted = open.sessions[3].date;
          const sut = planOrRefuse(code, start, [wanted]);
          if (!sut) return;
          planned++;
          expect(sut.sessions).toHaveLength(open.sessions.length);
          expect(sut.sessions.filter((s) => s.date === wanted)).toEqual([]);
          expect(sut.warnings.filter((w) => w.includes(`closed on ${wanted}`)).length).toBeGreaterThanOrEqual(1);
        }),
        { numRuns: 10 },
      );
      expect(planned).toBeGreaterThan(0);
    },
  );
});
