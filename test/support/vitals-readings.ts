/** Vitals readings for the unit tests of the session rules (src/sessions/domain). */
import type { VitalsReading, VitalsTimepoint } from '../../src/sessions/domain/vitals';

let counter = 0;

export const at = (time: string) => new Date(`2027-08-02T${time}:00-06:00`);

export function reading(timepoint: VitalsTimepoint, time: string, overrides: Partial<VitalsReading> = {}): VitalsReading {
  counter++;
  return {
    id: `r${counter}`,
    timepoint,
    takenAt: at(time),
    systolic: 122,
    diastolic: 78,
    heartRate: 72,
    spo2: 98,
    respiratoryRate: 14,
    sedationScore: null,
    dissociationScore: null,
    correctsId: null,
    ...overrides,
  };
}
