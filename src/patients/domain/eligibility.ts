import type { Treatment } from '../../appointments/domain/vocabulary';
import type { TrialOutcome } from './medication-trials';

/** TRD: inadequate response to at least 2 adequate trials; a payer's authorization may ask for more. */
export const DEFAULT_REQUIRED_FAILED_TRIALS = 2;

/*
 * Only an adequate trial that did not work counts as failed. "intolerant" is left out on purpose: a
 * patient who stopped a drug for side effects did not have an adequate trial of its efficacy (the
 * TRD definition is about inadequate *response* to adequate dose and duration), and payers count
 * intolerance separately if at all. A clinic that wants it counted changes this list, nothing else.
 */
const FAILED_OUTCOMES: readonly TrialOutcome[] = ['no_response', 'partial_response'];

export interface EligibilityTrial {
  adequate: boolean;
  outcome: TrialOutcome;
}

export interface EligibilityAuthorization {
  id: string;
  treatment: Treatment;
  approvedSessions: number;
  /** Clinic-local dates, YYYY-MM-DD, both inclusive. */
  validFrom: string;
  validTo: string;
  requiredFailedTrials: number;
}

export interface EligibilityInput {
  treatment: Treatment;
  trials: readonly EligibilityTrial[];
  authorizations: readonly EligibilityAuthorization[];
  /** Sessions already booked or held under the authorization `selectAuthorization` picks. */
  sessionsUsed: number;
  /** Clinic-local date, YYYY-MM-DD. */
  today: string;
}

export interface Eligibility {
  eligible: boolean;
  failedAdequateTrials: number;
  requiredFailedTrials: number;
  authorization: { id: string; remainingSessions: number; validTo: string } | null;
  /** Every gap, in plain words; empty when nothing stands in the way. */
  reasons: string[];
}

export function countFailedAdequateTrials(trials: readonly EligibilityTrial[]): number {
  return trials.filter((trial) => trial.adequate && FAILED_OUTCOMES.includes(trial.outcome)).length;
}

function isValidOn<A extends EligibilityAuthorization>(authorization: A, date: string): boolean {
  return authorization.validFrom <= date && date <= authorization.validTo;
}

/**
 * The authorization that governs `treatment` on `today`: the one whose window contains today (the
 * latest validTo first). Without one, the next that will start (a renewal already on file), else the
 * one that expired last, so that the answer can say why it does not count. Undefined: self-pay.
 */
export function selectAuthorization<A extends EligibilityAuthorization>(authorizations: readonly A[], treatment: Treatment, today: string): A | undefined {
  const candidates = authorizations.filter((a) => a.treatment === treatment);
  const current = candidates.filter((a) => isValidOn(a, today)).sort((a, b) => b.validTo.localeCompare(a.validTo) || b.validFrom.localeCompare(a.validFrom));
  if (current.length) return current[0];
  const upcoming = candidates.filter((a) => a.validFrom > today).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  if (upcoming.length) return upcoming[0];
  return [...candidates].sort((a, b) => b.validTo.localeCompare(a.validTo))[0];
}

function trials(count: number): string {
  return `${count} failed adequate trial${count === 1 ? '' : 's'}`;
}

/** Whether a patient may start `treatment` today, and every reason why not. No I/O: callers fetch. */
export function assessEligibility(input: EligibilityInput): Eligibility {
  const { treatment, today, sessionsUsed } = input;
  const failedAdequateTrials = countFailedAdequateTrials(input.trials);
  const chosen = selectAuthorization(input.authorizations, treatment, today);
  const requiredFailedTrials = chosen?.requiredFailedTrials ?? DEFAULT_REQUIRED_FAILED_TRIALS;
  const reasons: string[] = [];

  const enoughTrials = failedAdequateTrials >= requiredFailedTrials;
  if (!enoughTrials) {
    const required = chosen ? `the payer requires ${requiredFailedTrials}` : `${requiredFailedTrials} are required`;
    reasons.push(`${trials(failedAdequateTrials)} on file; ${required}`);
  }

  if (!chosen) {
    reasons.push(`no authorization on file for ${treatment} (self-pay)`);
    return { eligible: enoughTrials, failedAdequateTrials, requiredFailedTrials, authorization: null, reasons };
  }

  const remainingSessions = Math.max(0, chosen.approvedSessions - sessionsUsed);
  const validToday = isValidOn(chosen, today);
  if (today > chosen.validTo) reasons.push(`authorization expired on ${chosen.validTo}`);
  if (today < chosen.validFrom) reasons.push(`authorization is not valid until ${chosen.validFrom}`);
  if (remainingSessions === 0) {
    reasons.push(`no approved sessions remaining (${sessionsUsed} of ${chosen.approvedSessions} used)`);
  }

  return {
    eligible: enoughTrials && validToday && remainingSessions > 0,
    failedAdequateTrials,
    requiredFailedTrials,
    authorization: { id: chosen.id, remainingSessions, validTo: chosen.validTo },
    reasons,
  };
}
