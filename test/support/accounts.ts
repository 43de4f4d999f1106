import { randomUUID } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';
import { totpCode } from '../../src/auth/domain/totp';
import type { AuthHeader } from './app';

/** What the account helpers need of an app: HTTP and an admin's header. */
interface Api {
  http: () => TestAgent;
  headers: { admin: AuthHeader };
}

export interface Account {
  id: string;
  email: string;
  password: string;
}

let accounts = 0;

/** A staff account made by the admin through the API, with a password that meets the policy. */
export async function createAccount(t: Api, role: string, locationIds: string[], name = `Test ${role} ${++accounts}`): Promise<Account> {
  const email = `${role.replace('_', '')}-${randomUUID().slice(0, 8)}@test.clinic`;
  const password = `tangerine orbit lantern ${accounts}`;
  const response = await t.http().post('/api/staff').set(t.headers.admin).send({ name, email, role, password, locationIds });
  if (response.status !== 201) throw new Error(`creating ${role}: ${response.status} ${response.text}`);
  return { id: response.body.id, email, password };
}

/** Signs in (from `address`, as the trusted proxy reports it): the answer, for the test to check. */
export function login(t: Pick<Api, 'http'>, account: { email: string; password: string }, extra: Record<string, unknown> = {}, address = '203.0.113.10') {
  return t
    .http()
    .post('/api/auth/login')
    .set('x-forwarded-for', address)
    .send({ email: account.email, password: account.password, ...extra });
}

/** Signs in and returns the bearer header and the refresh cookie. */
export async function session(t: Pick<Api, 'http'>, account: { email: string; password: string }, extra: Record<string, unknown> = {}) {
  const response = await login(t, account, extra);
  if (response.status !== 200) throw new Error(`login: ${response.status} ${response.text}`);
  return { auth: { Authorization: `Bearer ${response.body.accessToken}` } as AuthHeader, cookie: refreshCookie(response), body: response.body };
}

/** The `clinic_refresh=…` pair of a response's Set-Cookie, to send back as a Cookie header. */
export function refreshCookie(response: { headers: Record<string, unknown> }): string {
  const cookies = ([] as string[]).concat((response.headers['set-cookie'] as string[] | string | undefined) ?? []);
  const cookie = cookies.find((c) => c.startsWith('clinic_refresh='));
  if (!cookie) throw new Error(`no refresh cookie in ${JSON.stringify(cookies)}`);
  return cookie.split(';')[0];
}

/** The TOTP secret of an otpauth:// URL, and the current code for it. */
export function otpFor(otpauthUrl: string, at = new Date()): { secret: string; code: string } {
  const secret = new URL(otpauthUrl).searchParams.get('secret')!;
  return { secret, code: totpCode(secret, at) };
}
