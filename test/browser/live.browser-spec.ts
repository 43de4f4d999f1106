import { Page } from 'playwright-core';
import { createPatient, locationId, resourceIds, staffClinic } from '../support/factories';
import {
  apiAs,
  ConsoleService,
  launchChromium,
  openConsole,
  screenshot,
  seriousAxeViolations,
  signIn,
  startConsoleService,
  WatchedPage,
} from './support/console-harness';

/** A Monday past the demo roster (MDT, -06:00): only the staff this test puts on shift work that day. */
const DAY = '2027-08-09';
const at = (time: string) => `${DAY}T${time}:00-06:00`;
/** How soon a change made in one console must show in another: a behaviour bound (the safety-net poll is 60 s). */
const LIVE = { timeout: 2000 };

/**
 * The live console: two browsers (two people at two desks), each signed in on its own; what one does
 * shows in the other's board without a reload. Then the day board's remaining actions, the worklist,
 * the course replan and the provider's clearances.
 */
describe('staff console, live', () => {
  let service: ConsoleService;
  let desk: Awaited<ReturnType<typeof launchChromium>>;
  let floor: Awaited<ReturnType<typeof launchChromium>>;
  let aurora: string;
  let chairs: string[];
  const opened: WatchedPage[] = [];

  async function open(browser: typeof desk, now: string): Promise<Page> {
    const watched = await openConsole(browser.context, service.url, now);
    opened.push(watched);
    return watched.page;
  }

  async function expectAccessible(page: Page, screen: string): Promise<void> {
    const violations = await seriousAxeViolations(page);
    if (violations.length) console.log(screen, JSON.stringify(violations, null, 1));
    expect({ screen, violations }).toEqual({ screen, violations: [] });
  }

  beforeAll(async () => {
    service = await startConsoleService(at('08:40'));
    const ds = service.dataSource;
    await staffClinic(ds, 'aurora', [DAY]);
    aurora = await locationId(ds, 'aurora');
    chairs = await resourceIds(ds, 'aurora', 'treatment_chair');
    [desk, floor] = [await launchChromium(), await launchChromium()];
  }, 180_000);

  afterEach(() => {
    for (const watched of opened) expect(watched.problems).toEqual([]);
  });

  afterAll(async () => {
    await desk?.close();
    await floor?.close();
    await service?.stop();
  });

  it("a booking made at the front desk shows on the nurse's chair-side, and the nurse's check-in on the front desk's day board, within 2 s", async () => {
    const patientId = await createPatient(service.dataSource, { firstName: 'Lee', lastName: 'Okafor' });
    const deskPage = await open(desk, at('08:40'));
    await signIn(deskPage, 'front_desk');
    await deskPage.getByRole('status').filter({ hasText: 'Live' }).waitFor();

    const floorPage = await open(floor, at('08:40'));
    await signIn(floorPage, 'nurse');
    await floorPage.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const arriving = floorPage.getByRole('region', { name: /Arriving/ });
    await expect(arriving.getByRole('button', { name: /Okafor, Lee/ }).count()).resolves.toBe(0);

    // The front desk books (through the API, as the booking dialog does): the nurse's list shows it.
    const frontDesk = await apiAs(service.url, 'front_desk');
    const booked = await frontDesk.post('/api/appointments', { patientId, type: 'spravato', locationId: aurora, startsAt: at('09:00'), resourceId: chairs[0] });
    expect(booked.status).toBe(201);
    await arriving.getByRole('button', { name: /Okafor, Lee/ }).waitFor(LIVE);
    await deskPage.getByRole('button', { name: /Okafor, Lee Spravato, Scheduled/ }).waitFor(LIVE);

    // The nurse checks the patient in, in their browser: the front desk's board says so.
    await arriving.getByRole('button', { name: /Okafor, Lee/ }).click();
    const session = floorPage.getByRole('region', { name: /Okafor, Lee/ });
    await session.getByRole('button', { name: 'Check in' }).click();
    await deskPage.getByRole('button', { name: /Okafor, Lee Spravato, Checked in/ }).waitFor(LIVE);
    await screenshot(deskPage, 'live-01-day-board-after-check-in');
    await screenshot(floorPage, 'live-02-chair-side-after-booking');
  });
});
