import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { freePort } from '../../../src/database/embedded-postgres';
import { TEST_JWT_SECRET } from '../../support/app';
import { createTestDatabase } from '../../support/database';

/** The repository (this file also runs compiled, from dist/test/browser/support, in scripts/console-screenshots.ts). */
const ROOT = [join(__dirname, '..', '..', '..'), join(__dirname, '..', '..', '..', '..')].find((dir) => existsSync(join(dir, 'package.json')))!;
/** Git-ignored: every test leaves a screenshot here. */
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'console');

export const DEMO_LOGINS = {
  admin: ['admin@demo.clinic', 'demo-admin'],
  front_desk: ['frontdesk@demo.clinic', 'demo-frontdesk'],
  nurse: ['nurse@demo.clinic', 'demo-nurse'],
  provider: ['provider@demo.clinic', 'demo-provider'],
} as const;
export type DemoRole = keyof typeof DEMO_LOGINS;

export interface ConsoleService {
  url: string;
  dataSource: DataSource;
  /** Moves the service's clock (TEST_CLOCK_FILE) to this instant. */
  setNow(instant: string): void;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The built service (`npm run build`: dist/src/main.js and the console in dist/web) on a database of
 * its own cloned from the run's demo-seeded template, its clock read from a file the test moves.
 */
export async function startConsoleService(now: string): Promise<ConsoleService> {
  const main = join(ROOT, 'dist', 'src', 'main.js');
  if (!existsSync(main) || !existsSync(join(ROOT, 'dist', 'web', 'index.html'))) {
    throw new Error('The built service and console are missing: run `npm run build` first (npm run test:console does).');
  }
  const database = await createTestDatabase();
  const clockDir = mkdtempSync(join(tmpdir(), 'console-clock-'));
  const clockFile = join(clockDir, 'now');
  const setNow = (instant: string) => {
    // Atomically: a request never reads a half-written file.
    writeFileSync(`${clockFile}.tmp`, instant);
    renameSync(`${clockFile}.tmp`, clockFile);
  };
  setNow(now);

  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: database.url,
      DATABASE_MIGRATION_URL: database.ownerUrl,
      // The demo accounts have no second factor (a server database would require it of admin and provider).
      MFA_REQUIRED_ROLES: 'none',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      SCHEDULER_ENABLED: 'false',
      DEMO_SEED: 'false',
      TEST_CLOCK_FILE: clockFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      if (output.includes('Ready in')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`service exited before it was ready:\n${output}`));
    });
  });
  const dataSource = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
  return {
    url: `http://127.0.0.1:${port}`,
    dataSource,
    setNow,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      child.kill('SIGKILL');
      await dataSource.destroy();
      await database.drop();
      rmSync(clockDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, on a fresh profile, without the background traffic this machine refuses. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'America/Denver',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface WatchedPage {
  page: Page;
  /** CSP violations and uncaught errors seen so far: a test expects none. */
  problems: string[];
}

/**
 * A new tab with its time set, signed out: the browser's refresh cookie (which would sign a new tab in
 * again, as a reload does) is cleared first.
 */
export async function openConsole(context: BrowserContext, url: string, now: string): Promise<WatchedPage> {
  await context.clearCookies();
  const page = await context.newPage();
  const problems: string[] = [];
  await page.clock.setFixedTime(new Date(now));
  await page.exposeFunction('__reportCsp', (text: string) => problems.push(`CSP: ${text}`));
  // In-page code as strings: this file is type-checked for Node, without the DOM's types.
  await page.addInitScript(
    `document.addEventListener('securitypolicyviolation', (e) => window.__reportCsp(e.violatedDirective + ' ' + e.sourceFile + ':' + e.lineNumber + ' ' + e.sample))`,
  );
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  return { page, problems };
}

export async function signIn(page: Page, role: DemoRole): Promise<void> {
  const [email, password] = DEMO_LOGINS[role];
  await signInWith(page, email, password);
}

/** Signs in with any account (no second factor) and waits for the console. */
export async function signInWith(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * axe-core run in the page (evaluated over the DevTools protocol: the page's CSP allows no inline
 * script, and the test must not weaken it). Returns the serious and critical violations.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails the test with the screen's name when axe-core finds a serious or critical violation on it. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  if (violations.length) console.log(screen, JSON.stringify(violations, null, 1));
  expect({ screen, violations }).toEqual({ screen, violations: [] });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The service's API as a front-desk script would use it, for a test's starting state. */
export async function apiAs(url: string, role: DemoRole) {
  const [email, password] = DEMO_LOGINS[role];
  return apiAsAccount(url, email, password);
}

/** The API as any account (no second factor) would use it. */
export async function apiAsAccount(url: string, email: string, password: string) {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`login as ${email}: ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    accessToken,
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
  };
}
