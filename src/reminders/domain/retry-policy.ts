/** A text is tried at most this many times, then shows as failed with the last error. */
export const MAX_SEND_ATTEMPTS = 5;

const BASE_DELAY_SECONDS = 30;
const MAX_DELAY_SECONDS = 3_600;

/** Exponential backoff after the `attempt`-th failure (1-based): 30 s, 60 s, 120 s, 240 s, … capped at an hour. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** Math.max(0, attempt - 1));
}

export type FailureOutcome = { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' };

/** What a failed attempt leaves: another try later, or failed for good. */
export function afterFailure(attempt: number, now: Date, maxAttempts = MAX_SEND_ATTEMPTS): FailureOutcome {
  if (attempt >= maxAttempts) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + retryDelaySeconds(attempt) * 1000) };
}
