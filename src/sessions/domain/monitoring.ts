/** The observation board: when vitals are next due and whether a stay runs into the chair's next booking. */
import type { AppointmentStatus, AppointmentType } from '../../appointments/domain/vocabulary';
import { dischargeReading, RECOVERY_POLICY } from './discharge-rules';
import { bpAfterDoseReading, SPRAVATO } from './spravato-rules';
import { VitalsReading } from './vitals';

export const MONITORING = {
  /** Ketamine: vitals every 15 minutes during the infusion [practice]. */
  ketamineVitalsEveryMinutes: 15,
  /** Ketamine: the infusion length assumed while one is still running [practice]. */
  ketamineInfusionMinutes: 40,
  /** From "may go home" to a free chair: the discharge itself and turning the chair over (the default of a clinic's discharge margin). */
  dischargeTurnoverMinutes: 10,
} as const;

const MINUTE = 60_000;
const addMinutes = (date: Date, minutes: number) => new Date(date.getTime() + minutes * MINUTE);
const later = (a: Date, b: Date) => (a > b ? a : b);

export interface MonitoredSession {
  type: AppointmentType;
  status: AppointmentStatus;
  earliestDischargeAt: Date | null;
  /** Spravato: the first device. */
  firstDeviceAt: Date | null;
  /** Ketamine / ECT: when the treatment started. */
  treatmentStartedAt: Date | null;
  effective: readonly VitalsReading[];
}

/**
 * Spravato: the ~40-minute BP (first device + 40) until it is taken, then the discharge vitals at the
 * earliest discharge until they are taken. Ketamine: during the infusion every 15 minutes after the
 * last reading (or the start); in recovery the discharge vitals. ECT recovery has no schedule here: null.
 */
export function nextVitalsDueAt(session: MonitoredSession): Date | null {
  const { effective } = session;
  if (session.type === 'spravato' && session.firstDeviceAt && session.earliestDischargeAt) {
    if (!bpAfterDoseReading(effective, session.firstDeviceAt)) return addMinutes(session.firstDeviceAt, SPRAVATO.bpAfterDose.targetMinutes);
    return dischargeReading(effective, session.earliestDischargeAt) ? null : session.earliestDischargeAt;
  }
  if (session.type === 'ketamine') {
    if (session.status === 'in_treatment' && session.treatmentStartedAt) {
      const started = session.treatmentStartedAt;
      const since = effective.filter((r) => r.takenAt >= started);
      const last = since.length ? since[since.length - 1].takenAt : started;
      return addMinutes(last, MONITORING.ketamineVitalsEveryMinutes);
    }
    if (session.earliestDischargeAt) return dischargeReading(effective, session.earliestDischargeAt) ? null : session.earliestDischargeAt;
  }
  return null;
}

/**
 * When the chair is expected to be free: the earliest discharge (or now, once the patient stays past
 * it) plus the clinic's discharge margin. A ketamine infusion still running is assumed to take the default
 * infusion length plus recovery.
 */
export function expectedFreeAt(
  session: Pick<MonitoredSession, 'type' | 'earliestDischargeAt' | 'treatmentStartedAt'>,
  now: Date,
  dischargeMarginMinutes: number = MONITORING.dischargeTurnoverMinutes,
): Date {
  let earliest = session.earliestDischargeAt;
  if (!earliest && session.type === 'ketamine' && session.treatmentStartedAt) {
    earliest = addMinutes(session.treatmentStartedAt, MONITORING.ketamineInfusionMinutes + RECOVERY_POLICY.ketamineRecoveryMinutes);
  }
  return addMinutes(later(earliest ?? now, now), dischargeMarginMinutes);
}

/** True when the chair will not be free by the start of its next booking (back to back is fine). */
export function overrunsNextBooking(expectedFree: Date, nextBookingStartsAt: Date | null): boolean {
  return nextBookingStartsAt !== null && expectedFree > nextBookingStartsAt;
}
