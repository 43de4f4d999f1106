import type { Treatment } from '../../appointments/domain/vocabulary';
import type { Eligibility } from '../../patients/domain/eligibility';

/** The payer limits a course is checked against; the names a 409's `limits` carries. */
export type CourseLimit = 'requiredFailedTrials' | 'remainingSessions' | 'validTo' | 'validFrom';

export interface LimitBreach {
  limit: CourseLimit;
  /** The 409's rule when this breach is the first one. */
  rule: 'eligibility' | 'authorization-sessions' | 'authorization-expiry' | 'authorization-not-yet-valid';
  detail: string;
}

export interface CourseLimitInput {
  treatment: Treatment;
  eligibility: Eligibility;
  /** The governing authorization's window; null when none is on file (self-pay). */
  authorization: { validFrom: string; validTo: string } | null;
  /** Clinic-local dates of the sessions to book. */
  sessionDates: string[];
}

export interface CourseLimitAssessment {
  breaches: LimitBreach[];
  warnings: string[];
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * A course under an authorization may not use more than its remaining approved sessions, nor fall
 * outside its validity window, and the patient must meet its failed-trial threshold. Without an
 * authorization (self-pay) nothing is refused: the gaps become a warning. No I/O.
 */
export function assessCourseLimits(input: CourseLimitInput): CourseLimitAssessment {
  const { eligibility, authorization, sessionDates, treatment } = input;
  if (!authorization || !eligibility.authorization) {
    const gaps = eligibility.reasons.filter((reason) => !reason.startsWith('no authorization on file'));
    return {
      breaches: [],
      warnings: [`Self-pay: no authorization on file for ${treatment}.${gaps.length ? ` Eligibility gaps: ${gaps.join('; ')}.` : ''}`],
    };
  }

  const breaches: LimitBreach[] = [];
  if (eligibility.failedAdequateTrials < eligibility.requiredFailedTrials) {
    breaches.push({
      limit: 'requiredFailedTrials',
      rule: 'eligibility',
      detail: `${plural(eligibility.failedAdequateTrials, 'failed adequate trial')} on file; the authorization requires ${eligibility.requiredFailedTrials}`,
    });
  }
  const remaining = eligibility.authorization.remainingSessions;
  if (sessionDates.length > remaining) {
    breaches.push({
      limit: 'remainingSessions',
      rule: 'authorization-sessions',
      detail: `the course has ${plural(sessionDates.length, 'session')} but the authorization has ${plural(remaining, 'approved session')} remaining`,
    });
  }
  const late = sessionDates.filter((date) => date > authorization.validTo);
  if (late.length) {
    breaches.push({
      limit: 'validTo',
      rule: 'authorization-expiry',
      detail: `${plural(late.length, 'session')}, from ${late[0]}, would run past the authorization's validTo ${authorization.validTo}`,
    });
  }
  const early = sessionDates.filter((date) => date < authorization.validFrom);
  if (early.length) {
    breaches.push({
      limit: 'validFrom',
      rule: 'authorization-not-yet-valid',
      detail: `${plural(early.length, 'session')} would fall before the authorization's validFrom ${authorization.validFrom}`,
    });
  }
  return { breaches, warnings: [] };
}
