/** Vitals readings for the unit tests of the session rules (src/sessions/domain). */
import type { VitalsReading, VitalsTimepoint } from '../../src/sessions/domain/vitals';
import { atDate } from './clinic-time';

let counter = 0;

/** The readings' day (a summer Monday). */
const DAY = '2027-08-02';

/** A wall time on the readings' day. */
export const at = (time: string) => atDate(DAY, time);

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
