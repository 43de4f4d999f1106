import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { RULE_SYSTEM } from './codes';

/** What an error says, as the problem-details filter has it (status, detail, field errors, the rule). */
export interface ErrorFacts {
  status: number;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
  rule?: string;
  /** What stands in the way of a refused booking (a 409's conflicts): their reasons join the diagnostics. */
  conflicts?: Array<{ reason: string }>;
}

/** Refusals because something else holds the time (FHIR `conflict`); other rules are `business-rule`. */
const CONFLICT_RULES = new Set([
  'resource-overlap',
  'patient-overlap',
  'provider-overlap',
  'no-resource-available',
  'no-provider-available',
  'idempotency-in-progress',
]);

type IssueType = OperationOutcomeIssue['code'];

function issueTypeOf(facts: ErrorFacts): IssueType {
  switch (facts.status) {
    case 400:
    case 413:
    case 422:
      return 'invalid';
    case 401:
      return 'login';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 405:
    case 406:
    case 415:
    case 501:
      return 'not-supported';
    case 409:
      return facts.rule && !CONFLICT_RULES.has(facts.rule) ? 'business-rule' : 'conflict';
    case 429:
      return 'throttled';
    case 503:
      return 'transient';
    default:
      return 'exception';
  }
}

/** The detail, and why the time is taken when a conflict says so ("… (the resource is on hold then)"): never whose it is. */
function withReasons(facts: ErrorFacts): string {
  const reasons = [...new Set((facts.conflicts ?? []).map((c) => c.reason).filter((r) => typeof r === 'string' && r))];
  return reasons.length ? `${facts.detail} (${reasons.join('; ')})` : facts.detail;
}

/** An error as FHIR answers it: one issue per field in error, else one naming the rule (409) or saying what went wrong. */
export function operationOutcomeOf(facts: ErrorFacts): OperationOutcome {
  const code = issueTypeOf(facts);
  const severity = facts.status >= 500 ? 'fatal' : 'error';
  const issue: OperationOutcomeIssue[] = facts.errors?.length
    ? facts.errors.map((error) => ({ severity, code, diagnostics: error.message, expression: [error.field] }))
    : [
        {
          severity,
          code,
          ...(facts.rule ? { details: { coding: [{ system: RULE_SYSTEM, code: facts.rule }], text: `Refused by the rule ${facts.rule}` } } : {}),
          diagnostics: withReasons(facts),
        },
      ];
  return { resourceType: 'OperationOutcome', issue };
}
