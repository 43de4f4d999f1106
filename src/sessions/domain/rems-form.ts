/** The Spravato REMS Patient Monitoring Form of one session, built from what was charted. */
import { DateTime } from 'luxon';
import { clinicDateOf, CLINIC_ZONE, toClinicIso } from '../../common/clinic-time';
import { dischargeReading } from './discharge-rules';
import { bpAfterDoseReading, bpAfterDoseTiming, isBpElevated, minutesAfterFirstDevice, SPRAVATO } from './spravato-rules';
import { latestAt, VitalsReading } from './vitals';

export const SEDATING_MEDICATION_CLASSES = ['benzodiazepine', 'sedative_hypnotic', 'psychostimulant', 'maoi', 'opioid'] as const;
export type SedatingMedicationClass = (typeof SEDATING_MEDICATION_CLASSES)[number];

/** [label] the form is submitted within 7 days of the session. */
export const REMS_SUBMIT_WITHIN_DAYS = 7;

/** The longest span of sessions one REMS CSV export covers (a year, leap day included). */
export const REMS_CSV_MAX_DAYS = 366;

/** Seven days after dosing, at the same clinic-local wall time (across a DST change too). */
export function remsDueAt(firstDeviceAt: Date, zone = CLINIC_ZONE): Date {
  return DateTime.fromJSDate(firstDeviceAt, { zone }).plus({ days: REMS_SUBMIT_WITHIN_DAYS }).toJSDate();
}

/** What only the monitoring provider can say; null = not answered yet. */
export interface RemsAnswers {
  concomitantSedatingMedications: SedatingMedicationClass[] | null;
  respiratoryDepression: boolean | null;
  seriousAdverseEvents: boolean | null;
  seriousAdverseEventsDescription: string | null;
  /** When the patient would have been ready to leave without the 2-hour minimum. */
  readyToLeaveAt: Date | null;
  /** Overrides of the computed judgement (BP within 140/90, or cleared by a provider). */
  vitalsAcceptableBefore: boolean | null;
  vitalsAcceptableAtEnd: boolean | null;
}

export const EMPTY_ANSWERS: RemsAnswers = {
  concomitantSedatingMedications: null,
  respiratoryDepression: null,
  seriousAdverseEvents: null,
  seriousAdverseEventsDescription: null,
  readyToLeaveAt: null,
  vitalsAcceptableBefore: null,
  vitalsAcceptableAtEnd: null,
};

export interface Person {
  id: string;
  name: string;
}

export interface RemsFormInput {
  appointmentId: string;
  locationId: string;
  patient: { id: string; firstName: string; lastName: string; dateOfBirth: string };
  firstTreatment: boolean;
  dose: { doseMg: number; devices: number; lotNumber: string; deviceTimes: Date[] };
  dischargedAt: Date | null;
  earliestDischargeAt: Date;
  effective: readonly VitalsReading[];
  clearance: { reason: string; clearedAt: Date; clearedBy: Person } | null;
  answers: RemsAnswers;
  dueAt: Date;
  submitted: { at: Date; by: Person } | null;
  now: Date;
  /** The clinic's CADSS ceiling, if it set one: a score above it counts as dissociation observed. */
  cadssCeiling?: number | null;
  zone?: string;
}

export interface BloodPressure {
  systolic: number;
  diastolic: number;
  takenAt: string;
}

/** The reading "about 40 minutes after dosing", with when it was really taken (and why, when outside 30–60 minutes). */
export interface BloodPressureAfterDose extends BloodPressure {
  minutesAfterFirstDevice: number;
  deviationReason?: string;
}

/** The form as the API shows it and as it is frozen at submission (JSON: instants as clinic-local ISO). */
export interface RemsForm {
  appointmentId: string;
  locationId: string;
  status: 'pending' | 'submitted';
  dueAt: string;
  /** Pending past its due time, or submitted after it. */
  overdue: boolean;
  patient: { id: string; firstName: string; lastName: string; dateOfBirth: string };
  firstTreatment: boolean;
  sessionDate: string;
  doseMg: number;
  doseCategory: '56' | '84' | 'other';
  devices: number;
  lotNumber: string;
  deviceTimes: string[];
  monitoringEndedAt: string | null;
  totalMonitoringMinutes: number | null;
  readyToLeaveAt: string | null;
  bloodPressure: { beforeDose: BloodPressure | null; at40Minutes: BloodPressureAfterDose | null; beforeDischarge: BloodPressure | null };
  vitalsAcceptableBefore: boolean | null;
  vitalsAcceptableAtEnd: boolean | null;
  lowestSpo2: number | null;
  sedation: { observed: boolean | null; lowestScore: number | null };
  dissociation: { observed: boolean | null; highestScore: number | null };
  respiratoryDepression: boolean | null;
  concomitantSedatingMedications: SedatingMedicationClass[] | null;
  seriousAdverseEvents: boolean | null;
  seriousAdverseEventsDescription: string | null;
  dosingClearance: { reason: string; clearedAt: string; clearedBy: Person } | null;
  monitoringProvider: Person | null;
  submittedAt: string | null;
  /** What is still needed before the form can be submitted. */
  missing: string[];
}

const MINUTE = 60_000;

function bp(reading: VitalsReading | undefined, zone: string): BloodPressure | null {
  return reading ? { systolic: reading.systolic, diastolic: reading.diastolic, takenAt: toClinicIso(reading.takenAt, zone) } : null;
}

