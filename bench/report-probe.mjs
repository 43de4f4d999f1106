// One report's statements measured against a loaded database (issue 17, scenario 9 alone), as the bench
// asks for them: Aurora, the 30 days from two weeks ago, by week. Prints each statement's
// EXPLAIN (ANALYZE, BUFFERS) (JIT off, as on the read connection), then the mean and p95 of `runs` calls
// of the repository method. Read-only. Needs `npm run build`:
//
//   node bench/report-probe.mjs postgres://…/loaded textsActivity 20
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const dist = (path) => require(fileURLToPath(new URL(`../dist/src/${path}`, import.meta.url)));
const { Pool } = require('pg');
const { ReportsRepository } = dist('reports/reports.repository');
const { addDays, clinicDateOf } = dist('common/clinic-time');

const [url, method = 'textsActivity', runs = '20'] = process.argv.slice(2);
const pool = new Pool({ connectionString: url, max: 1, options: '-c default_transaction_read_only=on -c jit=off' });
const [{ id: aurora }] = (await pool.query(`SELECT id FROM locations WHERE code = 'aurora'`)).rows;
const from = clinicDateOf(new Date(Date.now() - 14 * 86_400_000));
const scope = { locationIds: [aurora], from, to: addDays(from, 29), groupBy: 'week', now: new Date() };

const statements = [];
await new ReportsRepository({ query: async (text, values) => (statements.push({ text, values }), []) })[method](scope);
for (const { text, values } of statements) {
  const plan = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
  process.stdout.write(`${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
}
const repository = new ReportsRepository({ query: async (text, values) => (await pool.query(text, values)).rows });
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const started = performance.now();
  await repository[method](scope);
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const round = (n) => Math.round(n * 10) / 10;
process.stdout.write(
  `${JSON.stringify({ method, runs: times.length, meanMs: round(times.reduce((a, b) => a + b, 0) / times.length), p50Ms: round(times[Math.floor(times.length / 2)]), p95Ms: round(times[Math.ceil(times.length * 0.95) - 1]) })}\n`,
);
await pool.end();
