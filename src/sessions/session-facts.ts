/** What the session rules read about one appointment, as loaded by SessionsRepository.loadFacts. */
import type { VitalsReading, VitalsTimepoint } from './domain/vitals';
import type { SessionEventKind } from './session-event.entity';

export interface ChartedReading extends VitalsReading {
  notes: string | null;
  recordedBy: string | null;
  recordedAt: Date;
}

export interface RecordedDose {
  doseMg: number;
  devices: number;
  lotNumber: string;
  deviceTimes: Date[];
  administeredBy: string | null;
  recordedAt: Date;
}

export interface SessionFacts {
  events: Partial<Record<SessionEventKind, { occurredAt: Date; recordedBy: string | null }>>;
  dose: RecordedDose | null;
  /** Every entry, corrected ones too, in the order taken. */
  vitals: ChartedReading[];
  clearedReadingIds: Set<string>;
  hasTmsRecord: boolean;
  remsEnrolledAt: Date | null;
  rideShareAccepted: boolean;
  /** The clinic's CADSS ceiling for Spravato discharge (null: none). */
  cadssCeiling: number | null;
  /** Minutes from "may go home" to a free chair, at the clinic. */
  dischargeMarginMinutes: number;
  /** Spravato doses of the patient in other sessions. */
  otherDoses: number;
}

/** The JSON shape of a vitals row built by VITALS_JSON. */
export interface VitalsJson {
  id: string;
  timepoint: VitalsTimepoint;
  takenAt: string;
  systolic: number;
  diastolic: number;
  heartRate: number;
  spo2: number;
  respiratoryRate: number | null;
  sedationScore: number | null;
  dissociationScore: number | null;
  dissociationResolved: boolean | null;
  deviationReason: string | null;
  notes: string | null;
  correctsId: string | null;
  recordedBy: string | null;
  recordedAt: string;
}

/** json_build_object of a vitals row aliased v (camelCase keys, as VitalsJson). */
export const VITALS_JSON = `json_build_object(
  'id', v.id, 'timepoint', v.timepoint, 'takenAt', v.taken_at, 'systolic', v.systolic, 'diastolic', v.diastolic,
  'heartRate', v.heart_rate, 'spo2', v.spo2, 'respiratoryRate', v.respiratory_rate, 'sedationScore', v.sedation_score,
  'dissociationScore', v.dissociation_score, 'dissociationResolved', v.dissociation_resolved, 'deviationReason', v.deviation_reason, 'notes', v.notes, 'correctsId', v.corrects_id, 'recordedBy', v.recorded_by,
  'recordedAt', v.recorded_at)`;

export function toChartedReading(row: VitalsJson): ChartedReading {
  return { ...row, takenAt: new Date(row.takenAt), recordedAt: new Date(row.recordedAt) };
}
