/** Spravato label and REMS rules [label]: enforced, never optional. */
import { toClinicIso } from '../../common/clinic-time';
import type { Refusal } from './status-machine';
import { FieldProblem, latestAt, VitalsReading } from './vitals';

export const SPRAVATO = {
  mgPerDevice: 28,
  doses: [56, 84] as readonly number[],
  minutesBetweenDevices: 5,
  /** Discharge is never earlier than this after the last device. */
  observationMinutes: 120,
  /** A pre-dose BP above either needs a provider's dosing clearance. */
  bpThreshold: { systolic: 140, diastolic: 90 },
  /**
   * "About 40 minutes after dosing": a BP taken 30–60 minutes after the FIRST device. The label counts
   * from dosing, and dosing begins with the first device (with 84 mg the last one follows 10 minutes later).
   */
  bpAfterDose: { fromMinutes: 30, targetMinutes: 40, toMinutes: 60 },
  /** MOAA/S 5 = responds readily to the name spoken in a normal tone: sedation has resolved. */
  alertSedationScore: 5,
  // Whether dissociation has resolved is the clinician's judgement (dissociationResolved): the label sets no
  // CADSS number. A clinic may add a CADSS ceiling of its own (locations.cadss_ceiling, default none).
} as const;

const MINUTE = 60_000;
const addMinutes = (date: Date, minutes: number) => new Date(date.getTime() + minutes * MINUTE);

/** [label] TRD induction starts at 56 mg; 84 mg from the first dose is the MDSI regimen. */
export const TRD_FIRST_DOSE_MG = 56;

/** A warning when a patient's first dose is above the TRD starting dose (allowed: it may be the MDSI regimen). */
export function firstDoseWarning(doseMg: number, earlierDoses: number): string | undefined {
  if (earlierDoses > 0 || doseMg <= TRD_FIRST_DOSE_MG) return undefined;
  return `First Spravato dose at ${doseMg} mg: the TRD label starts at ${TRD_FIRST_DOSE_MG} mg (${doseMg} mg from the first dose is the MDSI regimen).`;
}

/** 56 mg = 2 devices, 84 mg = 3 devices; anything else is bad input. */
export function doseErrors(doseMg: number, devices: number): FieldProblem[] {
  if (!SPRAVATO.doses.includes(doseMg)) return [{ field: 'doseMg', message: 'doseMg must be 56 or 84' }];
  const expected = doseMg / SPRAVATO.mgPerDevice;
  if (devices !== expected) return [{ field: 'devices', message: `${doseMg} mg is ${expected} devices of 28 mg` }];
  return [];
}

/** One device every 5 minutes from the first. */
export function deviceTimes(firstDeviceAt: Date, devices: number): Date[] {
  return Array.from({ length: devices }, (_, i) => addMinutes(firstDeviceAt, i * SPRAVATO.minutesBetweenDevices));
}

/** Last device + 120 minutes. */
export function spravatoEarliestDischarge(times: readonly Date[]): Date {
  return addMinutes(times[times.length - 1], SPRAVATO.observationMinutes);
}

export function isBpElevated(reading: { systolic: number; diastolic: number }): boolean {
  return reading.systolic > SPRAVATO.bpThreshold.systolic || reading.diastolic > SPRAVATO.bpThreshold.diastolic;
}

export interface DoseCheck {
  remsEnrolledAt: Date | null;
  now: Date;
  /** Effective (uncorrected) readings of the session. */
  effective: readonly VitalsReading[];
  /** Readings a provider has cleared dosing for. */
  clearedReadingIds: ReadonlySet<string>;
}

/** Why a dose may not be given now, or null: REMS enrolment, pre-dose vitals, clearance of a high BP. */
export function doseRefusal(check: DoseCheck): Refusal | null {
  if (!check.remsEnrolledAt || check.remsEnrolledAt > check.now) {
    return { rule: 'rems-enrolment', detail: 'The patient is not enrolled in the Spravato REMS; no dose may be given.' };
  }
  const preDose = latestAt(check.effective, 'pre_dose');
  if (!preDose) return { rule: 'pre-dose-vitals', detail: 'Record pre-dose vitals (blood pressure, pulse oximetry) before dosing.' };
  // The same rule the provider's queue lists sessions by.
  const awaited = readingAwaitingClearance(check.effective, check.clearedReadingIds);
  if (awaited) {
    return {
      rule: 'dosing-clearance',
      detail: `The latest pre-dose blood pressure is ${awaited.systolic}/${awaited.diastolic}, above 140/90: a provider's dosing clearance is needed first.`,
    };
  }
  return null;
}

