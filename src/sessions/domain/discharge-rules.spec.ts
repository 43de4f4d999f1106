import { at, reading } from '../../../test/support/vitals-readings';
import { DischargeCheck, dischargeReading, dischargeRefusals as sut, recoveryEarliestDischarge } from './discharge-rules';

const rules = (check: DischargeCheck) => sut(check).map((r) => r.rule);

describe('Spravato discharge', () => {
  // 84 mg: devices at 09:15, 09:20, 09:25; earliest discharge 11:25.
  const base: DischargeCheck = {
    type: 'spravato',
    now: at('11:25'),
    earliestDischargeAt: at('11:25'),
    firstDeviceAt: at('09:15'),
    effective: [reading('post_dose_40', '09:55'), reading('discharge', '11:20', { sedationScore: 5, dissociationResolved: true })],
    ride: { rideConfirmed: true },
    rideShareAccepted: false,
    hasTmsRecord: false,
  };

  it('lets the patient go at exactly 120 minutes after the last device with every check met', () => {
    expect(sut(base)).toEqual([]);
  });

  it('refuses a minute early', () => {
    expect(rules({ ...base, now: at('11:24') })).toEqual(['observation-minimum']);
  });

  it('needs the BP at about 40 minutes and the discharge vitals', () => {
    expect(rules({ ...base, effective: [base.effective[1]] })).toEqual(['bp-40-minutes']);
    expect(rules({ ...base, effective: [base.effective[0]] })).toEqual(['discharge-vitals']);
    // Discharge vitals taken too early in the observation do not count.
    expect(rules({ ...base, effective: [base.effective[0], reading('discharge', '10:50', { sedationScore: 5, dissociationResolved: true })] })).toEqual([
      'discharge-vitals',
    ]);
  });

  it('takes a 40-minute BP charted late with the reason why, and only with it', () => {
    // 62 minutes after the first device (09:15): outside 30–60.
    const late = (deviationReason: string | null) => ({ ...base, effective: [reading('post_dose_40', '10:17', { deviationReason }), base.effective[1]] });
    expect(rules(late('Two patients dosed at once'))).toEqual([]);
    expect(rules(late(null))).toEqual(['bp-40-minutes']);
    // A reading in the window is still preferred to a late one.
    expect(rules({ ...base, effective: [reading('intra', '09:50'), ...late(null).effective] })).toEqual([]);
  });

  it("needs sedation resolved (MOAA/S 5) and the clinician's judgement that dissociation has resolved", () => {
    const with_ = (sedationScore: number | null, dissociationResolved: boolean | null, dissociationScore: number | null = null) => ({
      ...base,
      effective: [base.effective[0], reading('discharge', '11:20', { sedationScore, dissociationResolved, dissociationScore })],
    });
    expect(rules(with_(4, true))).toEqual(['sedation-not-resolved']);
    expect(rules(with_(null, true))).toEqual(['sedation-not-resolved']);
    expect(rules(with_(5, false))).toEqual(['dissociation-not-resolved']);
    expect(rules(with_(5, null, 0))).toEqual(['dissociation-not-resolved']);
    // No CADSS number by default: the label sets none.
    expect(rules(with_(5, true, 12))).toEqual([]);
  });

  it('holds a clinic to its own CADSS ceiling when it sets one', () => {
    const with_ = (dissociationScore: number | null) => ({
      ...base,
      cadssCeiling: 4,
      effective: [base.effective[0], reading('discharge', '11:20', { sedationScore: 5, dissociationResolved: true, dissociationScore })],
    });
    expect(rules(with_(4))).toEqual([]);
    expect(rules(with_(5))).toEqual(['dissociation-not-resolved']);
    expect(rules(with_(null))).toEqual(['dissociation-not-resolved']);
  });

  it('needs a confirmed ride, and a ride-share only where the clinic accepts one', () => {
    expect(rules({ ...base, ride: {} })).toEqual(['ride-home']);
    expect(rules({ ...base, ride: { rideConfirmed: false } })).toEqual(['ride-home']);
    expect(rules({ ...base, ride: { rideConfirmed: true, rideShare: true } })).toEqual(['ride-share-not-accepted']);
    expect(rules({ ...base, ride: { rideConfirmed: true, rideShare: true }, rideShareAccepted: true })).toEqual([]);
  });

  it('lists every unmet condition', () => {
    expect(rules({ ...base, now: at('10:00'), effective: [], ride: {} })).toEqual(['observation-minimum', 'bp-40-minutes', 'discharge-vitals', 'ride-home']);
  });
});

describe('ketamine and ECT discharge', () => {
  it('keeps a ketamine patient 30 minutes after the infusion, with discharge vitals and a ride', () => {
    const earliest = recoveryEarliestDischarge('ketamine', at('10:00'));
    expect(earliest).toEqual(at('10:30'));
    const check: DischargeCheck = {
      type: 'ketamine',
      now: at('10:30'),
      earliestDischargeAt: earliest,
      effective: [reading('discharge', '10:25')],
      ride: { rideConfirmed: true },
      rideShareAccepted: false,
      hasTmsRecord: false,
    };
    expect(sut(check)).toEqual([]);
    expect(rules({ ...check, now: at('10:29') })).toEqual(['recovery-time']);
    // Vitals from during the infusion are not discharge vitals.
    expect(rules({ ...check, effective: [reading('discharge', '09:55'), reading('intra', '10:20')] })).toEqual(['discharge-vitals']);
    expect(rules({ ...check, ride: { rideConfirmed: false } })).toEqual(['ride-home']);
  });

  it('keeps an ECT patient in the recovery bay and sends them home with a named adult escort', () => {
    const check: DischargeCheck = {
      type: 'ect',
      now: at('08:30'),
      earliestDischargeAt: recoveryEarliestDischarge('ect', at('08:00')),
      effective: [],
      ride: { rideConfirmed: true, escortName: 'Sam Rivera (spouse)' },
      rideShareAccepted: true,
      hasTmsRecord: false,
    };
    expect(sut(check)).toEqual([]);
    expect(rules({ ...check, now: at('08:29') })).toEqual(['recovery-time']);
    expect(rules({ ...check, ride: { rideConfirmed: true } })).toEqual(['escort']);
    expect(rules({ ...check, ride: { rideConfirmed: true, escortName: '  ' } })).toEqual(['escort']);
    expect(rules({ ...check, ride: { rideConfirmed: true, rideShare: true, escortName: 'Driver' } })).toEqual(['escort']);
  });
});

describe('TMS and visits', () => {
  const check: DischargeCheck = {
    type: 'tms',
    now: at('10:00'),
    earliestDischargeAt: null,
    effective: [],
    ride: {},
    rideShareAccepted: false,
    hasTmsRecord: true,
  };

  it('needs the session record for TMS, nothing for a visit, and no ride for either', () => {
    expect(sut(check)).toEqual([]);
    expect(rules({ ...check, hasTmsRecord: false })).toEqual(['tms-record']);
    expect(sut({ ...check, type: 'follow_up', hasTmsRecord: false })).toEqual([]);
  });
});

describe('discharge vitals', () => {
  it('count from 30 minutes before the earliest discharge, the latest one', () => {
    const effective = [reading('discharge', '10:54'), reading('discharge', '10:56'), reading('discharge', '11:40')];
    expect(dischargeReading(effective, at('11:25'))?.takenAt).toEqual(at('11:40'));
    expect(dischargeReading(effective.slice(0, 1), at('11:25'))).toBeUndefined();
    expect(dischargeReading(effective.slice(0, 2), at('11:25'))?.takenAt).toEqual(at('10:56'));
  });
});