function afterDoseBp(reading: VitalsReading | undefined, firstDevice: Date, zone: string): BloodPressureAfterDose | null {
  if (!reading) return null;
  const late = bpAfterDoseTiming(reading.takenAt, firstDevice) !== 'in-window';
  return {
    systolic: reading.systolic,
    diastolic: reading.diastolic,
    takenAt: toClinicIso(reading.takenAt, zone),
    minutesAfterFirstDevice: minutesAfterFirstDevice(reading.takenAt, firstDevice),
    ...(late && reading.deviationReason ? { deviationReason: reading.deviationReason } : {}),
  };
}

function extreme(values: Array<number | null | undefined>, pick: (a: number, b: number) => number): number | null {
  const present = values.filter((v): v is number => v !== null && v !== undefined);
  return present.length ? present.reduce((a, b) => pick(a, b)) : null;
}

export function buildRemsForm(input: RemsFormInput): RemsForm {
  const zone = input.zone ?? CLINIC_ZONE;
  const iso = (date: Date) => toClinicIso(date, zone);
  const { answers, effective } = input;
  const firstDevice = input.dose.deviceTimes[0];
  const before = latestAt(
    effective.filter((r) => r.takenAt <= firstDevice),
    'pre_dose',
  );
  const at40 = bpAfterDoseReading(effective, firstDevice);
  const atEnd = dischargeReading(effective, input.earliestDischargeAt);
  const afterDose = effective.filter((r) => r.takenAt >= firstDevice);
  const lowestSedation = extreme(
    afterDose.map((r) => r.sedationScore),
    Math.min,
  );
  const highestDissociation = extreme(
    afterDose.map((r) => r.dissociationScore),
    Math.max,
  );
  const ceiling = input.cadssCeiling ?? null;
  // Dissociation is the clinician's judgement: observed when a reading after dosing says it had not
  // resolved (or, at a clinic with a CADSS ceiling, scored above it); unknown until someone judged it.
  const judged = afterDose.filter((r) => r.dissociationResolved !== null && r.dissociationResolved !== undefined);
  const aboveCeiling = ceiling !== null && highestDissociation !== null && highestDissociation > ceiling;
  const dissociationObserved =
    judged.some((r) => r.dissociationResolved === false) || aboveCeiling
      ? true
      : judged.length || (ceiling !== null && highestDissociation !== null)
        ? false
        : null;

  const form: RemsForm = {
    appointmentId: input.appointmentId,
    locationId: input.locationId,
    status: input.submitted ? 'submitted' : 'pending',
    dueAt: iso(input.dueAt),
    overdue: (input.submitted?.at ?? input.now) > input.dueAt,
    patient: input.patient,
    firstTreatment: input.firstTreatment,
    sessionDate: clinicDateOf(firstDevice, zone),
    doseMg: input.dose.doseMg,
    doseCategory: input.dose.doseMg === 56 ? '56' : input.dose.doseMg === 84 ? '84' : 'other',
    devices: input.dose.devices,
    lotNumber: input.dose.lotNumber,
    deviceTimes: input.dose.deviceTimes.map(iso),
    monitoringEndedAt: input.dischargedAt ? iso(input.dischargedAt) : null,
    totalMonitoringMinutes: input.dischargedAt ? Math.round((input.dischargedAt.getTime() - firstDevice.getTime()) / MINUTE) : null,
    readyToLeaveAt: answers.readyToLeaveAt ? iso(answers.readyToLeaveAt) : null,
    bloodPressure: { beforeDose: bp(before, zone), at40Minutes: afterDoseBp(at40, firstDevice, zone), beforeDischarge: bp(atEnd, zone) },
    vitalsAcceptableBefore: answers.vitalsAcceptableBefore ?? (before ? !isBpElevated(before) || input.clearance !== null : null),
    vitalsAcceptableAtEnd: answers.vitalsAcceptableAtEnd ?? (atEnd ? !isBpElevated(atEnd) : null),
    lowestSpo2: extreme(
      afterDose.map((r) => r.spo2),
      Math.min,
    ),
    sedation: { observed: lowestSedation === null ? null : lowestSedation < SPRAVATO.alertSedationScore, lowestScore: lowestSedation },
    dissociation: { observed: dissociationObserved, highestScore: highestDissociation },
    respiratoryDepression: answers.respiratoryDepression,
    concomitantSedatingMedications: answers.concomitantSedatingMedications,
    seriousAdverseEvents: answers.seriousAdverseEvents,
    seriousAdverseEventsDescription: answers.seriousAdverseEventsDescription,
    dosingClearance: input.clearance
      ? { reason: input.clearance.reason, clearedAt: iso(input.clearance.clearedAt), clearedBy: input.clearance.clearedBy }
      : null,
    monitoringProvider: input.submitted?.by ?? null,
    submittedAt: input.submitted ? iso(input.submitted.at) : null,
    missing: [],
  };
  form.missing = input.submitted ? [] : missingForSubmission(form);
  return form;
}

/**
 * The fields still unknown; a form is submitted only when this is empty. monitoringEndedAt: the patient is
 * not discharged yet; sedation / dissociation: no MOAA/S or CADSS score after dosing.
 */
export function missingForSubmission(form: RemsForm): string[] {
  const missing: string[] = [];
  if (form.monitoringEndedAt === null) missing.push('monitoringEndedAt');
  if (form.readyToLeaveAt === null) missing.push('readyToLeaveAt');
  if (form.respiratoryDepression === null) missing.push('respiratoryDepression');
  if (form.concomitantSedatingMedications === null) missing.push('concomitantSedatingMedications');
  if (form.seriousAdverseEvents === null) missing.push('seriousAdverseEvents');
  if (form.vitalsAcceptableBefore === null) missing.push('vitalsAcceptableBefore');
  if (form.vitalsAcceptableAtEnd === null) missing.push('vitalsAcceptableAtEnd');
  if (form.sedation.observed === null) missing.push('sedation');
  if (form.dissociation.observed === null) missing.push('dissociation');
  return missing;
}
