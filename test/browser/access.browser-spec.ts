import { Page, Request } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { createPatient, locationId, resourceIds } from '../support/factories';
import { insertAppointment } from '../support/history';
import {
  apiAs,
  apiAsAccount,
  ConsoleService,
  launchChromium,
  openConsole,
  screenshot,
  signIn,
  signInWith,
  startConsoleService,
  WatchedPage,
  expectAccessible,
} from './support/console-harness';

/** A Monday past the demo roster (MDT, -06:00). */
const DAY = '2027-08-02';
const at = (time: string) => `${DAY}T${time}:00-06:00`;
const PASSWORD = 'copper-lantern-meadow-71';
/** Two clinics in a staff row, in either order. */
const BOTH = '(Aurora Clinic, Westminster Clinic|Westminster Clinic, Aurora Clinic)';

/**
 * Accounts in the console (api.md v2 "Accounts and sessions"): the session survives a reload through the
 * refresh cookie and ends with Sign out; two-step sign-in is set up and then asked for; an Aurora-only
 * nurse is offered and shown only Aurora; an administrator's change to someone reaches that person's
 * open console on its next request.
 */
describe('staff console: accounts, sessions and clinic scoping', () => {
  let service: ConsoleService;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let aurora: string;
  let westminster: string;
  const opened: WatchedPage[] = [];

  async function open(context = browser.context): Promise<Page> {
    const watched = await openConsole(context, service.url, at('09:00'));
    opened.push(watched);
    return watched.page;
  }

  /** An account made by the admin through the API (a password meeting the policy). */
  async function createAccount(email: string, role: string, locationIds: string[]): Promise<string> {
    const admin = await apiAs(service.url, 'admin');
    const created = await admin.post('/api/staff', { name: email.split('@')[0].replace('.', ' '), email, role, locationIds, password: PASSWORD });
    if (created.status !== 201) throw new Error(`creating ${email}: ${created.status} ${JSON.stringify(created.body)}`);
    return created.body.id;
  }

  /** The bearer token of every API request the page sends, in order. */
  function watchTokens(page: Page): string[] {
    const tokens: string[] = [];
    page.on('request', (request: Request) => {
      const header = request.headers()['authorization'];
      if (header?.startsWith('Bearer ')) tokens.push(header.slice(7));
    });
    return tokens;
  }

  beforeAll(async () => {
    service = await startConsoleService(at('09:00'));
    aurora = await locationId(service.dataSource, 'aurora');
    westminster = await locationId(service.dataSource, 'westminster');
    browser = await launchChromium();
  }, 180_000);

  afterEach(() => {
    for (const watched of opened) expect(watched.problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('keeps the session over a reload (the refresh cookie), refreshes a refused token once, and Sign out ends it at the service', async () => {
    const page = await open();
    const tokens = watchTokens(page);
    await signIn(page, 'front_desk');
    await page.getByRole('heading', { name: /^Day board/ }).waitFor();

    await page.reload();
    await page.getByRole('heading', { name: /^Day board/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/front-desk');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    // Still nothing in storage a script could read: the refresh cookie is httpOnly.
    const storage = await page.evaluate('({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie })');
    expect(storage).toEqual({ local: {}, session: {}, cookie: '' });
    await screenshot(page, 'access-01-reloaded');

    // A request the service refuses with 401 (here: its token garbled on the way) is refreshed once and
    // retried; the board still loads and the session goes on.
    let garbled = 0;
    await page.route(
      (url) => url.pathname === '/api/appointments',
      async (route) => {
        if (garbled++ > 0) return route.fallback();
        await route.fallback({ headers: { ...route.request().headers(), authorization: 'Bearer aaaa.bbbb.cccc' } });
      },
    );
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh') && r.status() === 200);
    await page.getByRole('button', { name: 'Next day' }).click();
    await refreshed;
    await page.getByText('Tuesday, 3 August 2027').first().waitFor();
    expect(garbled).toBeGreaterThanOrEqual(2);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    await page.unrouteAll();

    const copied = tokens[tokens.length - 1];
    expect((await fetch(`${service.url}/api/auth/me`, { headers: { authorization: `Bearer ${copied}` } })).status).toBe(200);
    const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/auth/logout'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await loggedOut).status()).toBe(204);
    await page.getByText('You have signed out.').waitFor();
    expect((await fetch(`${service.url}/api/auth/me`, { headers: { authorization: `Bearer ${copied}` } })).status).toBe(401);
    // And a reload does not bring it back.
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });

  it('sets up two-step sign-in on the Security page (QR code and key), then asks for the code at sign-in', async () => {
    const email = 'tess.twostep@aurora.test';
    await createAccount(email, 'nurse', [aurora]);
    const page = await open();
    await signInWith(page, email, PASSWORD);
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Security' }).waitFor();

    // The password form names the refused field in words.
    const passwordForm = page.getByRole('form', { name: 'Change password' });
    await passwordForm.getByLabel('Current password').fill(PASSWORD);
    await passwordForm.getByLabel('New password', { exact: true }).fill('password1234');
    await passwordForm.getByLabel('New password again').fill('password1234');
    await passwordForm.getByRole('button', { name: 'Change password' }).click();
    await passwordForm.getByText(/^New password (is a common or breached password|is too easy to guess)/).waitFor();

    await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (await page.locator('.secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
    await expectAccessible(page, 'security: two-step set-up');
    await screenshot(page, 'access-02-two-step-setup');
    const confirmForm = page.getByRole('form', { name: 'Confirm two-step sign-in' });
    await confirmForm.getByLabel('One-time code from the app').fill('000000' === totp.generate() ? '111111' : '000000');
    await confirmForm.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await confirmForm.getByText('The one-time code is not the current code of the authenticator app').waitFor();
    await confirmForm.getByLabel('One-time code from the app').fill(totp.generate());
    await confirmForm.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByText('Two-step sign-in is on').waitFor();
    const [row] = await service.dataSource.query(`SELECT mfa_enabled_at IS NOT NULL AS on FROM staff WHERE email = $1`, [email]);
    expect(row).toEqual({ on: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByLabel('One-time code from your authenticator app');
    await code.waitFor();
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    await expectAccessible(page, 'sign-in: one-time code');
    await screenshot(page, 'access-03-one-time-code');
    // The next step's code: the one used to turn it on is never accepted twice.
    await code.fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/nurse');
    await page.close();
  });

  it('an Aurora-only nurse is offered only Aurora, and pointed at Westminster sees "not your clinic", never its patients', async () => {
    const email = 'avery.aurora@aurora.test';
    await createAccount(email, 'nurse', [aurora]);
    const ds = service.dataSource;
    const [chair] = await resourceIds(ds, 'westminster', 'treatment_chair');
    await insertAppointment(ds, {
      patientId: await createPatient(ds, { firstName: 'Wendell', lastName: 'Westside', preferredLocation: 'westminster' }),
      locationId: westminster,
      type: 'ketamine',
      status: 'scheduled',
      segments: [{ resourceId: chair, startsAt: at('10:00'), endsAt: at('11:45') }],
    });

    const page = await open();
    const westminsterRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes(westminster)) westminsterRequests.push(request.url());
    });
    await signInWith(page, email, PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/nurse');
    const picker = page.getByRole('group', { name: 'Clinic and day' }).getByLabel('Clinic');
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual(['Aurora Clinic']);

    for (const path of ['/nurse', '/front-desk']) {
      await page.goto(`${service.url}${path}?clinic=westminster&date=${DAY}`);
      await page.getByRole('heading', { name: 'Not your clinic' }).waitFor();
      await page.getByRole('alert').filter({ hasText: 'You do not work at the clinic "westminster", so its schedule is not shown.' }).waitFor();
      expect(await page.getByText('Westside').count()).toBe(0);
    }
    await expectAccessible(page, 'not your clinic');
    await screenshot(page, 'access-04-not-your-clinic');
    expect(westminsterRequests).toEqual([]);

    // A crafted request with the nurse's own token is refused by the service, whatever the console shows.
    const nurse = await apiAsAccount(service.url, email, PASSWORD);
    const crafted = await nurse.get(`/api/appointments?locationId=${westminster}&date=${DAY}`);
    expect({ status: crafted.status, type: crafted.body.type }).toEqual({ status: 403, type: '/problems/other-clinic' });
    await page.close();
  });

  it('admin: adds someone (a refused password in words), demotes and then deactivates them; their open console follows on its next request', async () => {
    const page = await open();
    await signIn(page, 'admin');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('heading', { name: 'Staff', exact: true }).waitFor();

    const form = page.getByRole('form', { name: 'Add a staff member' });
    const email = 'morgan.provider@aurora.test';
    await form.getByLabel('Name').fill('Morgan Provider');
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Role').selectOption('provider');
    await form.getByLabel('Aurora Clinic').check();
    await form.getByLabel('Westminster Clinic').check();
    await form.getByLabel(/^Temporary password/).fill('password1234');
    await form.getByRole('button', { name: 'Add staff member' }).click();
    await form.getByText(/^Temporary password (is a common or breached password|is too easy to guess)/).waitFor();
    expect(await service.dataSource.query(`SELECT id FROM staff WHERE email = $1`, [email])).toEqual([]);
    await form.getByLabel(/^Temporary password/).fill(PASSWORD);
    await form.getByRole('button', { name: 'Add staff member' }).click();
    await page.getByRole('row', { name: new RegExp(`Morgan Provider morgan\\.provider@aurora\\.test Provider ${BOTH} yes`) }).waitFor();
    await expectAccessible(page, 'staff');
    await screenshot(page, 'access-05-staff');

    // Morgan signs in on another computer (a browser of its own: its own cookies).
    const other = await launchChromium();
    try {
      const watched = await openConsole(other.context, service.url, at('09:00'));
      opened.push(watched);
      const morgan = watched.page;
      await signInWith(morgan, email, PASSWORD);
      expect(new URL(morgan.url()).pathname).toBe('/provider');

      await page.getByRole('button', { name: 'Edit Morgan Provider' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit Morgan Provider' });
      await dialog.getByLabel('Role').selectOption('front_desk');
      await expectAccessible(page, 'staff: edit');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('row', { name: new RegExp(`Morgan Provider .* Front desk ${BOTH} yes`) }).waitFor();

      // Morgan's next request (the REMS forms of the other clinic) is judged by the new role: refused, and
      // the console says why and shows what is left.
      await morgan.getByRole('group', { name: 'Clinic and day' }).getByLabel('Clinic').selectOption('westminster');
      await morgan.getByText('An administrator changed your role or clinics').waitFor();
      await morgan.getByRole('heading', { name: 'Not available' }).waitFor();
      await morgan.getByText('Morgan Provider · Front desk').waitFor();
      expect(await morgan.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'REMS forms' }).count()).toBe(0);

      await page.getByRole('button', { name: 'Edit Morgan Provider' }).click();
      await dialog.getByLabel('Active (can sign in)').uncheck();
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('row', { name: new RegExp(`Morgan Provider .* Front desk ${BOTH} no`) }).waitFor();
      const [stored] = await service.dataSource.query(`SELECT role, active FROM staff WHERE email = $1`, [email]);
      expect(stored).toEqual({ role: 'front_desk', active: false });

      // Morgan's next request is refused: signed out, with the reason on the sign-in page.
      await morgan.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Day board' }).click();
      await morgan.getByText('Your session has ended. Sign in again to continue.').waitFor();
      expect(new URL(morgan.url()).pathname).toBe('/sign-in');
      await screenshot(morgan, 'access-06-deactivated');
      await morgan.close();
    } finally {
      await other.close();
    }
    await page.close();
  });
});
