// The README's two console pictures, made by the browser-test harness against the built service:
//   npm run console:screenshots   (npm run build && node dist/scripts/console-screenshots.js)
// Front desk on the day board of a busy (made-up) day at Aurora, 1280x800, and a nurse chair-side on a
// 1024x768 tablet, written to docs/images/day-board.png and docs/images/nurse.png (each at most 200 KB).
// It starts its own embedded PostgreSQL (or uses DATABASE_URL's server) as `npm test` does.
/// <reference types="jest" />
// (The test helpers it reuses declare jest hooks in functions this script never calls.)
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPatient, locationId, staffClinic } from '../test/support/factories';
import { apiAs, launchChromium, openConsole, signIn, startConsoleService } from '../test/browser/support/console-harness';

const DAY = '2027-08-02';
const at = (time: string) => `${DAY}T${time}:00-06:00`;
const ROOT = join(__dirname, '..', '..');
const IMAGES = join(ROOT, 'docs', 'images');
const MAX_BYTES = 200 * 1024;

const NAMES = [
  ['Alex', 'Moreno'],
  ['Blair', 'Okafor'],
  ['Casey', 'Lindqvist'],
  ['Devon', 'Nakamura'],
  ['Emery', 'Castillo'],
  ['Finley', 'Haddad'],
  ['Gray', 'Petrov'],
  ['Harper', 'Quinn'],
  ['Indigo', 'Reyes'],
  ['Jordan', 'Sato'],
  ['Kai', 'Thompson'],
  ['Logan', 'Umeh'],
  ['Morgan', 'Varga'],
  ['Noa', 'Whitfield'],
  ['Oakley', 'Yilmaz'],
  ['Parker', 'Zhou'],
];

/** The day's bookings: [type, local start]; the service picks the resource. */
const BOOKINGS: Array<[string, string]> = [
  ['spravato', '08:00'],
  ['ketamine', '08:00'],
  ['tms', '08:00'],
  ['tms', '08:30'],
  ['spravato', '09:00'],
  ['tms', '09:00'],
  ['ketamine', '10:00'],
  ['tms', '10:00'],
  ['spravato', '11:00'],
  ['tms', '11:30'],
  ['follow_up', '13:00'],
  ['ketamine', '13:00'],
  ['spravato', '13:30'],
  ['tms', '14:00'],
  ['intake', '15:00'],
  ['tms', '15:30'],
];

async function main(): Promise<void> {
  const support = (file: string) => pathToFileURL(join(ROOT, 'test', 'support', file)).href;
  const { default: globalSetup } = (await import(support('global-setup.mjs'))) as { default: () => Promise<void> };
  const { default: globalTeardown } = (await import(support('global-teardown.mjs'))) as { default: () => Promise<void> };
  await globalSetup();
  const service = await startConsoleService(at('06:30'));
  const browser = await launchChromium();
  try {
    const ds = service.dataSource;
    await staffClinic(ds, 'aurora', [DAY], 2);
    const aurora = await locationId(ds, 'aurora');
    const frontDesk = await apiAs(service.url, 'front_desk');
    const booked: string[] = [];
    for (const [i, [type, time]] of BOOKINGS.entries()) {
      const [firstName, lastName] = NAMES[i % NAMES.length];
      const patientId = await createPatient(ds, { firstName, lastName });
      const result = await frontDesk.post('/api/appointments', { patientId, type, locationId: aurora, startsAt: at(time) });
      if (result.status !== 201) throw new Error(`booking ${type} at ${time}: ${result.status} ${JSON.stringify(result.body)}`);
      booked.push(result.body.id);
    }
    // The morning under way: the first three checked in, two of them started.
    service.setNow(at('09:40'));
    const nurse = await apiAs(service.url, 'nurse');
    for (const id of booked.slice(0, 3)) await nurse.post(`/api/appointments/${id}/check-in`, {});
    for (const id of booked.slice(1, 3)) await nurse.post(`/api/appointments/${id}/start`, {});

    await shoot(browser.context, service.url, 'front_desk', '/front-desk', { width: 1280, height: 800 }, 'day-board.png', 'Day board');
    await shoot(browser.context, service.url, 'nurse', '/nurse', { width: 1024, height: 768 }, 'nurse.png', 'Chair-side');
  } finally {
    await browser.close();
    await service.stop();
    await globalTeardown();
  }
}

async function shoot(
  context: Awaited<ReturnType<typeof launchChromium>>['context'],
  url: string,
  role: 'front_desk' | 'nurse',
  path: string,
  viewport: { width: number; height: number },
  file: string,
  heading: string,
): Promise<void> {
  const { page } = await openConsole(context, url, at('09:40'));
  await page.setViewportSize(viewport);
  await signIn(page, role);
  await page.goto(`${url}${path}?clinic=aurora`);
  await page.getByRole('heading', { name: new RegExp(`^${heading}`) }).waitFor();
  // The board holds its clinic's event stream open, so the network never idles: wait for the stream instead.
  await page.getByText('Live', { exact: true }).waitFor();
  await page.getByText('Loading patient…').first().waitFor({ state: 'detached' });
  const target = join(IMAGES, file);
  await page.screenshot({ path: target, fullPage: false });
  const bytes = statSync(target).size;
  console.log(`${target}: ${(bytes / 1024).toFixed(0)} KB`);
  if (bytes > MAX_BYTES) throw new Error(`${file} is ${bytes} bytes, more than ${MAX_BYTES}: use a smaller viewport`);
  await page.close();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
