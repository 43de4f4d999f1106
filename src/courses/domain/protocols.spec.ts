import { nominalSpanDays, phaseOf, PROTOCOL_CODES, PROTOCOLS, requiredGapDays, sessionBooking, sessionSpacing, tailPhases, totalSessionsOf } from './protocols';

describe('protocol catalog', () => {
  it('has every protocol of the contract, each adding up to its total', () => {
    expect(Object.keys(PROTOCOLS).sort()).toEqual([...PROTOCOL_CODES].sort());
    const totals = Object.fromEntries(PROTOCOL_CODES.map((code) => [code, totalSessionsOf(PROTOCOLS[code])]));
    expect(totals).toEqual({
      'tms-standard': 36,
      'tms-itbs': 36,
      'tms-deep': 44,
      'tms-accelerated': 50,
      'spravato-trd': 12,
      'spravato-mdsi': 8,
      'ketamine-iv': 6,
      'ect-index': 9,
    });
    for (const code of PROTOCOL_CODES) expect(PROTOCOLS[code].totalSessions).toBe(totals[code]);
  });

  it('books what the treatments hold: TMS 30 (iTBS and accelerated 15, first visit 75), Spravato 150, ketamine 105, ECT 75', () => {
    const sut = (code: keyof typeof PROTOCOLS) => [PROTOCOLS[code].occupancyMinutes, PROTOCOLS[code].firstSessionMinutes];
    expect(sut('tms-standard')).toEqual([30, 75]);
    expect(sut('tms-itbs')).toEqual([15, 75]);
    expect(sut('tms-accelerated')).toEqual([15, 75]);
    expect(sut('spravato-trd')).toEqual([150, undefined]);
    expect(sut('ketamine-iv')).toEqual([105, undefined]);
    expect(sut('ect-index')).toEqual([75, undefined]);
  });

  it('takes ECT length and Spravato maintenance weeks as options', () => {
    expect(totalSessionsOf(PROTOCOLS['ect-index'], { totalSessions: 12 })).toBe(12);
    expect(totalSessionsOf(PROTOCOLS['spravato-trd'], { maintenanceWeeks: 10 })).toBe(22);
    expect(PROTOCOLS['ect-index'].totalSessionsRange).toEqual({ min: 6, max: 12 });
  });

  it('names the phase of every session, and make-up sessions past the end', () => {
    const tms = PROTOCOLS['tms-standard'];
    expect([phaseOf(tms, 1), phaseOf(tms, 30), phaseOf(tms, 31), phaseOf(tms, 36), phaseOf(tms, 37)]).toEqual([
      'induction',
      'induction',
      'taper',
      'taper',
      'make-up',
    ]);
    const saint = PROTOCOLS['tms-accelerated'];
    expect([phaseOf(saint, 1), phaseOf(saint, 10), phaseOf(saint, 11), phaseOf(saint, 50)]).toEqual([
      'accelerated-day-1',
      'accelerated-day-1',
      'accelerated-day-2',
      'accelerated-day-5',
    ]);
    const spravato = PROTOCOLS['spravato-trd'];
    expect([phaseOf(spravato, 8), phaseOf(spravato, 9), phaseOf(spravato, 14, { maintenanceWeeks: 2 })]).toEqual(['induction', 'maintenance', 'maintenance']);
    expect(phaseOf(PROTOCOLS['ect-index'], 9)).toBe('index');
  });

  it('books the first TMS session as the motor-threshold visit and sets Spravato doses', () => {
    expect(sessionBooking(PROTOCOLS['tms-itbs'], 1)).toEqual({ firstOfCourse: true });
    expect(sessionBooking(PROTOCOLS['tms-itbs'], 2)).toEqual({ firstOfCourse: false, durationMinutes: 15 });
    expect(sessionBooking(PROTOCOLS['spravato-trd'], 1)).toEqual({ firstOfCourse: false, plannedDoseMg: 56 });
    expect(sessionBooking(PROTOCOLS['spravato-trd'], 2)).toEqual({ firstOfCourse: false });
    expect(sessionBooking(PROTOCOLS['spravato-mdsi'], 5)).toEqual({ firstOfCourse: false, plannedDoseMg: 84 });
  });

  it('estimates a span that covers the nominal course', () => {
    expect(nominalSpanDays(PROTOCOLS['tms-standard'])).toBeGreaterThanOrEqual(9 * 7 - 3);
    expect(nominalSpanDays(PROTOCOLS['tms-deep'])).toBeGreaterThanOrEqual(16 * 7 - 3);
    expect(nominalSpanDays(PROTOCOLS['spravato-trd'], { maintenanceWeeks: 20 })).toBe(28 * 7);
  });
});

