/**
 * A claim's batch size as a literal for its `LIMIT`, never a bound parameter. The pool plans every
 * statement generically (`plan_cache_mode`, data-source-options.ts), and a generic plan reads `LIMIT $n`
 * as a tenth of the rows that qualify: at 20x the reminder claim then expected 24,000 rows and hash-joined
 * a sequential scan of every reminder into each claim of 200 (0.5–3 s a claim; ~15 ms with the literal;
 * BENCHMARKS.md, dispatch). Only a positive integer gets through, so nothing but a number reaches the SQL.
 */
export function batchLimit(batchSize: number): string {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`a batch size must be a positive integer, not ${batchSize}`);
  return `LIMIT ${batchSize}`;
}
