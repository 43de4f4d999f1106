import { reading } from '../../../test/support/vitals-readings';
import { effectiveReadings, latestAt, vitalsErrors as sut } from './vitals';

const normal = { systolic: 120, diastolic: 80, heartRate: 70, spo2: 98 };

describe('vitals limits', () => {
  it('accepts alarming but real values', () => {
    expect(sut({ systolic: 210, diastolic: 120, heartRate: 140, spo2: 82, respiratoryRate: 8, sedationScore: 2, dissociationScore: 40 })).toEqual([]);
    expect(sut({ systolic: 50, diastolic: 20, heartRate: 20, spo2: 50, sedationScore: 0, dissociationScore: 0 })).toEqual([]);
    expect(sut({ systolic: 300, diastolic: 200, heartRate: 250, spo2: 100, respiratoryRate: 60, sedationScore: 5, dissociationScore: 92 })).toEqual([]);
  });

  it.each([
    ['systolic', { systolic: 49 }],
    ['systolic', { systolic: 301 }],
    ['spo2', { spo2: 101 }],
    ['spo2', { spo2: 49 }],
    ['heartRate', { heartRate: 0 }],
    ['respiratoryRate', { respiratoryRate: 61 }],
    ['sedationScore', { sedationScore: 6 }],
    ['dissociationScore', { dissociationScore: 93 }],
    ['systolic', { systolic: 120.5 }],
  ])('refuses an impossible %s', (field, change) => {
    expect(sut({ ...normal, ...change })).toEqual([{ field, message: expect.stringContaining(field) }]);
  });

  it('refuses a diastolic at or above the systolic', () => {
    expect(sut({ ...normal, systolic: 90, diastolic: 90 })).toEqual([{ field: 'diastolic', message: 'diastolic must be lower than systolic' }]);
  });

  it('names every bad field at once', () => {
    expect(sut({ systolic: 400, diastolic: 80, heartRate: 70, spo2: 120 }).map((e) => e.field)).toEqual(['systolic', 'spo2']);
  });
});

describe('effective readings', () => {
  it('drops every entry a later one corrects, and sorts by the time taken', () => {
    const first = reading('pre_dose', '09:05', { systolic: 180 });
    const correction = reading('pre_dose', '09:05', { systolic: 128, correctsId: first.id });
    const other = reading('intra', '09:00');
    const effective = effectiveReadings([correction, first, other]);
    expect(effective.map((r) => r.id)).toEqual([other.id, correction.id]);
    expect(latestAt(effective, 'pre_dose')?.systolic).toBe(128);
    expect(latestAt(effective, 'discharge')).toBeUndefined();
  });

  it('follows a chain of corrections to its last link', () => {
    const a = reading('pre_dose', '09:05');
    const b = reading('pre_dose', '09:05', { correctsId: a.id });
    const c = reading('pre_dose', '09:05', { correctsId: b.id });
    expect(effectiveReadings([a, b, c]).map((r) => r.id)).toEqual([c.id]);
  });
});
