// Reminder dispatch measured in one process against a loaded database (issue 17, scenario 5 alone): the
// bench's 10,000 due texts are added, then ReminderDispatcher sends everything due through the log
// provider with each repository call timed; every 10th claim is also run as EXPLAIN (ANALYZE, BUFFERS)
// from a second connection (in a transaction rolled back), so the plan is the one *during* the run.
// The run changes the database: probe a copy (CREATE DATABASE probe TEMPLATE loaded). Needs `npm run build`:
//
//   LOAD_SCALE=20 DATABASE_URL=postgres://…/loaded npm run seed:load
//   createdb -T loaded probe && node bench/dispatch-probe.mjs postgres://…/probe
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const dist = (path) => require(fileURLToPath(new URL(`../dist/src/${path}`, import.meta.url)));
const { Test } = require('@nestjs/testing');
const { DataSource } = require('typeorm');
const { Client } = require('pg');
const { AppModule } = dist('app.module');
const { loadConfig } = dist('config/app-config');
const { Clock, FixedClock } = dist('common/clock');
const { addDays, clinicDateOf, clinicInstant, weekdayOf } = dist('common/clinic-time');
const { ReminderDispatcher } = dist('reminders/reminder-dispatcher.service');
const { RemindersRepository } = dist('reminders/reminders.repository');
const { SmsMessagesRepository } = dist('reminders/sms-messages.repository');

const url = process.argv[2];
const texts = Number(process.argv[3] ?? 10_000);
let day = addDays(clinicDateOf(new Date()), 3);
while (weekdayOf(day) > 5) day = addDays(day, 1);
const sendingAt = clinicInstant(day, '10:00');

const context = await Test.createTestingModule({
  imports: [
    AppModule.forRoot({
      config: loadConfig({ DATABASE_URL: url, JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'warn', SCHEDULER_ENABLED: 'false', SMS_PROVIDER: 'log' }),
      databaseUrl: url,
    }),
  ],
})
  .overrideProvider(Clock)
  .useValue(new FixedClock(sendingAt))
  .compile();
await context.init();
const ds = context.get(DataSource);
await ds.query(
  `INSERT INTO reminders (appointment_id, patient_id, kind, send_at, status, body)
   SELECT a.id, a.patient_id, 'bench', $1::timestamptz - interval '1 minute', 'pending', 'Reminder: Aurora Clinic. Questions? (303) 555-0140. Reply STOP to opt out.'
     FROM appointments a JOIN patients p ON p.id = a.patient_id AND p.sms_opt_in
    WHERE a.starts_at > $1::timestamptz + interval '1 day' AND a.status = 'scheduled'
    LIMIT $2`,
  [sendingAt, texts],
);
const [{ due }] = await ds.query(`SELECT count(*)::int AS due FROM reminders WHERE status = 'pending' AND send_at <= $1`, [sendingAt]);

const timings = new Map();
const timed = (object, names) => {
  for (const name of names) {
    const original = object[name].bind(object);
    object[name] = async (...args) => {
      const started = performance.now();
      try {
        return await original(...args);
      } finally {
        const entry = timings.get(name) ?? { calls: 0, ms: 0, max: 0 };
        const ms = performance.now() - started;
        timings.set(name, { calls: entry.calls + 1, ms: entry.ms + ms, max: Math.max(entry.max, ms) });
      }
    };
  }
};
const reminders = context.get(RemindersRepository);
timed(reminders, ['claimDueReminders', 'recordSent', 'recordOutcomes']);
timed(context.get(SmsMessagesRepository), ['acquire', 'findByKeys']);

// The claim's plan while the run goes on: the claim statement itself, rolled back.
const explainer = new Client({ connectionString: url });
await explainer.connect();
const plans = [];
const originalClaim = reminders.claimDueReminders;
let claims = 0;
reminders.claimDueReminders = async (...args) => {
  if (claims++ % 10 === 5) {
    const sql = process.env.PROBE_CLAIM_SQL;
    await explainer.query('BEGIN');
    try {
      const captured = [];
      const ds2 = { query: async (text, params) => (captured.push({ text, params }), []) };
      await RemindersRepository.prototype.claimDueReminders.call(Object.assign(Object.create(reminders), { dataSource: ds2 }), ...args);
      const { text, params } = captured[0];
      const result = await explainer.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql ?? text}`, params);
      plans.push({ claim: claims, plan: result.rows.map((r) => r['QUERY PLAN']).join('\n') });
    } finally {
      await explainer.query('ROLLBACK');
    }
  }
  return originalClaim(...args);
};

const dispatcher = context.get(ReminderDispatcher);
const started = performance.now();
let sent = 0;
for (;;) {
  const report = await dispatcher.dispatch({ maxBatches: 1000 });
  sent += report.sent;
  if (report.claimed === 0) break;
}
const seconds = (performance.now() - started) / 1000;
const [{ duplicates }] = await ds.query(
  `SELECT count(*)::int AS duplicates FROM (SELECT reminder_id FROM sms_messages WHERE reminder_id IS NOT NULL GROUP BY reminder_id HAVING count(*) > 1) d`,
);
for (const { claim, plan } of plans.filter((_, i) => i === 0 || i === plans.length - 1 || process.env.PROBE_ALL_PLANS)) {
  process.stdout.write(`-- claim ${claim}\n${plan}\n`);
}
const round = (n) => Math.round(n * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    due,
    sent,
    seconds: round(seconds),
    textsPerSecond: Math.round(sent / seconds),
    duplicates,
    calls: Object.fromEntries(
      [...timings].map(([name, t]) => [name, { calls: t.calls, meanMs: round(t.ms / t.calls), maxMs: round(t.max), totalS: round(t.ms / 1000) }]),
    ),
  })}\n`,
);
await explainer.end();
await context.close();
