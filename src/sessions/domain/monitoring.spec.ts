import { at, reading } from '../../../test/support/vitals-readings';
import { expectedFreeAt, MonitoredSession, nextVitalsDueAt, overrunsNextBooking } from './monitoring';

describe('next vitals due', () => {
  const spravato: MonitoredSession = {
    type: 'spravato',
    status: 'observing',
    firstDeviceAt: at('09:15'),
    earliestDischargeAt: at('11:20'),
    treatmentStartedAt: null,
    effective: [reading('pre_dose', '09:05')],
  };

  it('Spravato: the 40-minute BP, then the discharge vitals at the earliest discharge, then nothing', () => {
    expect(nextVitalsDueAt(spravato)).toEqual(at('09:55'));
    const after40 = { ...spravato, effective: [...spravato.effective, reading('post_dose_40', '09:56')] };
    expect(nextVitalsDueAt(after40)).toEqual(at('11:20'));
    expect(nextVitalsDueAt({ ...after40, effective: [...after40.effective, reading('discharge', '11:05')] })).toBeNull();
  });

  it('ketamine: every 15 minutes after the last reading during the infusion, then the discharge vitals', () => {
    const infusing: MonitoredSession = {
      type: 'ketamine',
      status: 'in_treatment',
      firstDeviceAt: null,
      earliestDischargeAt: null,
      treatmentStartedAt: at('10:00'),
      effective: [reading('pre_dose', '09:55')],
    };
    expect(nextVitalsDueAt(infusing)).toEqual(at('10:15'));
    expect(nextVitalsDueAt({ ...infusing, effective: [reading('intra', '10:14')] })).toEqual(at('10:29'));
    const recovering = { ...infusing, status: 'observing' as const, earliestDischargeAt: at('11:10') };
    expect(nextVitalsDueAt(recovering)).toEqual(at('11:10'));
    expect(nextVitalsDueAt({ ...recovering, effective: [reading('discharge', '11:00')] })).toBeNull();
  });

  it('ECT recovery has no vitals schedule', () => {
    expect(nextVitalsDueAt({ ...spravato, type: 'ect', firstDeviceAt: null })).toBeNull();
  });
});

describe('overrunning the next booking', () => {
  const session = { type: 'spravato' as const, earliestDischargeAt: at('11:20'), treatmentStartedAt: null };

  it('expects the chair free 10 minutes after the earliest discharge, or after now once the stay runs longer', () => {
    expect(expectedFreeAt(session, at('10:00'))).toEqual(at('11:30'));
    expect(expectedFreeAt(session, at('11:45'))).toEqual(at('11:55'));
  });

  it('estimates a running ketamine infusion at 40 minutes plus 30 of recovery', () => {
    expect(expectedFreeAt({ type: 'ketamine', earliestDischargeAt: null, treatmentStartedAt: at('10:00') }, at('10:05'))).toEqual(at('11:20'));
  });

  it('overruns only when the chair is not free by the next start', () => {
    expect(overrunsNextBooking(at('11:30'), at('11:30'))).toBe(false);
    expect(overrunsNextBooking(at('11:31'), at('11:30'))).toBe(true);
    expect(overrunsNextBooking(at('11:31'), null)).toBe(false);
  });
});
