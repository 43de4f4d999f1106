/**
 * When a failed delivery is tried again. The delays grow (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, as the
 * Standard Webhooks reference implementations space theirs) and the whole effort lasts 24 hours from the
 * event: the last try is at the deadline itself, and a delivery that fails then is given up.
 */
export const RETRY_DELAYS_SECONDS: readonly number[] = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600];
export const DELIVERY_WINDOW_HOURS = 24;

export type AfterFailure = { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' };

/**
 * `attempts` counts the tries made so far, the one that just failed included; `firstQueuedAt` is when the
 * event was written to the outbox.
 */
export function afterFailedAttempt(attempts: number, firstQueuedAt: Date, now: Date): AfterFailure {
  const deadline = new Date(firstQueuedAt.getTime() + DELIVERY_WINDOW_HOURS * 3_600_000);
  if (now >= deadline) return { status: 'failed' };
  const delay = RETRY_DELAYS_SECONDS[Math.min(Math.max(attempts, 1), RETRY_DELAYS_SECONDS.length) - 1];
  const next = new Date(now.getTime() + delay * 1000);
  return { status: 'pending', nextAttemptAt: next > deadline ? deadline : next };
}
