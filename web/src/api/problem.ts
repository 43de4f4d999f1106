/** An RFC 9457 problem as the service answers every error (application/problem+json). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  rule?: string;
  errors?: Array<{ field: string; message: string }>;
  conflicts?: Array<{ appointmentId?: string; resourceId?: string; reason: string }>;
  /** Discharge and REMS refusals list every unmet condition. */
  unmet?: Array<string | { rule?: string; detail?: string; message?: string }>;
  missing?: string[];
  currentStatus?: string;
  [extension: string]: unknown;
}

/** A refused request, thrown by the API helpers so screens can show the service's own words. */
export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }

  get status(): number {
    return this.problem.status;
  }
}

export function toProblem(status: number, body: unknown): Problem {
  if (body && typeof body === 'object' && 'status' in body) return body as Problem;
  return { status, title: `HTTP ${status}`, detail: typeof body === 'string' && body ? body.slice(0, 300) : undefined };
}

/** "nurse-capacity" → "Nurse capacity" */
export function ruleInWords(rule: string): string {
  const words = rule.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Every line a person should read about a refusal: the detail, each unmet rule, conflict and field error. */
export function problemLines(problem: Problem): string[] {
  const lines: string[] = [];
  if (problem.detail) lines.push(problem.detail);
  for (const item of problem.unmet ?? []) {
    const text = typeof item === 'string' ? item : (item.detail ?? item.message ?? item.rule);
    if (text && !lines.includes(text)) lines.push(text);
  }
  for (const missing of problem.missing ?? []) if (!problem.detail?.includes(missing)) lines.push(`Missing: ${missing}`);
  for (const conflict of problem.conflicts ?? []) {
    const reason = sentence(conflict.reason);
    if (!lines.includes(reason)) lines.push(reason);
  }
  for (const error of problem.errors ?? []) {
    const text = `${error.field}: ${error.message}`;
    if (!lines.includes(text) && !problem.detail?.includes(text)) lines.push(text);
  }
  return lines.length ? lines : [problem.title ?? `The request failed (HTTP ${problem.status}).`];
}
