import { at, reading } from '../../../test/support/vitals-readings';
import { remsFormsCsv, csvCell } from './rems-csv';
import { buildRemsForm as sut, EMPTY_ANSWERS, RemsFormInput, remsDueAt } from './rems-form';

const provider = { id: 'p1', name: 'Dr. Ada Provider' };

function input(overrides: Partial<RemsFormInput> = {}): RemsFormInput {
  return {
    appointmentId: 'a1',
    locationId: 'l1',
    patient: { id: 'pt1', firstName: 'Ana', lastName: 'Lopez', dateOfBirth: '1980-05-17' },
    firstTreatment: true,
    dose: { doseMg: 84, devices: 3, lotNumber: 'LOT-123', deviceTimes: [at('09:15'), at('09:20'), at('09:25')] },
    dischargedAt: at('11:40'),
    earliestDischargeAt: at('11:25'),
    effective: [
      reading('pre_dose', '09:05', { systolic: 146, diastolic: 88 }),
      reading('post_dose_40', '09:55', { systolic: 150, diastolic: 92, sedationScore: 3, dissociationScore: 18, dissociationResolved: false, spo2: 95 }),
      reading('discharge', '11:30', { systolic: 132, diastolic: 84, sedationScore: 5, dissociationScore: 2, dissociationResolved: true }),
    ],
    clearance: { reason: 'Anxious at arrival; repeat stable', clearedAt: at('09:10'), clearedBy: provider },
    answers: EMPTY_ANSWERS,
    dueAt: remsDueAt(at('09:15')),
    submitted: null,
    now: at('12:00'),
    ...overrides,
  };
}

describe('REMS patient monitoring form', () => {
  it('fills every field the chart knows', () => {
    const form = sut(input());
    expect(form).toMatchObject({
      status: 'pending',
      sessionDate: '2027-08-02',
      dueAt: '2027-08-09T09:15:00-06:00',
      overdue: false,
      firstTreatment: true,
      doseMg: 84,
      doseCategory: '84',
      lotNumber: 'LOT-123',
      deviceTimes: ['2027-08-02T09:15:00-06:00', '2027-08-02T09:20:00-06:00', '2027-08-02T09:25:00-06:00'],
      monitoringEndedAt: '2027-08-02T11:40:00-06:00',
      totalMonitoringMinutes: 145,
      bloodPressure: {
        beforeDose: { systolic: 146, diastolic: 88, takenAt: '2027-08-02T09:05:00-06:00' },
        at40Minutes: { systolic: 150, diastolic: 92, takenAt: '2027-08-02T09:55:00-06:00', minutesAfterFirstDevice: 40 },
        beforeDischarge: { systolic: 132, diastolic: 84, takenAt: '2027-08-02T11:30:00-06:00' },
      },
      // Above 140/90, but a provider cleared the dose.
      vitalsAcceptableBefore: true,
      vitalsAcceptableAtEnd: true,
      lowestSpo2: 95,
      sedation: { observed: true, lowestScore: 3 },
      dissociation: { observed: true, highestScore: 18 },
      dosingClearance: { reason: 'Anxious at arrival; repeat stable', clearedAt: '2027-08-02T09:10:00-06:00', clearedBy: provider },
      monitoringProvider: null,
      missing: ['readyToLeaveAt', 'respiratoryDepression', 'concomitantSedatingMedications', 'seriousAdverseEvents'],
    });
  });

  it('takes the provider answers and overrides, and needs nothing more once they are given', () => {
    const form = sut(
      input({
        answers: {
          ...EMPTY_ANSWERS,
          readyToLeaveAt: at('11:00'),
          respiratoryDepression: false,
          concomitantSedatingMedications: [],
          seriousAdverseEvents: false,
          vitalsAcceptableAtEnd: false,
        },
      }),
    );
    expect(form).toMatchObject({ readyToLeaveAt: '2027-08-02T11:00:00-06:00', vitalsAcceptableAtEnd: false, missing: [] });
  });

  it('shows a late 40-minute BP with when it was taken and why', () => {
    const late = reading('post_dose_40', '10:17', { systolic: 138, diastolic: 86, deviationReason: 'Room busy' });
    const form = sut(input({ effective: [input().effective[0], late, input().effective[2]] }));
    expect(form.bloodPressure.at40Minutes).toEqual({
      systolic: 138,
      diastolic: 86,
      takenAt: '2027-08-02T10:17:00-06:00',
      minutesAfterFirstDevice: 62,
      deviationReason: 'Room busy',
    });
  });

  it("reports dissociation from the clinician's judgement, and from a CADSS above the clinic's ceiling where one is set", () => {
    const judged = (dissociationResolved: boolean | null, dissociationScore: number | null) =>
      input({ effective: [input().effective[0], reading('discharge', '11:30', { sedationScore: 5, dissociationResolved, dissociationScore })] });
    expect(sut(judged(true, 20)).dissociation).toEqual({ observed: false, highestScore: 20 });
    expect(sut(judged(false, null)).dissociation).toEqual({ observed: true, highestScore: null });
    expect(sut({ ...judged(true, 20), cadssCeiling: 4 }).dissociation).toEqual({ observed: true, highestScore: 20 });
    expect(sut(judged(null, null)).dissociation.observed).toBeNull();
  });

  it('waits for the discharge before it can be complete', () => {
    const form = sut(input({ dischargedAt: null }));
    expect(form).toMatchObject({ monitoringEndedAt: null, totalMonitoringMinutes: null });
    expect(form.missing).toContain('monitoringEndedAt');
  });

  it('is overdue 7 days after dosing while pending, and when submitted late', () => {
    expect(sut(input({ now: new Date('2027-08-10T12:00:00-06:00') })).overdue).toBe(true);
    const late = sut(input({ submitted: { at: new Date('2027-08-09T09:16:00-06:00'), by: provider }, now: new Date('2027-09-01T00:00:00Z') }));
    expect(late).toMatchObject({ status: 'submitted', overdue: true, monitoringProvider: provider, missing: [] });
    const onTime = sut(input({ submitted: { at: new Date('2027-08-09T09:15:00-06:00'), by: provider }, now: new Date('2027-09-01T00:00:00Z') }));
    expect(onTime.overdue).toBe(false);
  });

  it('keeps the due time at the same wall time across a DST change', () => {
    expect(remsDueAt(new Date('2027-11-04T09:15:00-06:00')).toISOString()).toBe('2027-11-11T16:15:00.000Z');
  });
});

describe('REMS CSV', () => {
  it('has one header line and one line per form, CRLF-terminated', () => {
    const csv = remsFormsCsv([sut(input())]);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0].split(',')).toContain('bp_at_40_minutes');
    expect(lines[1]).toContain(',150/92,');
    expect(lines[1]).toContain(',Anxious at arrival; repeat stable,');
  });

  it('quotes separators and neutralises formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(false)).toBe('false');
  });
});
