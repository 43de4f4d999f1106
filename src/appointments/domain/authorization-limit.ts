/** A payer's authorization caps every booking of its treatment, not only courses. Pure. */
import { type EligibilityAuthorization, selectAuthorization } from '../../patients/domain/eligibility';

/** An authorization of the patient for the treatment booked, with the appointments it already counts. */
export interface AuthorizationWindow extends EligibilityAuthorization {
  /** Appointments of the treatment in its window that are not cancelled or a no-show. */
  countedAppointmentIds: string[];
}

export type AuthorizationRule = 'authorization-sessions' | 'authorization-expiry' | 'authorization-not-yet-valid';

export interface AuthorizationRefusal {
  rule: AuthorizationRule;
  detail: string;
}

/**
 * The authorization that governs a session on `date` (the one whose window holds that date, else the next
 * to start, else the last to expire: as eligibility picks one for today), and why it does not cover one
 * more session then: its approved sessions are spent, or the date falls outside its window. Without any
 * authorization (self-pay) nothing is refused. The appointment being moved is not counted twice.
 */
export function authorizationRefusal(
  date: string,
  authorizations: readonly AuthorizationWindow[],
  excludeAppointmentId?: string,
): AuthorizationRefusal | undefined {
  if (!authorizations.length) return undefined;
  const governing = selectAuthorization(authorizations, authorizations[0].treatment, date)!;
  if (date > governing.validTo) {
    return { rule: 'authorization-expiry', detail: `The session on ${date} is after the authorization's validTo ${governing.validTo}.` };
  }
  if (date < governing.validFrom) {
    return { rule: 'authorization-not-yet-valid', detail: `The session on ${date} is before the authorization's validFrom ${governing.validFrom}.` };
  }
  const used = governing.countedAppointmentIds.filter((id) => id !== excludeAppointmentId).length;
  if (used + 1 > governing.approvedSessions) {
    return {
      rule: 'authorization-sessions',
      detail: `The authorization (${governing.validFrom} to ${governing.validTo}) approves ${governing.approvedSessions} sessions and ${used} are booked or held already.`,
    };
  }
  return undefined;
}
