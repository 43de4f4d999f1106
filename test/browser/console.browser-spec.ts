import { Page, Request, Response } from 'playwright-core';
import { gzipSync } from 'node:zlib';
import { createPatient, locationId, resourceIds, staffClinic } from '../support/factories';
import { insertAppointment, insertRemsForm } from '../support/history';
import {
  apiAs,
  ConsoleService,
  launchChromium,
  openConsole,
  screenshot,
  signIn,
  startConsoleService,
  WatchedPage,
  expectAccessible,
} from './support/console-harness';

/** A Monday past the demo roster (MDT, -06:00): only the staff this test puts on shift work that day. */
const DAY = '2027-08-02';
const at = (time: string) => `${DAY}T${time}:00-06:00`;
const SUNDAY = '2027-08-01';

/**
 * The staff console in Chromium against the built service: a front-desk user books a Spravato session
 * on the day board; a nurse checks the patient in, records vitals and the dose, is refused discharge at
 * 119 minutes after the last device and discharges at 120; a provider submits the REMS form. The
 * service's clock and the page's clock stand still and move together. The steps build on each other.
 */
describe('staff console', () => {
  let service: ConsoleService;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let aurora: string;
  let chair1: string;
  let patientId: string;
  let appointmentId: string;
  const opened: WatchedPage[] = [];

  async function open(now: string): Promise<Page> {
    const watched = await openConsole(browser.context, service.url, now);
    opened.push(watched);
    return watched.page;
  }

  /** Moves the service's clock and the page's clock to the same local time of DAY. */
  async function setTime(page: Page, time: string): Promise<void> {
    service.setNow(at(time));
    await page.clock.setFixedTime(new Date(at(time)));
  }

  beforeAll(async () => {
    service = await startConsoleService(at('06:30'));
    const ds = service.dataSource;
    await staffClinic(ds, 'aurora', [DAY]);
    aurora = await locationId(ds, 'aurora');
    [chair1] = await resourceIds(ds, 'aurora', 'treatment_chair');
    patientId = await createPatient(ds, { firstName: 'Dana', lastName: 'Rivera' });

    // A loaded day: 30 TMS sessions on the three devices from 07:00, each a patient of its own.
    const frontDesk = await apiAs(service.url, 'front_desk');
    for (let i = 0; i < 30; i++) {
      const start = 7 * 60 + Math.floor(i / 3) * 30;
      const time = `${String(Math.floor(start / 60)).padStart(2, '0')}:${String(start % 60).padStart(2, '0')}`;
      const booked = await frontDesk.post('/api/appointments', { patientId: await createPatient(ds), type: 'tms', locationId: aurora, startsAt: at(time) });
      if (booked.status !== 201) throw new Error(`seeding the day: ${booked.status} ${JSON.stringify(booked.body)}`);
    }
    browser = await launchChromium();
  }, 180_000);

  afterEach(() => {
    // No CSP violation and no uncaught error on any page, ever.
    for (const watched of opened) expect(watched.problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('serves the console at / with a strict CSP, no inline script, and the API still its own', async () => {
    const index = await fetch(`${service.url}/front-desk`);
    expect(index.status).toBe(200);
    const csp = index.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
    expect(csp).not.toContain('unsafe-inline');
    const html = await index.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [tag, body] of scripts) {
      expect(tag).toMatch(/\ssrc="\/assets\/[^"]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
    // The nonce in the page is this response's own.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(html).toContain(`<meta property="csp-nonce" nonce="${nonce}">`);

    const unknownApi = await fetch(`${service.url}/api/no-such-thing`);
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toContain('application/problem+json');
    const docs = await fetch(`${service.url}/docs-json`);
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { openapi: string }).openapi).toMatch(/^3\./);
  });

  it('signs in with the JS the sign-in page needs under 300 KB gzipped, and keeps the token out of storage and URLs', async () => {
    const page = await open(at('06:30'));
    const scripts = new Map<string, Promise<number>>();
    const onResponse = (response: Response) => {
      if (response.request().resourceType() === 'script')
        scripts.set(
          response.url(),
          response.body().then((body) => gzipSync(body, { level: 9 }).length),
        );
    };
    page.on('response', onResponse);
    await page.reload();
    await page.getByRole('heading', { name: 'Clinic console' }).waitFor();
    await page.waitForLoadState('networkidle');
    page.off('response', onResponse);
    const total = (await Promise.all(scripts.values())).reduce((a, b) => a + b, 0);
    console.log(`sign-in page JS: ${scripts.size} file(s), ${(total / 1024).toFixed(1)} KB gzipped`);
    expect(scripts.size).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(300 * 1024);
    await expectAccessible(page, 'sign-in');
    await screenshot(page, '01-sign-in');

    await page.getByLabel('Email').fill('frontdesk@demo.clinic');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The email or password is not right.');

    await signIn(page, 'front_desk');
    expect(new URL(page.url()).pathname).toBe('/front-desk');
    const storage = await page.evaluate('({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie })');
    expect(storage).toEqual({ local: {}, session: {}, cookie: '' });
    expect(page.url()).not.toMatch(/eyJ/);
    await page.close();
  });

  it('front desk: books a Spravato session from the day board and sees it appear; a rule refusal is shown in words', async () => {
    // The evening before: the board opens on Sunday (closed), and the loaded Monday is one click away.
    const page = await open(`${SUNDAY}T18:00:00-06:00`);
    service.setNow(`${SUNDAY}T18:00:00-06:00`);
    await signIn(page, 'front_desk');
    await page.getByText('Closed: the clinic has no opening hours on this weekday.').waitFor();

    // The loaded Monday: its 30 appointments on the board, each named and ready to click. How fast is
    // measured by `npm run bench:console` on the bench data (BENCHMARKS.md, "Console"), not here.
    const patientReads: string[] = [];
    const onRequest = (request: Request) => void (new URL(request.url()).pathname.startsWith('/api/patients') && patientReads.push(request.url()));
    page.on('request', onRequest);
    await page.getByRole('button', { name: 'Next day' }).click();
    const blocks = page.locator('.schedule .block');
    await blocks.nth(29).waitFor();
    await expect(blocks.filter({ hasText: 'Loading patient' }).count()).resolves.toBe(0);
    expect(await blocks.count()).toBe(30);
    for (let i = 0; i < 30; i++) await blocks.nth(i).click({ trial: true });
    // The day's list brings the names: no read patient by patient.
    page.off('request', onRequest);
    expect(patientReads).toEqual([]);
    await expectAccessible(page, 'day board');

    await page.locator('.free-slot[data-resource="Chair 1"][data-time="09:00"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Search by name, phone or date of birth').fill('Rivera');
    await dialog.getByRole('button', { name: /Rivera, Dana/ }).click();
    await expect(dialog.getByLabel('Type').inputValue()).resolves.toBe('spravato');
    await expect(dialog.getByLabel('Resource').locator('option:checked').textContent()).resolves.toBe('Chair 1');
    await expect(dialog.getByLabel('Start').inputValue()).resolves.toBe('09:00');
    await expectAccessible(page, 'booking dialog');
    await dialog.getByRole('button', { name: 'Book', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const block = page.getByRole('button', { name: '09:00–11:30 Chair 1: Rivera, Dana Spravato, Scheduled' });
    await block.waitFor();
    await expect(block.locator('.observation').count()).resolves.toBe(1);
    await screenshot(page, '02-day-board-booked');
    const stored = await service.dataSource.query(
      `SELECT a.id, a.type, a.status, s.resource_id, a.starts_at FROM appointments a JOIN appointment_segments s ON s.appointment_id = a.id WHERE a.patient_id = $1`,
      [patientId],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ type: 'spravato', status: 'scheduled', resource_id: chair1 });
    expect(new Date(stored[0].starts_at).toISOString()).toBe(new Date(at('09:00')).toISOString());
    appointmentId = stored[0].id;

    // The same patient again at 09:30 on another chair: the service refuses, the dialog says why.
    await page.locator('.free-slot[data-resource="Chair 2"][data-time="09:30"]').click();
    await dialog.getByLabel('Search by name, phone or date of birth').fill('Rivera');
    await dialog.getByRole('button', { name: /Rivera, Dana/ }).click();
    await dialog.getByRole('button', { name: 'Book', exact: true }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Not booked: Patient overlap/);
    await screenshot(page, '03-booking-refused');
    await dialog.getByRole('button', { name: 'Close' }).click();
    const count = await service.dataSource.query(`SELECT count(*)::int AS n FROM appointments WHERE patient_id = $1`, [patientId]);
    expect(count[0].n).toBe(1);

    // Opening the booked block: its facts and the front desk's actions.
    await block.click();
    await expect(dialog.getByRole('heading').textContent()).resolves.toBe('Spravato: Rivera, Dana');
    for (const action of ['Reschedule…', 'Cancel appointment…', 'No-show…']) await dialog.getByRole('button', { name: action }).waitFor();
    await expectAccessible(page, 'appointment dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Reschedule by choosing a new time: the 07:00 session on TMS 1 moves to 12:00.
    const early = page.getByRole('button', { name: /^07:00–07:30 TMS 1: / });
    const movedName = (await early.textContent())!.match(/TMS 1: (.+) TMS, Scheduled/)![1];
    await early.click();
    await dialog.getByRole('button', { name: 'Reschedule…' }).click();
    await dialog.getByLabel('Start').selectOption('12:00');
    await dialog.getByRole('button', { name: 'Move appointment' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: `12:00–12:30 TMS 1: ${movedName} TMS, Scheduled` }).waitFor();
    const moved = await service.dataSource.query(
      `SELECT count(*)::int AS n FROM appointments WHERE location_id = $1 AND type = 'tms' AND starts_at = $2 AND status = 'scheduled'`,
      [aurora, at('12:00')],
    );
    expect(moved[0].n).toBe(1);

    // Cancel with a reason: off the board, into the list of cancellations with the reason.
    await page.getByRole('button', { name: /^07:00–07:30 TMS 2: / }).click();
    await dialog.getByRole('button', { name: 'Cancel appointment…' }).click();
    await dialog.getByLabel('Reason for cancelling').fill('Patient called: unwell');
    await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('region', { name: 'Cancelled and no-shows' })
      .getByText(/Cancelled \(Patient called: unwell\)/)
      .waitFor();
    expect(await page.getByRole('button', { name: /^07:00–07:30 TMS 2: / }).count()).toBe(0);
    const cancelled = await service.dataSource.query(`SELECT status, cancel_reason FROM appointments WHERE location_id = $1 AND status = 'cancelled'`, [
      aurora,
    ]);
    expect(cancelled).toEqual([{ status: 'cancelled', cancel_reason: 'Patient called: unwell' }]);

    // A no-show the evening before is refused, in the service's words.
    await page.getByRole('button', { name: /^07:00–07:30 TMS 3: / }).click();
    await dialog.getByRole('button', { name: 'No-show…' }).click();
    await dialog.getByRole('button', { name: 'Mark no-show' }).click();
    expect(await dialog.getByRole('alert').textContent()).toBe(
      'Not changed: No show too earlyA patient can be marked as a no-show only once the appointment has started.',
    );
    await screenshot(page, '03b-no-show-too-early');
    await page.keyboard.press('Escape');
    await page.close();
  });

  it('nurse: checks the patient in, records vitals and the dose, is refused discharge at 119 minutes and discharges at 120', async () => {
    expect(appointmentId).toBeDefined();
    const page = await open(at('08:50'));
    await setTime(page, '08:50');
    await signIn(page, 'nurse');
    expect(new URL(page.url()).pathname).toBe('/nurse');

    const arriving = page.getByRole('region', { name: /Arriving/ });
    await arriving.getByRole('button', { name: /Rivera, Dana/ }).click();
    const session = page.getByRole('region', { name: /Rivera, Dana/ });
    await session.getByRole('button', { name: 'Check in' }).click();
    await expect(session.getByTestId('session-status').filter({ hasText: 'Checked in' }).waitFor()).resolves.toBeUndefined();

    let readings = 0;
    async function recordVitals(timepoint: string, values: Record<string, string>, checks: RegExp[] = []) {
      const form = session.getByRole('form', { name: 'Record vitals' });
      await form.getByLabel('Timepoint').selectOption(timepoint);
      for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(value);
      for (const label of checks) await form.getByLabel(label).check();
      await form.getByRole('button', { name: 'Save vitals' }).click();
      readings++;
      // The header row plus one row per reading.
      await session.getByRole('table', { name: 'Vitals' }).getByRole('row').nth(readings).waitFor();
    }
    const normal = { Systolic: '124', Diastolic: '78', 'Heart rate': '72', 'SpO₂ %': '98', 'Resp. rate': '14' };
    await recordVitals('pre_dose', normal);
    await expectAccessible(page, 'chair-side');

    await setTime(page, '09:00');
    const dose = session.getByRole('form', { name: 'Spravato dose' });
    await dose.getByLabel(/56 mg/).check();
    await dose.getByLabel('Lot number').fill('EKX4471');
    await dose.getByRole('button', { name: 'Record dose' }).click();
    await session.getByTestId('session-status').filter({ hasText: 'Observing' }).waitFor();
    await session.getByText('56 mg, 2 devices at 09:00, 09:05 (lot EKX4471)').waitFor();
    // The observation board: the countdown to the earliest discharge (last device + 120 min).
    const board = page.getByRole('region', { name: 'Observation board' });
    await board.getByRole('row', { name: /Rivera, Dana/ }).waitFor();
    expect(await board.getByTestId('earliest-discharge').first().textContent()).toBe('11:05 (in 125 min)');

    await setTime(page, '09:40');
    await recordVitals('post_dose_40', normal);
    await setTime(page, '10:40');
    await recordVitals('discharge', { ...normal, 'Sedation (MOAA/S 0–5)': '5', 'Dissociation (CADSS)': '2' }, [/Dissociation resolved/]);
    await expect(session.getByRole('table', { name: 'Vitals' }).getByRole('row').count()).resolves.toBe(1 + 3);

    // 11:04 is 119 minutes after the last device (09:05): refused, with the service's reason.
    await setTime(page, '11:04');
    await board.getByTestId('earliest-discharge').filter({ hasText: '11:05 (in 1 min)' }).waitFor();
    const discharge = session.getByRole('form', { name: 'Discharge' });
    await discharge.getByLabel(/Ride home confirmed/).check();
    await discharge.getByRole('button', { name: 'Discharge' }).click();
    const refusal = discharge.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^Not discharged: Observation minimum/);
    expect(await refusal.textContent()).toContain('stay at least 120 minutes after the last device: not before 2027-08-02T11:05:00-06:00');
    await screenshot(page, '04-discharge-refused-at-119-min');
    await expectAccessible(page, 'chair-side with a refusal');
    const [before] = await service.dataSource.query('SELECT status FROM appointments WHERE id = $1', [appointmentId]);
    expect(before.status).toBe('observing');

    await setTime(page, '11:05');
    await discharge.getByRole('button', { name: 'Discharge' }).click();
    await session.getByTestId('session-status').filter({ hasText: 'Discharged' }).waitFor();
    await screenshot(page, '05-discharged-at-120-min');
    const [after] = await service.dataSource.query('SELECT status FROM appointments WHERE id = $1', [appointmentId]);
    expect(after.status).toBe('discharged');
    const steps = await service.dataSource.query('SELECT count(*)::int AS n FROM vitals WHERE appointment_id = $1', [appointmentId]);
    expect(steps[0].n).toBe(3);
    await page.close();
  });

  it('provider: submits the REMS Patient Monitoring Form of the session', async () => {
    expect(appointmentId).toBeDefined();
    const page = await open(at('13:00'));
    await setTime(page, '13:00');
    await signIn(page, 'provider');
    expect(new URL(page.url()).pathname).toBe('/provider');

    await page.getByRole('button', { name: 'Open form: Rivera, Dana' }).click();
    const form = page.getByRole('region', { name: /Patient Monitoring Form: Rivera, Dana/ });
    await form
      .getByRole('group', { name: /Respiratory depression/ })
      .getByLabel('No')
      .check();
    await form
      .getByRole('group', { name: /Serious adverse events/ })
      .getByLabel('No')
      .check();
    await form.getByLabel(/Ready to leave without the 2-hour minimum/).fill('10:45');
    await expectAccessible(page, 'REMS form');
    await form.getByRole('button', { name: 'Submit form' }).click();
    await form
      .getByRole('status')
      .filter({ hasText: /Submitted .* by Dr\. Priya Provider/ })
      .waitFor();
    await screenshot(page, '06-rems-form-submitted');
    const [stored] = await service.dataSource.query('SELECT submitted_at, submitted_by FROM rems_forms WHERE appointment_id = $1', [appointmentId]);
    expect(stored.submitted_at).not.toBeNull();
    expect(await page.getByText('No form is waiting.').count()).toBe(1);
    await page.close();
  });

  it('front desk: plans a TMS course as a dry run with its warnings, is refused in words while the payer limits say no, then books it', async () => {
    const ds = service.dataSource;
    const coursePatient = await createPatient(ds, { firstName: 'Casey', lastName: 'Morgan' });
    const frontDesk = await apiAs(service.url, 'front_desk');
    const page = await open(at('13:00'));
    await setTime(page, '13:00');
    await signIn(page, 'front_desk');
    await page.getByRole('link', { name: 'Course planner' }).click();

    const form = page.getByRole('form', { name: 'Plan a course' });
    await form.getByLabel('Search by name, phone or date of birth').fill('Morgan');
    await form.getByRole('button', { name: /Morgan, Casey/ }).click();
    await form.getByLabel('Protocol').selectOption('tms-standard');
    await form.getByLabel('First possible day').fill('2027-08-03');
    await form.getByLabel('Preferred time').selectOption('10:00');
    const plan = form.getByRole('button', { name: 'Plan (nothing is booked yet)' });
    const result = page.getByRole('region', { name: 'Planned sessions (not booked yet)' });
    const sessions = result.getByRole('table', { name: 'Sessions' });

    // No paperwork yet: a self-pay plan, with the warning the service gives.
    await plan.click();
    await sessions.getByRole('row').nth(36).waitFor();
    await result.getByText(/^Self-pay: no authorization on file for tms\./).waitFor();
    expect(await sessions.getByRole('row').count()).toBe(1 + 36);
    await expectAccessible(page, 'course planner');
    await screenshot(page, '08-course-planned');

    // An authorization that requires two failed trials, and none on file: refused, in the service's words.
    const authorization = await frontDesk.post(`/api/patients/${coursePatient}/authorizations`, {
      payer: 'Rocky Mountain Health Plans',
      treatment: 'tms',
      approvedSessions: 36,
      validFrom: '2027-07-01',
      validTo: '2027-12-31',
    });
    expect(authorization.status).toBe(201);
    await plan.click();
    const refusal = form.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      'Cannot plan this course: EligibilityThe course is refused: 0 failed adequate trials on file; the authorization requires 2. A provider or admin may book it with an override and a reason.',
    );
    expect(await sessions.count()).toBe(0);
    await screenshot(page, '09-course-refused');

    for (const medication of ['sertraline', 'bupropion']) {
      const trial = await frontDesk.post(`/api/patients/${coursePatient}/medication-trials`, {
        medication,
        drugClass: medication === 'sertraline' ? 'SSRI' : 'NDRI',
        startedOn: '2026-09-01',
        weeks: 8,
        adequate: true,
        outcome: 'no_response',
      });
      expect(trial.status).toBe(201);
    }
    await plan.click();
    await sessions.getByRole('row').nth(36).waitFor();
    const planned = await ds.query('SELECT count(*)::int AS n FROM appointments WHERE patient_id = $1', [coursePatient]);
    expect(planned[0].n).toBe(0);

    await result.getByRole('button', { name: 'Book all 36 sessions' }).click();
    await page
      .getByRole('region', { name: 'Course booked' })
      .getByRole('status')
      .filter({ hasText: '36 sessions booked, from Tuesday, 3 August 2027.' })
      .waitFor();
    await screenshot(page, '10-course-booked');
    const stored = await ds.query(
      `SELECT count(*)::int AS n, count(DISTINCT course_id)::int AS courses, min(starts_at) AS first FROM appointments WHERE patient_id = $1 AND status = 'scheduled'`,
      [coursePatient],
    );
    expect(stored[0]).toMatchObject({ n: 36, courses: 1 });
    expect(new Date(stored[0].first).toISOString()).toBe(new Date('2027-08-03T10:00:00-06:00').toISOString());
    await page.close();
  });

  it('admin: adds a closure the day board then shows, opens the clinic on Saturdays, and adds an Aurora-only nurse', async () => {
    const ds = service.dataSource;
    const page = await open(at('13:00'));
    await setTime(page, '13:00');
    await signIn(page, 'admin');
    expect(new URL(page.url()).pathname).toBe('/admin');

    const closures = page.getByRole('region', { name: /Closures and holidays/ });
    const addClosure = closures.getByRole('form', { name: 'Add a closure' });
    await addClosure.getByLabel('Closed on').fill('2027-08-09');
    await addClosure.getByLabel('Reason').fill('Staff training day');
    await addClosure.getByRole('button', { name: 'Add closure' }).click();
    await closures.getByText('Monday, 9 August 2027: Staff training day').waitFor();
    const [closure] = await ds.query(`SELECT reason FROM closures WHERE location_id = $1 AND date = '2027-08-09'`, [aurora]);
    expect(closure).toEqual({ reason: 'Staff training day' });

    const hours = page.getByRole('form', { name: 'Opening hours' });
    await hours.getByLabel('Open on Saturday').check();
    await hours.getByLabel('Saturday opens').fill('09:00');
    await hours.getByLabel('Saturday closes').fill('13:00');
    await hours.getByRole('button', { name: 'Save opening hours' }).click();
    await hours.getByRole('status').filter({ hasText: 'Opening hours saved.' }).waitFor();
    const saturday = await ds.query(
      `SELECT to_char(opens, 'HH24:MI') AS opens, to_char(closes, 'HH24:MI') AS closes FROM location_hours WHERE location_id = $1 AND weekday = 6`,
      [aurora],
    );
    expect(saturday).toEqual([{ opens: '09:00', closes: '13:00' }]);

    await expectAccessible(page, 'clinic settings');
    await screenshot(page, '11-clinic-settings');

    // Accounts are on the Staff screen (test/browser/access.browser-spec.ts tests it whole).
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Staff' }).click();
    const newStaff = page.getByRole('form', { name: 'Add a staff member' });
    await newStaff.getByLabel('Name').fill('Avery Nurse');
    await newStaff.getByLabel('Email').fill('avery.nurse@aurora.test');
    await newStaff.getByLabel('Role').selectOption('nurse');
    await newStaff.getByLabel(/^Temporary password/).fill('a-long-enough-passphrase');
    await newStaff.getByLabel('Aurora Clinic').check();
    await newStaff.getByRole('button', { name: 'Add staff member' }).click();
    await page.getByRole('row', { name: /Avery Nurse avery\.nurse@aurora\.test Nurse Aurora Clinic yes/ }).waitFor();
    const [avery] = await ds.query(
      `SELECT s.role, array_agg(l.code) AS clinics FROM staff s JOIN staff_locations sl ON sl.staff_id = s.id JOIN locations l ON l.id = sl.location_id WHERE s.email = 'avery.nurse@aurora.test' GROUP BY s.role`,
    );
    expect(avery).toEqual({ role: 'nurse', clinics: ['aurora'] });

    // The closure on the day board.
    await page.getByRole('link', { name: 'Day board' }).click();
    await page.getByRole('heading', { name: /^Day board/ }).waitFor();
    await page.getByLabel('Day', { exact: true }).fill('2027-08-09');
    await page.getByRole('status').filter({ hasText: 'Closed: Staff training day' }).waitFor();
    expect(await page.locator('.schedule').count()).toBe(0);
    await page.close();
  });

  it('admin: reads the reports as charts with their numbers one click away', async () => {
    // Its own history at Westminster, so that it stands without the steps before it: a Spravato session on
    // DAY whose REMS form, due a week later, was submitted the next day.
    const ds = service.dataSource;
    const [chair] = await resourceIds(ds, 'westminster', 'treatment_chair');
    const [{ id: provider }] = await ds.query(`SELECT id FROM staff WHERE email = 'provider@demo.clinic'`);
    const sessionId = await insertAppointment(ds, {
      patientId: await createPatient(ds, { firstName: 'Robin', lastName: 'Report' }),
      locationId: await locationId(ds, 'westminster'),
      type: 'spravato',
      status: 'discharged',
      segments: [{ resourceId: chair, startsAt: at('15:00'), endsAt: at('17:30') }],
    });
    await insertRemsForm(ds, { appointmentId: sessionId, dueAt: '2027-08-09T15:15:00-06:00', submittedAt: '2027-08-03T10:00:00-06:00', submittedBy: provider });

    const page = await open(at('13:00'));
    await setTime(page, '13:00');
    await signIn(page, 'admin');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Reports' }).click();
    expect(new URL(page.url()).pathname).toBe('/reports');
    await page.getByRole('group', { name: 'Clinic and day' }).locator('select').selectOption('westminster');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('2027-07-26');
    await page.getByRole('textbox', { name: 'To', exact: true }).fill('2027-08-13');

    for (const chart of [
      /^Heatmap of Chairs utilization/,
      /weekly no-show and late-cancellation rates/,
      /response, remission and stopped rates/,
      /REMS forms on time/,
    ]) {
      await page.getByRole('img', { name: chart }).waitFor();
    }
    // The REMS form falls due a week after the dose and was submitted in time.
    const rems = page.getByRole('region', { name: /REMS monitoring forms/ });
    await rems.getByRole('button', { name: 'Show the numbers' }).click();
    const week = rems.getByRole('row', { name: /Monday, 9 August 2027/ });
    await week.waitFor();
    expect(await week.getByRole('cell').allTextContents()).toEqual(['1', '1', '0', '0', '0']);
    const utilization = page.getByRole('region', { name: /Utilization by weekday and hour/ });
    await utilization.getByRole('button', { name: 'Show the numbers' }).click();
    await utilization.getByRole('table', { name: /Chairs: share of open minutes booked/ }).waitFor();
    await expectAccessible(page, 'reports');
    await screenshot(page, '09-reports');
    await page.close();
  });

  it('ends an idle session after 15 minutes and says so on the sign-in page', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.clock.install({ time: new Date(at('13:00')) });
    await page.goto(service.url);
    await signIn(page, 'front_desk');
    await page.clock.runFor(14 * 60_000);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    await page.clock.runFor(60_000 + 1000);
    await page.getByText('You were signed out after 15 minutes without activity.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await screenshot(page, '12-signed-out-idle');
    await page.close();
  });
});