/** Why a provider's clearance is not applicable, or the reading it clears. */
export function clearanceTarget(effective: readonly VitalsReading[]): { reading: VitalsReading } | Refusal {
  const preDose = latestAt(effective, 'pre_dose');
  if (!preDose) return { rule: 'pre-dose-vitals', detail: 'There is no pre-dose blood pressure to clear.' };
  if (!isBpElevated(preDose)) {
    return { rule: 'clearance-not-needed', detail: `The latest pre-dose blood pressure ${preDose.systolic}/${preDose.diastolic} is not above 140/90.` };
  }
  return { reading: preDose };
}

/**
 * The reading a session waits on a provider's clearance for: its latest pre-dose BP, when above 140/90 and
 * not yet cleared. Undefined when the dose may go ahead as far as the blood pressure goes.
 */
export function readingAwaitingClearance<T extends VitalsReading>(effective: readonly T[], clearedReadingIds: ReadonlySet<string>): T | undefined {
  const preDose = latestAt(effective, 'pre_dose');
  return preDose && isBpElevated(preDose) && !clearedReadingIds.has(preDose.id) ? preDose : undefined;
}

/** Where a reading falls against the "about 40 minutes after dosing" window (30–60 minutes after the first device). */
export function bpAfterDoseTiming(takenAt: Date, firstDeviceAt: Date): 'before-dose' | 'in-window' | 'outside-window' {
  if (takenAt < firstDeviceAt) return 'before-dose';
  const minutes = (takenAt.getTime() - firstDeviceAt.getTime()) / MINUTE;
  return minutes >= SPRAVATO.bpAfterDose.fromMinutes && minutes <= SPRAVATO.bpAfterDose.toMinutes ? 'in-window' : 'outside-window';
}

/** Whole minutes from the first device to a reading (the REMS form's 40-minute reading says when it was really taken). */
export function minutesAfterFirstDevice(takenAt: Date, firstDeviceAt: Date): number {
  return Math.round((takenAt.getTime() - firstDeviceAt.getTime()) / MINUTE);
}

/**
 * The blood pressure "about 40 minutes after dosing": an effective reading 30–60 minutes after the first
 * device, preferring those charted as post_dose_40, the one nearest 40 minutes. When none was taken in
 * the window, a post_dose_40 reading taken later (or earlier) after dosing with a `deviationReason` (the
 * room was busy at minute 40) counts instead: the label asks for the reading, not the minute.
 */
export function bpAfterDoseReading<T extends VitalsReading>(effective: readonly T[], firstDeviceAt: Date): T | undefined {
  const target = addMinutes(firstDeviceAt, SPRAVATO.bpAfterDose.targetMinutes).getTime();
  const distance = (r: T) => Math.abs(r.takenAt.getTime() - target);
  const nearest = (list: T[]) => list.reduce<T | undefined>((best, r) => (!best || distance(r) < distance(best) ? r : best), undefined);
  const inWindow = effective.filter((r) => bpAfterDoseTiming(r.takenAt, firstDeviceAt) === 'in-window');
  const labelled = inWindow.filter((r) => r.timepoint === 'post_dose_40');
  const found = nearest(labelled.length ? labelled : inWindow);
  if (found) return found;
  return nearest(
    effective.filter((r) => r.timepoint === 'post_dose_40' && r.deviationReason && bpAfterDoseTiming(r.takenAt, firstDeviceAt) === 'outside-window'),
  );
}

export function describeWindow(firstDeviceAt: Date, zone?: string): string {
  const { fromMinutes, toMinutes } = SPRAVATO.bpAfterDose;
  return `${toClinicIso(addMinutes(firstDeviceAt, fromMinutes), zone)} to ${toClinicIso(addMinutes(firstDeviceAt, toMinutes), zone)}`;
}
