import { APPOINTMENT_STATUSES, APPOINTMENT_TYPES, AppointmentStatus } from '../../appointments/domain/vocabulary';
import { SESSION_ACTIONS, transition as sut } from './status-machine';

describe('session status machine', () => {
  it('walks a Spravato session: check-in, dose into observation, discharge', () => {
    expect(sut('spravato', 'scheduled', 'check_in')).toEqual({ ok: true, to: 'checked_in' });
    expect(sut('spravato', 'checked_in', 'dose')).toEqual({ ok: true, to: 'observing' });
    expect(sut('spravato', 'in_treatment', 'dose')).toEqual({ ok: true, to: 'observing' });
    expect(sut('spravato', 'observing', 'discharge')).toEqual({ ok: true, to: 'discharged' });
  });

  it('walks ketamine and ECT through treatment end into recovery', () => {
    for (const type of ['ketamine', 'ect'] as const) {
      expect(sut(type, 'checked_in', 'start')).toEqual({ ok: true, to: 'in_treatment' });
      expect(sut(type, 'in_treatment', 'treatment_end')).toEqual({ ok: true, to: 'observing' });
      expect(sut(type, 'observing', 'discharge')).toEqual({ ok: true, to: 'discharged' });
      expect(sut(type, 'in_treatment', 'discharge')).toMatchObject({ ok: false, rule: 'status' });
    }
  });

  it('discharges TMS and visits straight from treatment: nobody is observed after them', () => {
    for (const type of ['tms', 'intake', 'follow_up'] as const) {
      expect(sut(type, 'in_treatment', 'discharge')).toEqual({ ok: true, to: 'discharged' });
      expect(sut(type, 'in_treatment', 'treatment_end')).toMatchObject({ ok: false, rule: 'treatment-type' });
    }
  });

  it('names the current status when an action comes out of order', () => {
    expect(sut('spravato', 'scheduled', 'dose')).toEqual({
      ok: false,
      rule: 'status',
      detail: 'Cannot record a dose for an appointment that is scheduled; it must be checked_in or in_treatment.',
    });
    expect(sut('tms', 'checked_in', 'check_in')).toMatchObject({ ok: false, detail: expect.stringContaining('is checked_in') });
  });

  it('refuses doses outside Spravato', () => {
    expect(sut('ketamine', 'checked_in', 'dose')).toMatchObject({ ok: false, rule: 'treatment-type' });
  });

  it('never leaves a final status', () => {
    for (const type of APPOINTMENT_TYPES) {
      for (const status of ['discharged', 'cancelled', 'no_show'] as const) {
        for (const action of SESSION_ACTIONS) expect(sut(type, status, action).ok).toBe(false);
      }
    }
  });

  it('only ever moves forward', () => {
    const order = APPOINTMENT_STATUSES.slice(0, 5);
    const moves: Array<{ type: string; action: string; from: AppointmentStatus; to: AppointmentStatus }> = [];
    for (const type of APPOINTMENT_TYPES) {
      for (const from of order) {
        for (const action of SESSION_ACTIONS) {
          const result = sut(type, from, action);
          if (result.ok) moves.push({ type, action, from, to: result.to });
        }
      }
    }
    // Per type: check-in, start and discharge (6 × 3), Spravato's dose from two statuses (2), the treatment end of ketamine and ECT (2).
    expect(moves).toHaveLength(22);
    expect(moves.filter((move) => order.indexOf(move.to) <= order.indexOf(move.from))).toEqual([]);
  });
});
