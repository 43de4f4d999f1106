import { Page } from 'playwright-core';
import { createPatient, locationId, resourceIds, staffClinic } from '../support/factories';
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
const DAY = '2027-08-16';
const at = (time: string, date = DAY) => `${date}T${time}:00-06:00`;
/** How soon a change made in one console must show in another: a behaviour bound (the safety-net poll is 60 s). */
const LIVE = { timeout: 2000 };

/**
 * The provider's desk: a nurse at the chair records a pre-dose BP above 140/90 and is refused the dose;
 * the provider, on the REMS desk in another browser, sees the session waiting without a reload and
 * clears it with the reason; the nurse then records the dose. The form it opens is pending on the desk,
 * and marked overdue once its 7 days have passed.
 */
describe('staff console, provider', () => {
  let service: ConsoleService;
  let floor: Awaited<ReturnType<typeof launchChromium>>;
  let office: Awaited<ReturnType<typeof launchChromium>>;
  let aurora: string;
  let appointmentId: string;
  const opened: WatchedPage[] = [];

  async function open(browser: typeof floor, now: string): Promise<Page> {
    const watched = await openConsole(browser.context, service.url, now);
    opened.push(watched);
    return watched.page;
  }

  beforeAll(async () => {
    service = await startConsoleService(at('08:40'));
    const ds = service.dataSource;
    await staffClinic(ds, 'aurora', [DAY]);
    aurora = await locationId(ds, 'aurora');
    const [chair] = await resourceIds(ds, 'aurora', 'treatment_chair');
    const patientId = await createPatient(ds, { firstName: 'Avery', lastName: 'Lindqvist' });
    const frontDesk = await apiAs(service.url, 'front_desk');
    const booked = await frontDesk.post('/api/appointments', { patientId, type: 'spravato', locationId: aurora, startsAt: at('09:00'), resourceId: chair });
    if (booked.status !== 201) throw new Error(`booking: ${booked.status} ${JSON.stringify(booked.body)}`);
    appointmentId = (booked.body as { id: string }).id;
    [floor, office] = [await launchChromium(), await launchChromium()];
  }, 180_000);

  afterEach(() => {
    for (const watched of opened) expect(watched.problems).toEqual([]);
  });

  afterAll(async () => {
    await floor?.close();
    await office?.close();
    await service?.stop();
  });

  it('a high pre-dose BP waits on the provider, who clears it with the reason; the nurse then records the dose', async () => {
    const desk = await open(office, at('08:40'));
    await signIn(desk, 'provider');
    expect(new URL(desk.url()).pathname).toBe('/provider');
    await desk.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const waiting = desk.getByRole('region', { name: /Dosing clearances waiting/ });
    await waiting.getByText('No session is waiting for a clearance.').waitFor();

    service.setNow(at('08:50'));
    const chairSide = await open(floor, at('08:50'));
    await signIn(chairSide, 'nurse');
    await chairSide
      .getByRole('region', { name: /Arriving/ })
      .getByRole('button', { name: /Lindqvist, Avery/ })
      .click();
    const session = chairSide.getByRole('region', { name: /Lindqvist, Avery/ });
    await session.getByRole('button', { name: 'Check in' }).click();
    await session.getByTestId('session-status').filter({ hasText: 'Checked in' }).waitFor();
    const vitals = session.getByRole('form', { name: 'Record vitals' });
    await vitals.getByLabel('Timepoint').selectOption('pre_dose');
    for (const [label, value] of Object.entries({ Systolic: '152', Diastolic: '94', 'Heart rate': '80', 'SpO₂ %': '98', 'Resp. rate': '14' })) {
      await vitals.getByLabel(label, { exact: true }).fill(value);
    }
    await vitals.getByRole('button', { name: 'Save vitals' }).click();
    await session.getByRole('table', { name: 'Vitals' }).getByRole('row').nth(1).waitFor();

    const dose = session.getByRole('form', { name: 'Spravato dose' });
    await dose.getByLabel(/56 mg/).check();
    await dose.getByLabel('Lot number').fill('EKX4471');
    await dose.getByRole('button', { name: 'Record dose' }).click();
    const refusal = dose.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("152/94, above 140/90: a provider's dosing clearance is needed first");

    // The provider's list follows the nurse's reading by itself.
    const entry = waiting.getByRole('listitem', { name: 'Lindqvist, Avery' });
    await entry.waitFor(LIVE);
    expect(await entry.textContent()).toContain('Pre-dose BP 152/94');
    expect(await entry.textContent()).toMatch(/09:00 · .+ · Checked in/);
    await screenshot(desk, '20-provider-clearance-waiting');
    await expectAccessible(desk, 'REMS desk with a clearance waiting');

    await entry.getByRole('button', { name: 'Clear dosing: Lindqvist, Avery' }).click();
    const form = entry.getByRole('form', { name: 'Clear dosing: Lindqvist, Avery' });
    await form.getByLabel(/Why dosing may go ahead/).fill('White-coat pattern on prior visits; asymptomatic; repeat trending down');
    await expectAccessible(desk, 'clearance form');
    await form.getByRole('button', { name: 'Clear dosing' }).click();
    await waiting.getByText('No session is waiting for a clearance.').waitFor();
    const [clearance] = await service.dataSource.query('SELECT reason, cleared_by FROM dosing_clearances WHERE appointment_id = $1', [appointmentId]);
    expect(clearance.reason).toBe('White-coat pattern on prior visits; asymptomatic; repeat trending down');
    expect(clearance.cleared_by).not.toBeNull();

    await dose.getByRole('button', { name: 'Record dose' }).click();
    await session.getByTestId('session-status').filter({ hasText: 'Observing' }).waitFor();
    expect(await dose.getByRole('alert').count()).toBe(0);
    const [stored] = await service.dataSource.query('SELECT status FROM appointments WHERE id = $1', [appointmentId]);
    expect(stored.status).toBe('observing');
  });

  it('lists the form the dose opened as pending, then overdue once its 7 days have passed', async () => {
    const desk = await open(office, at('10:00'));
    await signIn(desk, 'provider');
    const pending = desk.getByRole('region', { name: 'Patient Monitoring Forms to submit' });
    const row = pending.getByRole('row', { name: /Lindqvist, Avery/ });
    await row.waitFor();
    expect(await row.textContent()).not.toContain('Overdue');

    const later = at('10:00', '2027-08-24');
    service.setNow(later);
    await desk.clock.setFixedTime(new Date(later));
    await desk.reload();
    await row.filter({ hasText: 'Overdue' }).waitFor();
    await expectAccessible(desk, 'REMS desk with an overdue form');
  });
});
