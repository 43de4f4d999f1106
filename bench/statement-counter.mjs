// Preloaded into the service by bench/booking-probe.mjs (`node --import`; or into any run, e.g.
// `STATEMENT_COUNT_FILE=/tmp/n node --import ./bench/statement-counter.mjs dist/bench/waitlist-run.js`): counts the statements the
// service sends (every pg Client#query, prepared or not, BEGIN and COMMIT included) and writes the count
// to STATEMENT_COUNT_FILE on SIGUSR2. With CPU_PROFILE_FILE set, the first SIGUSR2 also starts a CPU
// profile and the second writes it there (NODE_OPTIONS may not carry --cpu-prof). A measuring aid only:
// never loaded by the service itself.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import pg from 'pg';

const { Client } = pg;

let statements = 0;
/** STATEMENT_TEXTS=1: also a tally by the statement's first 70 characters, written beside the count. */
const texts = process.env.STATEMENT_TEXTS ? new Map() : undefined;
const query = Client.prototype.query;
Client.prototype.query = function countedQuery(...args) {
  statements++;
  if (texts) {
    const text = String(typeof args[0] === 'string' ? args[0] : args[0]?.text)
      .replace(/\s+/g, ' ')
      .slice(0, 70);
    texts.set(text, (texts.get(text) ?? 0) + 1);
  }
  return query.apply(this, args);
};

/** The totals once more as the process exits, beside the count file (`.exit`): for a run that ends by itself. */
process.on('exit', () => {
  writeFileSync(`${process.env.STATEMENT_COUNT_FILE}.exit`, String(statements));
  if (texts)
    writeFileSync(
      `${process.env.STATEMENT_COUNT_FILE}.exit.texts.json`,
      JSON.stringify(
        [...texts].sort((a, b) => b[1] - a[1]),
        null,
        1,
      ),
    );
});

let session;
process.on('SIGUSR2', () => {
  writeFileSync(process.env.STATEMENT_COUNT_FILE, String(statements));
  if (texts)
    writeFileSync(
      `${process.env.STATEMENT_COUNT_FILE}.texts.json`,
      JSON.stringify(
        [...texts].sort((a, b) => b[1] - a[1]),
        null,
        1,
      ),
    );
  const file = process.env.CPU_PROFILE_FILE;
  if (!file) return;
  if (!session) {
    session = new Session();
    session.connect();
    session.post('Profiler.enable', () => session.post('Profiler.start'));
  } else {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
    });
  }
});
