import { at, reading } from '../../../test/support/vitals-readings';
import {
  bpAfterDoseReading,
  clearanceTarget,
  deviceTimes,
  doseErrors,
  doseRefusal,
  isBpElevated,
  readingAwaitingClearance,
  spravatoEarliestDischarge,
} from './spravato-rules';

describe('Spravato doses', () => {
  it('accepts 56 mg as 2 devices and 84 mg as 3', () => {
    expect(doseErrors(56, 2)).toEqual([]);
    expect(doseErrors(84, 3)).toEqual([]);
  });

  it('refuses other doses and device counts that do not match', () => {
    expect(doseErrors(28, 1)).toEqual([{ field: 'doseMg', message: 'doseMg must be 56 or 84' }]);
    expect(doseErrors(112, 4)[0].field).toBe('doseMg');
    expect(doseErrors(84, 2)).toEqual([{ field: 'devices', message: '84 mg is 3 devices of 28 mg' }]);
  });

  it('spaces devices 5 minutes apart and allows discharge 120 minutes after the last', () => {
    const times = deviceTimes(at('09:15'), 3);
    expect(times).toEqual([at('09:15'), at('09:20'), at('09:25')]);
    expect(spravatoEarliestDischarge(times)).toEqual(at('11:25'));
    expect(spravatoEarliestDischarge(deviceTimes(at('09:15'), 2))).toEqual(at('11:20'));
  });

  it('counts a BP above 140 systolic or 90 diastolic as elevated, not one at the threshold', () => {
    expect(isBpElevated({ systolic: 140, diastolic: 90 })).toBe(false);
    expect(isBpElevated({ systolic: 141, diastolic: 80 })).toBe(true);
    expect(isBpElevated({ systolic: 120, diastolic: 91 })).toBe(true);
  });
});

describe('may the dose be given', () => {
  const now = at('09:15');
  const enrolled = new Date('2027-01-01T00:00:00Z');

  it('needs REMS enrolment before anything else', () => {
    expect(doseRefusal({ remsEnrolledAt: null, now, effective: [reading('pre_dose', '09:10')], clearedReadingIds: new Set() })?.rule).toBe('rems-enrolment');
    expect(doseRefusal({ remsEnrolledAt: at('10:00'), now, effective: [], clearedReadingIds: new Set() })?.rule).toBe('rems-enrolment');
  });

  it('needs pre-dose vitals', () => {
    expect(doseRefusal({ remsEnrolledAt: enrolled, now, effective: [reading('other', '09:10')], clearedReadingIds: new Set() })?.rule).toBe('pre-dose-vitals');
  });

  it("needs a provider's clearance of the latest pre-dose BP when it is above 140/90", () => {
    const high = reading('pre_dose', '09:10', { systolic: 152, diastolic: 88 });
    expect(doseRefusal({ remsEnrolledAt: enrolled, now, effective: [high], clearedReadingIds: new Set() })).toEqual({
      rule: 'dosing-clearance',
      detail: expect.stringContaining('152/88'),
    });
    expect(doseRefusal({ remsEnrolledAt: enrolled, now, effective: [high], clearedReadingIds: new Set([high.id]) })).toBeNull();
    // A clearance covers the reading it was given for, not a later high one.
    const later = reading('pre_dose', '09:12', { systolic: 150 });
    expect(doseRefusal({ remsEnrolledAt: enrolled, now, effective: [high, later], clearedReadingIds: new Set([high.id]) })?.rule).toBe('dosing-clearance');
    // A normal repeat reading needs no clearance.
    const normal = reading('pre_dose', '09:13', { systolic: 134 });
    expect(doseRefusal({ remsEnrolledAt: enrolled, now, effective: [high, normal], clearedReadingIds: new Set() })).toBeNull();
  });

  it('offers a clearance only for an elevated latest pre-dose BP', () => {
    expect(clearanceTarget([])).toMatchObject({ rule: 'pre-dose-vitals' });
    expect(clearanceTarget([reading('pre_dose', '09:10')])).toMatchObject({ rule: 'clearance-not-needed' });
    const high = reading('pre_dose', '09:10', { diastolic: 95 });
    expect(clearanceTarget([high])).toEqual({ reading: high });
  });

  it('waits on a provider for the latest pre-dose reading above 140/90 until it is cleared; a later normal reading ends the wait', () => {
    const high = reading('pre_dose', '09:10', { systolic: 152 });
    expect(readingAwaitingClearance([high], new Set())).toBe(high);
    expect(readingAwaitingClearance([high], new Set([high.id]))).toBeUndefined();
    expect(readingAwaitingClearance([high, reading('pre_dose', '09:20')], new Set())).toBeUndefined();
    const higherLater = reading('pre_dose', '09:25', { diastolic: 96 });
    expect(readingAwaitingClearance([high, higherLater], new Set([high.id]))).toBe(higherLater);
    expect(readingAwaitingClearance([reading('discharge', '11:30', { systolic: 160 })], new Set())).toBeUndefined();
  });
});

describe('BP about 40 minutes after dosing', () => {
  const first = at('09:15');

  it('takes a reading 30–60 minutes after the first device, the post_dose_40 one nearest 40 minutes', () => {
    const early = reading('post_dose_40', '09:44');
    const edge = reading('intra', '09:45');
    const labelled = reading('post_dose_40', '10:05');
    const late = reading('post_dose_40', '10:16');
    expect(bpAfterDoseReading([early, late], first)).toBeUndefined();
    expect(bpAfterDoseReading([edge], first)).toBe(edge);
    expect(bpAfterDoseReading([edge, labelled], first)).toBe(labelled);
    expect(bpAfterDoseReading([reading('other', '09:55'), reading('other', '10:15')], first)?.takenAt).toEqual(at('09:55'));
  });
});
