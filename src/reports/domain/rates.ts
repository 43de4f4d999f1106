/**
 * A share as a fraction rounded to 4 places (0.1234 = 12.34 %); null when there is nothing to divide by,
 * so that "no appointments yet" never reads as a 0 % no-show rate.
 */
export function rate(part: number, whole: number): number | null {
  if (!(whole > 0)) return null;
  return Math.round((part / whole) * 10_000) / 10_000;
}

/** A mean rounded to one decimal; null for no values. */
export function mean(total: number, count: number): number | null {
  if (!(count > 0)) return null;
  return Math.round((total / count) * 10) / 10;
}
