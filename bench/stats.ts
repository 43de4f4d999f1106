/** Latency figures from raw samples (milliseconds). */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { count: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? 0) };
}

export interface Row {
  scenario: string;
  figure: string;
  /** One value per scale measured, in the order of the table's columns. */
  values: string[];
  target: string;
  met: boolean | null;
}

/** A Markdown table: one value column per scale (`columns`), the target and whether it is met. */
export function printTable(rows: Row[], columns: string[]): void {
  const headers = ['scenario', 'figure', ...columns, 'target', 'met'];
  const cells = rows.map((r) => [r.scenario, r.figure, ...columns.map((_, i) => r.values[i] ?? ''), r.target, r.met === null ? '' : r.met ? 'yes' : 'NO']);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}
