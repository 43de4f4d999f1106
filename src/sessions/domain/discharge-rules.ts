/** What must be true before a patient goes home, per treatment. */
import type { AppointmentType } from '../../appointments/domain/vocabulary';
import { toClinicIso } from '../../common/clinic-time';
import { bpAfterDoseReading, describeWindow, SPRAVATO } from './spravato-rules';
import type { Refusal } from './status-machine';
import { VitalsReading } from './vitals';

/** [practice] defaults, one place to configure them. */
export const RECOVERY_POLICY = {
  /** Ketamine: recovery in the chair after the infusion ends. */
  ketamineRecoveryMinutes: 30,
  /** ECT: time in the recovery bay after the treatment. */
  ectRecoveryMinutes: 30,
  /** Discharge vitals count when taken at most this long before the earliest discharge (or any time after it). */
  dischargeVitalsLeadMinutes: 30,
} as const;

const MINUTE = 60_000;
const addMinutes = (date: Date, minutes: number) => new Date(date.getTime() + minutes * MINUTE);

/**
 * How long the patient really holds the chair (or bay): from the earliest discharge the dose or the
 * treatment's end fixes, plus the clinic's discharge margin (the discharge itself and turning the chair over).
 */
export function realOccupancyEnd(earliestDischargeAt: Date, dischargeMarginMinutes: number): Date {
  return addMinutes(earliestDischargeAt, dischargeMarginMinutes);
}

/** Ketamine and ECT: the end of the treatment plus the recovery time. */
export function recoveryEarliestDischarge(type: 'ketamine' | 'ect', treatmentEndedAt: Date): Date {
  const minutes = type === 'ketamine' ? RECOVERY_POLICY.ketamineRecoveryMinutes : RECOVERY_POLICY.ectRecoveryMinutes;
  return addMinutes(treatmentEndedAt, minutes);
}

/** The latest effective `discharge` reading recent enough to count (see dischargeVitalsLeadMinutes). */
export function dischargeReading<T extends VitalsReading>(effective: readonly T[], earliestDischargeAt: Date): T | undefined {
  const from = addMinutes(earliestDischargeAt, -RECOVERY_POLICY.dischargeVitalsLeadMinutes).getTime();
  const matching = effective.filter((r) => r.timepoint === 'discharge' && r.takenAt.getTime() >= from);
  return matching[matching.length - 1];
}

export interface RideHome {
  rideConfirmed?: boolean;
  /** The ride is a ride-share (taxi, app), not someone the patient knows. */
  rideShare?: boolean;
  /** The adult who takes the patient home (ECT). */
  escortName?: string;
}

export interface DischargeCheck {
  type: AppointmentType;
  now: Date;
  earliestDischargeAt: Date | null;
  effective: readonly VitalsReading[];
  /** Spravato: the first device. */
  firstDeviceAt?: Date | null;
  ride: RideHome;
  /** [practice] per clinic: whether a ride-share counts as a ride home. */
  rideShareAccepted: boolean;
  hasTmsRecord: boolean;
  /** [practice] per clinic: Spravato discharge also needs a CADSS total at most this (null: the clinician's judgement alone). */
  cadssCeiling?: number | null;
  zone?: string;
}

/** Every unmet discharge condition, in the order a nurse would fix them; empty = may go home. */
export function dischargeRefusals(check: DischargeCheck): Refusal[] {
  switch (check.type) {
    case 'spravato':
      return [...spravatoRefusals(check), ...rideRefusals(check)];
    case 'ketamine':
      return [...recoveryRefusals(check), ...dischargeVitalsRefusals(check), ...rideRefusals(check)];
    case 'ect':
      return [...recoveryRefusals(check), ...escortRefusals(check)];
    case 'tms':
      return check.hasTmsRecord ? [] : [{ rule: 'tms-record', detail: 'Record the TMS session (intensity, pulses) before the patient leaves.' }];
    default:
      return [];
  }
}