describe('Spravato maintenance every 2 weeks', () => {
  it('keeps the session count and spaces the maintenance weeks after week 8 with empty weeks', () => {
    const trd = PROTOCOLS['spravato-trd'];
    const every2 = trd.phases({ maintenanceWeeks: 3, maintenanceEveryWeeks: 2 });
    expect(every2[1]).toMatchObject({ phase: 'maintenance', perWeek: [1, 1, 1, 1, 1, 0, 1, 0, 1] });
    expect(totalSessionsOf(trd, { maintenanceWeeks: 3, maintenanceEveryWeeks: 2 })).toBe(15);
    expect(trd.phases({ maintenanceWeeks: 3 })[1]).toMatchObject({ perWeek: [1, 1, 1, 1, 1, 1, 1] });
    expect(phaseOf(trd, 15, { maintenanceWeeks: 3, maintenanceEveryWeeks: 2 })).toBe('maintenance');
  });
});

describe('sessionSpacing and requiredGapDays', () => {
  it('gives each phase its own gap, the larger one between two phases, and minutes for accelerated TMS', () => {
    const deep = PROTOCOLS['tms-deep'];
    expect(sessionSpacing(deep, 20)).toEqual({ kind: 'days', minGapDays: 1 });
    expect(sessionSpacing(deep, 21)).toEqual({ kind: 'days', minGapDays: 2 });
    expect(requiredGapDays(deep, 20, 21)).toBe(2);
    expect(requiredGapDays(deep, 44, 45)).toBe(2);
    expect(sessionSpacing(deep, 45)).toEqual({ kind: 'days', minGapDays: 1 });
    expect(sessionSpacing(deep, null)).toEqual({ kind: 'days', minGapDays: 1 });
    expect(requiredGapDays(PROTOCOLS['ketamine-iv'], 2, 3)).toBe(2);
    expect(sessionSpacing(PROTOCOLS['tms-accelerated'], 3)).toEqual({ kind: 'minutes', minStartGapMinutes: 60 });
  });
});

describe('tailPhases', () => {
  const tms = PROTOCOLS['tms-standard'];
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('keeps what is left of each phase from the session replanned on', () => {
    expect(tailPhases(tms, {}, range(10, 36))).toEqual([
      expect.objectContaining({ kind: 'spaced', phase: 'induction', sessions: 21 }),
      expect.objectContaining({ kind: 'weekly', phase: 'taper', perWeek: [3, 2, 1] }),
    ]);
    expect(tailPhases(tms, {}, range(32, 36))).toEqual([expect.objectContaining({ kind: 'weekly', perWeek: [2, 2, 1] })]);
  });

  it('leaves out released sessions, and spaces make-ups as make-ups at the end', () => {
    const sequences = [...range(10, 36).filter((n) => n !== 12), 37];
    expect(tailPhases(tms, {}, sequences)).toEqual([
      expect.objectContaining({ phase: 'induction', sessions: 20 }),
      expect.objectContaining({ phase: 'taper', perWeek: [3, 2, 1] }),
      expect.objectContaining({ kind: 'spaced', phase: 'make-up', sessions: 1, minGapDays: 1 }),
    ]);
  });

  it('keeps the empty weeks of "every 2 weeks" between sessions, not before the first', () => {
    const trd = PROTOCOLS['spravato-trd'];
    const options = { maintenanceWeeks: 3, maintenanceEveryWeeks: 2 };
    expect(tailPhases(trd, options, range(13, 15))).toEqual([expect.objectContaining({ phase: 'maintenance', perWeek: [1, 0, 1, 0, 1] })]);
    expect(tailPhases(trd, options, range(14, 15))).toEqual([expect.objectContaining({ phase: 'maintenance', perWeek: [1, 0, 1] })]);
  });

  it('replans accelerated TMS by whole days only', () => {
    const saint = PROTOCOLS['tms-accelerated'];
    expect(tailPhases(saint, {}, range(21, 50))).toEqual([expect.objectContaining({ kind: 'accelerated', days: 3 })]);
    expect(tailPhases(saint, {}, range(25, 50))).toEqual({ error: expect.stringContaining('whole days') });
  });
});
