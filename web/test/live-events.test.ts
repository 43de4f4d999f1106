import { describe, expect, it } from 'vitest';
import { backoffMs, parseFrames, staleKeys } from '../src/live/live-events';

describe('parseFrames', () => {
  it('reads complete events, skips heartbeats and retry lines, and keeps an unfinished frame for later', () => {
    const { events, rest } = parseFrames(
      'retry: 3000\n\nevent: ready\ndata: {"locationId":"L"}\n\n: heartbeat\n\nevent: status\ndata: {"appointmentId":"A","sta',
    );
    expect(events).toEqual([{ event: 'ready', data: { locationId: 'L' } }]);
    expect(rest).toBe('event: status\ndata: {"appointmentId":"A","sta');
    expect(parseFrames(rest + 'tus":"checked_in"}\n\n').events).toEqual([{ event: 'status', data: { appointmentId: 'A', status: 'checked_in' } }]);
  });
});

describe('staleKeys', () => {
  it('makes the day board, the chair-side board and the worklist of the clinic stale on a status change', () => {
    const keys = staleKeys('L', { event: 'status', data: { appointmentId: 'A', status: 'checked_in' } });
    expect(keys).toEqual(
      expect.arrayContaining([
        ['appointments', 'L'],
        ['observation', 'L'],
        ['worklist', 'L'],
        ['session', 'A'],
      ]),
    );
  });

  it('refreshes the readings of the one appointment on vitals, and nothing for an unknown event', () => {
    expect(staleKeys('L', { event: 'vitals', data: { appointmentId: 'A' } })).toContainEqual(['vitals', 'A']);
    expect(staleKeys('L', { event: 'billing', data: {} })).toEqual([]);
  });

  it('refreshes the worklist on a worklist change, and the clearance list on new readings and on a clearance', () => {
    expect(staleKeys('L', { event: 'worklist', data: { itemId: 'W', change: 'done' } })).toEqual([['worklist', 'L']]);
    expect(staleKeys('L', { event: 'vitals', data: { appointmentId: 'A' } })).toContainEqual(['clearances', 'L']);
    expect(staleKeys('L', { event: 'clearance', data: { appointmentId: 'A', vitalsId: 'V' } })).toEqual([
      ['session', 'A'],
      ['clearances', 'L'],
    ]);
  });
});

describe('backoffMs', () => {
  it('grows from about a second to at most about 30 seconds', () => {
    expect(backoffMs(0)).toBeLessThanOrEqual(1250);
    expect(backoffMs(1)).toBeGreaterThanOrEqual(1500);
    expect(backoffMs(20)).toBeLessThanOrEqual(37_500);
  });
});
