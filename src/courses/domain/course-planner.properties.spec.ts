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
const protocolCode = fc.constantFrom(...PROTOCOL_CODES);
/** Closure days as offsets from the start date. */
const closures = fc.uniqueArray(fc.integer({ min: 0, max: 120 }), { maxLength: 10 });

function plan(code: ProtocolCode, start: string, closed: string[] = [], preferredTime = '09:00'): CoursePlan {
  const reasons = Object.fromEntries(closed.map((date) => [date, 'Closed']));
  const calendar = fixtureCalendar({ id: 'aurora', from: addDays(start, -1), to: addDays(start, 200), closed: reasons });
  const protocol = PROTOCOLS[code];
  return planCourse(
    { protocol, options: {}, startDate: start, preferredTime, locations: [{ id: 'aurora', name: 'Aurora' }], zone: CLINIC_ZONE },
    new CalendarOracle([calendar], protocol.treatment),
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
  const weeks = perCourseWeek(sessions, start);
  if (code === 'spravato-trd' || code === 'spravato-mdsi') expect(weeks.slice(0, 4)).toEqual([2, 2, 2, 2]);
  if (code === 'spravato-trd') expect(weeks.slice(4)).toEqual([1, 1, 1, 1]);
  if (code === 'ketamine-iv') expect(daysBetween(sessions[0].date, sessions[5].date)).toBeLessThanOrEqual(20);
  if (code === 'ect-index') expect(Math.max(...weeks)).toBeLessThanOrEqual(3);
  if (PROTOCOLS[code].treatment === 'tms') expect(Math.max(...weeks)).toBeLessThanOrEqual(5);
}

describe('planCourse properties', () => {
  it('on an open calendar, every protocol follows its cadence exactly, at the preferred local time, across DST', () => {
    fc.assert(
      fc.property(protocolCode, startDate, (code, start) => {
        const sut = plan(code, start);
        expectCadence(code, sut, start);
        expect(sut.warnings.filter((w) => !w.startsWith('Accelerated day 1'))).toEqual([]);
        if (code === 'tms-standard' || code === 'tms-itbs')
          expect(perCourseWeek(sut.sessions, start).filter((n) => n > 0)).toEqual([5, 5, 5, 5, 5, 5, 3, 2, 1]);
        if (code === 'tms-deep') expect(perCourseWeek(sut.sessions, start).filter((n) => n > 0)).toEqual([5, 5, 5, 5, ...Array(12).fill(2)]);
      }),
      { numRuns: 60 },
    );
  });

  it('with random closures, a plan skips every closed day and keeps the spacing, or the course is refused as a whole', () => {
    fc.assert(
      fc.property(protocolCode, startDate, closures, (code, start, offsets) => {
        const closed = offsets.map((n) => addDays(start, n));
        const sut = planOrRefuse(code, start, closed);
        if (!sut) return;
        expectCadence(code, sut, start);
        expect(sut.sessions.some((s) => closed.includes(s.date))).toBe(false);
      }),
      { numRuns: 80 },
    );
  });

  it('a closure on a day the cadence wanted always leaves a warning', () => {
    fc.assert(
      fc.property(fc.constantFrom<ProtocolCode>('tms-standard', 'spravato-trd', 'ect-index', 'ketamine-iv'), startDate, (code, start) => {
        const open = plan(code, start);
        const wanted = open.sessions[3].date;
        const sut = planOrRefuse(code, start, [wanted]);
        if (!sut) return;
        expect(sut.sessions.some((s) => s.date === wanted)).toBe(false);
        expect(sut.warnings.some((w) => w.includes(`closed on ${wanted}`))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
