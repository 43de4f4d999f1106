/** REMS forms as CSV (RFC 4180) for the clinic's filing. */
import type { RemsForm } from './rems-form';

const COLUMNS: Array<[string, (form: RemsForm) => string | number | boolean | null]> = [
  ['appointment_id', (f) => f.appointmentId],
  ['status', (f) => f.status],
  ['session_date', (f) => f.sessionDate],
  ['due_at', (f) => f.dueAt],
  ['overdue', (f) => f.overdue],
  ['patient_last_name', (f) => f.patient.lastName],
  ['patient_first_name', (f) => f.patient.firstName],
  ['patient_date_of_birth', (f) => f.patient.dateOfBirth],
  ['first_treatment', (f) => f.firstTreatment],
  ['concomitant_sedating_medications', (f) => (f.concomitantSedatingMedications === null ? null : f.concomitantSedatingMedications.join(';') || 'none')],
  ['monitoring_provider', (f) => f.monitoringProvider?.name ?? null],
  ['dose_mg', (f) => f.doseCategory],
  ['devices', (f) => f.devices],
  ['lot_number', (f) => f.lotNumber],
  ['device_times', (f) => f.deviceTimes.join(';')],
  ['total_monitoring_minutes', (f) => f.totalMonitoringMinutes],
  ['ready_to_leave_at', (f) => f.readyToLeaveAt],
  ['bp_before_dose', (f) => bpText(f.bloodPressure.beforeDose)],
  ['bp_at_40_minutes', (f) => bpText(f.bloodPressure.at40Minutes)],
  ['bp_before_discharge', (f) => bpText(f.bloodPressure.beforeDischarge)],
  ['vitals_acceptable_before', (f) => f.vitalsAcceptableBefore],
  ['vitals_acceptable_at_end', (f) => f.vitalsAcceptableAtEnd],
  ['sedation', (f) => f.sedation.observed],
  ['lowest_moaas', (f) => f.sedation.lowestScore],
  ['dissociation', (f) => f.dissociation.observed],
  ['highest_cadss', (f) => f.dissociation.highestScore],
  ['respiratory_depression', (f) => f.respiratoryDepression],
  ['serious_adverse_events', (f) => f.seriousAdverseEvents],
  ['serious_adverse_events_description', (f) => f.seriousAdverseEventsDescription],
  ['dosing_clearance_reason', (f) => f.dosingClearance?.reason ?? null],
  ['submitted_at', (f) => f.submittedAt],
  // When the 40-minute BP was really taken, and why outside 30–60 minutes (added last: the columns before keep their places).
  ['bp_at_40_minutes_minute', (f) => f.bloodPressure.at40Minutes?.minutesAfterFirstDevice ?? null],
  ['bp_at_40_minutes_deviation_reason', (f) => f.bloodPressure.at40Minutes?.deviationReason ?? null],
];

function bpText(bp: { systolic: number; diastolic: number } | null): string | null {
  return bp ? `${bp.systolic}/${bp.diastolic}` : null;
}

/**
 * One cell: quoted when it holds a separator, quote or line break; free text that a spreadsheet would run
 * as a formula (= + - @ at the start) is prefixed with an apostrophe.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function remsFormsCsv(forms: readonly RemsForm[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const form of forms) lines.push(COLUMNS.map(([, value]) => csvCell(value(form))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