function spravatoRefusals(check: DischargeCheck): Refusal[] {
  const refusals: Refusal[] = [];
  const earliest = check.earliestDischargeAt;
  if (!earliest || !check.firstDeviceAt) return [{ rule: 'status', detail: 'No dose is recorded for this session.' }];
  if (check.now < earliest) {
    refusals.push({
      rule: 'observation-minimum',
      detail: `Spravato patients stay at least ${SPRAVATO.observationMinutes} minutes after the last device: not before ${toClinicIso(earliest, check.zone)}.`,
    });
  }
  if (!bpAfterDoseReading(check.effective, check.firstDeviceAt)) {
    refusals.push({
      rule: 'bp-40-minutes',
      detail: `No blood pressure was taken about 40 minutes after dosing (${describeWindow(check.firstDeviceAt, check.zone)}).`,
    });
  }
  const reading = dischargeReading(check.effective, earliest);
  if (!reading) {
    refusals.push(missingDischargeVitals(earliest, check.zone));
  } else {
    if (reading.sedationScore !== SPRAVATO.alertSedationScore) {
      refusals.push({
        rule: 'sedation-not-resolved',
        detail:
          reading.sedationScore === null || reading.sedationScore === undefined
            ? 'The discharge vitals must assess sedation (MOAA/S).'
            : `Sedation has not resolved (MOAA/S ${reading.sedationScore}; 5 needed).`,
      });
    }
    const dissociation = dissociationRefusal(reading, check.cadssCeiling ?? null);
    if (dissociation) refusals.push(dissociation);
  }
  return refusals;
}

/**
 * [label] dissociation must have resolved before the patient leaves: the clinician's judgement
 * (`dissociationResolved`). A clinic that also wants a CADSS number sets a ceiling; by default none.
 */
export function dissociationRefusal(reading: VitalsReading, cadssCeiling: number | null): Refusal | undefined {
  if (reading.dissociationResolved !== true) {
    return {
      rule: 'dissociation-not-resolved',
      detail:
        reading.dissociationResolved === false
          ? 'The clinician judged that dissociation has not resolved.'
          : "The discharge vitals must record the clinician's judgement whether dissociation has resolved (dissociationResolved).",
    };
  }
  if (cadssCeiling === null) return undefined;
  const cadss = reading.dissociationScore;
  if (cadss === null || cadss === undefined) {
    return { rule: 'dissociation-not-resolved', detail: `This clinic also asks for a CADSS score at discharge (at most ${cadssCeiling}).` };
  }
  if (cadss > cadssCeiling) {
    return { rule: 'dissociation-not-resolved', detail: `CADSS ${cadss} is above this clinic's ceiling of ${cadssCeiling}.` };
  }
  return undefined;
}

function recoveryRefusals(check: DischargeCheck): Refusal[] {
  if (!check.earliestDischargeAt) return [{ rule: 'status', detail: 'The treatment has not ended.' }];
  if (check.now >= check.earliestDischargeAt) return [];
  return [{ rule: 'recovery-time', detail: `The patient is in recovery until ${toClinicIso(check.earliestDischargeAt, check.zone)}.` }];
}

function dischargeVitalsRefusals(check: DischargeCheck): Refusal[] {
  if (!check.earliestDischargeAt || dischargeReading(check.effective, check.earliestDischargeAt)) return [];
  return [missingDischargeVitals(check.earliestDischargeAt, check.zone)];
}

function missingDischargeVitals(earliest: Date, zone?: string): Refusal {
  const from = addMinutes(earliest, -RECOVERY_POLICY.dischargeVitalsLeadMinutes);
  return { rule: 'discharge-vitals', detail: `Record discharge vitals (timepoint discharge, taken from ${toClinicIso(from, zone)}).` };
}

function rideRefusals(check: DischargeCheck): Refusal[] {
  if (check.ride.rideConfirmed !== true) {
    return [{ rule: 'ride-home', detail: 'The patient may not drive today: confirm a ride home (rideConfirmed: true).' }];
  }
  if (check.ride.rideShare && !check.rideShareAccepted) {
    return [{ rule: 'ride-share-not-accepted', detail: 'This clinic does not accept a ride-share as the ride home.' }];
  }
  return [];
}

function escortRefusals(check: DischargeCheck): Refusal[] {
  if (check.ride.rideConfirmed === true && check.ride.escortName?.trim() && !check.ride.rideShare) return [];
  return [{ rule: 'escort', detail: 'After ECT an adult escort takes the patient home: confirm the ride and name the escort (escortName).' }];
}
