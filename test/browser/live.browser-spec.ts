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

  it('front desk: confirmation on each block (updated live), a move refused in words then made, a no-show with its reason, the worklist beside the board, a holiday shown closed', async () => {
    const ds = service.dataSource;
    const frontDesk = await apiAs(service.url, 'front_desk');
    const devices = await resourceIds(ds, 'aurora', 'tms_device');
    const book = async (firstName: string, lastName: string, time: string, resourceId: string) => {
      const patientId = await createPatient(ds, { firstName, lastName });
      const booked = await frontDesk.post('/api/appointments', { patientId, type: 'tms', locationId: aurora, startsAt: at(time), resourceId });
      if (booked.status !== 201) throw new Error(`booking ${lastName}: ${booked.status} ${JSON.stringify(booked.body)}`);
      return { id: booked.body.id as string, patientId };
    };
    const chen = await book('Avery', 'Chen', '10:00', devices[0]);
    await book('Blake', 'Diaz', '11:00', devices[0]);
    const evans = await book('Cory', 'Evans', '09:00', devices[1]);
    const [item] = await ds.query(
      `INSERT INTO worklist_items (kind, location_id, patient_id, detail) VALUES ('unmatched-reply', $1, $2, 'A reply that fits nothing: "see you soon"') RETURNING id`,
      [aurora, chen.patientId],
    );

    service.setNow(at('09:10'));
    const page = await open(desk, at('09:10'));
    await signIn(page, 'front_desk');
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const chenBlock = page.getByRole('button', { name: /Chen, Avery TMS, Scheduled/ });
    await chenBlock.filter({ hasText: 'not confirmed yet' }).waitFor();

    // The patient confirms by text (here, straight in the database): the block says so by itself.
    await ds.query('UPDATE appointments SET confirmed_at = now() WHERE id = $1', [chen.id]);
    await page.getByRole('button', { name: /Chen, Avery TMS, Scheduled, confirmed/ }).waitFor(LIVE);

    // The worklist beside the board.
    const worklist = page.getByRole('region', { name: /Worklist/ });
    const entry = worklist.getByRole('listitem').filter({ hasText: 'see you soon' });
    await entry.waitFor();
    await expect(entry.textContent()).resolves.toContain('Unmatched reply: Chen, Avery');
    await expectAccessible(page, 'day board with worklist');
    await screenshot(page, 'live-03-day-board-worklist');

    // A move to a Sunday (closed) is refused in the rule's words; a free time moves the block.
    await chenBlock.click();
    let dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Reschedule…' }).click();
    await dialog.getByLabel('Day').fill('2027-08-08');
    await dialog.getByRole('button', { name: 'Move appointment' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toMatch(/^Not changed: /);
    await expectAccessible(page, 'reschedule refused');
    await screenshot(page, 'live-04-reschedule-refused');
    await dialog.getByLabel('Day').fill(DAY);
    await dialog.getByLabel('Start').selectOption('12:00');
    await dialog.getByRole('button', { name: 'Move appointment' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /^12:00–.*Chen, Avery TMS, Scheduled/ }).waitFor();

    // A no-show, with the reason the front desk gives.
    await page.getByRole('button', { name: /Evans, Cory TMS, Scheduled/ }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'No-show…' }).click();
    await dialog.getByLabel('Reason (optional, no diagnosis)').fill('No answer on two calls');
    await dialog.getByRole('button', { name: 'Mark no-show' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('region', { name: 'Cancelled and no-shows' })
      .getByText(/Evans, Cory · No-show \(No answer on two calls\)/)
      .waitFor();
    const [stored] = await ds.query('SELECT status, cancel_reason FROM appointments WHERE id = $1', [evans.id]);
    expect(stored).toEqual({ status: 'no_show', cancel_reason: 'No answer on two calls' });

    // Marked done with a note: it leaves the list, and the service keeps the note.
    await entry.getByRole('button', { name: 'Mark done…' }).click();
    await entry.getByLabel('What was done (no patient names)').fill('Called back; nothing needed');
    await entry.getByRole('button', { name: 'Mark done', exact: true }).click();
    await entry.waitFor({ state: 'detached' });
    const [done] = await ds.query('SELECT done_at IS NOT NULL AS done, resolution FROM worklist_items WHERE id = $1', [item.id]);
    expect(done).toEqual({ done: true, resolution: 'Called back; nothing needed' });

    // Labor Day: a public holiday the clinic does not open on, closed without an admin adding it.
    await page.evaluate(`history.pushState(null, '', '/front-desk?date=2027-09-06'); dispatchEvent(new PopStateEvent('popstate'))`);
    await page.getByText('Closed: Labor Day (public holiday)').waitFor();
    await expect(page.getByRole('button', { name: 'Book appointment…' }).count()).resolves.toBe(0);
  });

  it('front desk: drags a block to a free slot with the pointer (another kind of resource takes no drop; a click still opens the dialog)', async () => {
    const ds = service.dataSource;
    const devices = await resourceIds(ds, 'aurora', 'tms_device');
    const patientId = await createPatient(ds, { firstName: 'Drew', lastName: 'Fox' });
    const frontDesk = await apiAs(service.url, 'front_desk');
    const booked = await frontDesk.post('/api/appointments', { patientId, type: 'tms', locationId: aurora, startsAt: at('14:00'), resourceId: devices[2] });
    expect(booked.status).toBe(201);

    service.setNow(at('09:10'));
    const page = await open(desk, at('09:10'));
    await signIn(page, 'front_desk');
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const block = page.getByRole('button', { name: /^14:00–14:30 .*Fox, Drew TMS, Scheduled/ });

    const patches: string[] = [];
    page.on('request', (request) => void (request.method() === 'PATCH' && patches.push(request.url())));
    const chairSlot = page.locator(`.free-slot[data-resource-id="${chairs[0]}"][data-time="15:00"]`);
    const deviceSlot = page.locator(`.free-slot[data-resource-id="${devices[1]}"][data-time="15:00"]`);

    // Pressed on the block and moved: a drag. Over a chair's free slot (no TMS there) nothing is offered;
    // over a free TMS device's slot, the slot is offered; released there, the block moves.
    await block.hover();
    await page.mouse.down();
    await chairSlot.hover();
    await page.locator('.block.dragging').waitFor();
    expect(await page.locator('.free-slot.drop-target').count()).toBe(0);
    await deviceSlot.hover();
    await page.locator('.free-slot.drop-target').waitFor();
    expect(await page.locator('.free-slot.drop-target').getAttribute('data-resource-id')).toBe(devices[1]);
    await page.mouse.up();
    const moved = page.getByRole('button', { name: /^15:00–15:30 .*Fox, Drew TMS, Scheduled/ });
    await moved.waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^Moved: 15:00/ })
      .waitFor();
    expect(patches).toHaveLength(1);
    // The press that ended the drag opened nothing.
    expect(await page.getByRole('dialog').count()).toBe(0);
    const [stored] = await ds.query('SELECT starts_at, resource_id FROM appointments WHERE id = $1', [booked.body.id]);
    expect({ startsAt: stored.starts_at.toISOString(), resourceId: stored.resource_id }).toEqual({
      startsAt: new Date(at('15:00')).toISOString(),
      resourceId: devices[1],
    });
    await expectAccessible(page, 'day board after a drag');

    // A plain click is still a press: the dialog, the keyboard's way to move it.
    await moved.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reschedule…' }).waitFor();
  });

  it('front desk: replans a TMS course from session 5 at a new time, previewed first, then moved', async () => {
    const ds = service.dataSource;
    const patientId = await createPatient(ds, { firstName: 'Jordan', lastName: 'Price' });
    const frontDesk = await apiAs(service.url, 'front_desk');
    const course = await frontDesk.post('/api/courses', {
      patientId,
      protocol: 'tms-standard',
      locationId: aurora,
      startDate: '2027-08-10',
      preferredTime: '10:00',
    });
    expect(course.status).toBe(201);

    const page = await open(desk, at('09:10'));
    await signIn(page, 'front_desk');
    await page.getByRole('link', { name: 'Course planner' }).click();
    const form = page.getByRole('form', { name: 'Replan from a session on' });
    await form.getByLabel('Search by name, phone or date of birth').fill('Price');
    await form.getByRole('button', { name: /Price, Jordan/ }).click();
    await form.getByLabel('Course').selectOption({ index: 1 });
    await form.getByLabel('From session').selectOption('5');
    await form.getByLabel('New time').selectOption('14:00');
    await form.getByRole('button', { name: 'Preview the replan (nothing moves yet)' }).click();

    const preview = page.getByRole('region', { name: 'Sessions from 5 on, as they would be (not moved yet)' });
    const rows = preview.getByRole('table', { name: 'Replanned sessions' }).getByRole('row');
    await rows.nth(1).waitFor();
    await expect(rows.nth(1).textContent()).resolves.toMatch(/^5.*14:00/);
    const [before] = await ds.query(
      `SELECT count(*)::int AS n FROM appointments WHERE course_id = $1 AND sequence >= 5 AND to_char(starts_at AT TIME ZONE 'America/Denver', 'HH24:MI') = '14:00'`,
      [course.body.id],
    );
    expect(before.n).toBe(0);
    await expectAccessible(page, 'course replan preview');
    await screenshot(page, 'live-05-replan-preview');

    await preview.getByRole('button', { name: 'Move sessions 5 on as shown' }).click();
    await page.getByRole('region', { name: 'Course replanned' }).getByRole('status').waitFor();
    const [after] = await ds.query(
      `SELECT count(*) FILTER (WHERE sequence >= 5 AND to_char(starts_at AT TIME ZONE 'America/Denver', 'HH24:MI') = '14:00')::int AS moved,
              count(*) FILTER (WHERE sequence < 5 AND to_char(starts_at AT TIME ZONE 'America/Denver', 'HH24:MI') = '10:00')::int AS kept
         FROM appointments WHERE course_id = $1 AND status = 'scheduled'`,
      [course.body.id],
    );
    expect(after).toEqual({ moved: course.body.sessions.length - 4, kept: 4 });
    await screenshot(page, 'live-06-replanned');
  });
});
