import { JobQueue } from '../../src/jobs/job-queue.service';
import { ReminderDispatcher } from '../../src/reminders/reminder-dispatcher.service';
import type { TestContext } from './app';
import { INBOUND, inboundForm, PUBLIC_BASE_URL, TWILIO_TOKEN, twilioSignature } from './twilio';

/** The settings a test app needs to take signed inbound texts. */
export const SMS_ENV = { TWILIO_AUTH_TOKEN: TWILIO_TOKEN, PUBLIC_BASE_URL };

type Sms = Pick<TestContext, 'http'>;

/** A patient's text, posted to the inbound webhook as Twilio signs it (a new MessageSid each time); the form is returned for replays. */
export async function textFrom(t: Sms, phone: string, body: string, form = inboundForm(phone, body)): Promise<Record<string, string>> {
  await t
    .http()
    .post(INBOUND)
    .type('form')
    .set('X-Twilio-Signature', twilioSignature(`${PUBLIC_BASE_URL}${INBOUND}`, form))
    .send(form)
    .expect(200);
  return form;
}

/** Sends the reminder texts due by the test's clock. */
export async function dispatchTexts(t: Pick<TestContext, 'app'>): Promise<void> {
  await t.app.get(ReminderDispatcher).dispatch();
}

/**
 * Runs the background jobs due by the test's frozen clock, as the workers would at that time: jobs the
 * service scheduled up to the clock's now are made due, then every due job runs (and those they enqueue).
 */
export async function runJobs(t: Pick<TestContext, 'app' | 'dataSource' | 'clock'>): Promise<void> {
  await t.dataSource.query(
    `SELECT graphile_worker.reschedule_jobs(array_agg(id), run_at => now())
       FROM graphile_worker.jobs WHERE run_at > now() AND run_at <= $1 AND locked_at IS NULL HAVING count(*) > 0`,
    [t.clock.now()],
  );
  await t.app.get(JobQueue).runDue();
}

/** The jobs waiting in the queue for a task: when they will run. */
export async function queuedJobs(t: Pick<TestContext, 'dataSource'>, task: string): Promise<Array<{ runAt: Date; payload: unknown }>> {
  return t.dataSource.query(
    `SELECT j.run_at AS "runAt", p.payload FROM graphile_worker.jobs j JOIN graphile_worker._private_jobs p ON p.id = j.id WHERE j.task_identifier = $1 ORDER BY j.run_at`,
    [task],
  );
}
