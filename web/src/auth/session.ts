// The one owner of the signed-in session (api.md v2 "Accounts and sessions").
//
// - The access token lives in this module's memory only: never localStorage or sessionStorage, never a
//   URL. What survives a reload is the service's httpOnly refresh cookie (Path=/api/auth), which no
//   script can read: `restore()` trades it for a new access token on start-up.
// - The token is refreshed shortly before `expiresIn` runs out, and once more on a 401 (then the request
//   is retried once); a refusal after that ends the session with "Your session has ended".
// - Refreshing rotates the cookie, and a refresh token presented twice ends the whole session, so the
//   tabs of one browser take turns (Web Locks), and a tab never adopts a refresh answered for another
//   person (someone else signed in in another tab).
// - `GET /api/auth/me` fills `locationIds` (clinic scoping: the pickers offer only these), `mfaEnabled`
//   and a session's `restriction` (MFA to set up, or a reset password to change, before anything else).

export type Role = 'admin' | 'front_desk' | 'nurse' | 'provider';
export type Restriction = 'mfa-setup-required' | 'password-change-required';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The clinics the user acts on (admins: every clinic). */
  locationIds: string[];
  mfaEnabled: boolean;
  /** The session may only do this until it is done. */
  restriction?: Restriction;
}

export type SignOutReason = 'signed-out' | 'idle' | 'expired';
/** `restoring` while the refresh cookie is tried on start-up: no screen and no redirect yet. */
export type SessionStatus = 'restoring' | 'signed-in' | 'signed-out';

interface Session {
  accessToken: string;
  user: SessionUser;
}

interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  user: { id: string };
}

/** HIPAA automatic logoff: a session without a keypress, click or touch for this long ends. */
export const IDLE_TIMEOUT_MINUTES = 15;
/** Refresh this long before the access token expires. */
const REFRESH_AHEAD_SECONDS = 60;

let session: Session | null = null;
let status: SessionStatus = 'restoring';
let lastSignOut: SignOutReason | null = null;
let accountNotice: string | null = null;
const listeners = new Set<() => void>();
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;

function notify(): void {
  for (const listener of listeners) listener();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function currentUser(): SessionUser | null {
  return session?.user ?? null;
}

export function sessionStatus(): SessionStatus {
  return status;
}

/** Why the last session ended (shown on the sign-in page), until the next sign-in. */
export function signOutReason(): SignOutReason | null {
  return lastSignOut;
}

/** Something an administrator changed about this account while it was signed in (role, clinics). */
export function accountChangeNotice(): string | null {
  return accountNotice;
}

export function accessToken(): string | null {
  return session?.accessToken ?? null;
}

export class LoginRefused extends Error {
  constructor(
    message: string,
    /** The account has MFA on and the one-time code is missing or wrong. */
    readonly needsOtp: boolean,
  ) {
    super(message);
  }
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** POST /api/auth/login, then GET /api/auth/me; the session starts once both have answered. */
export async function signIn(email: string, password: string, otp?: string): Promise<SessionUser> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: JSON_HEADERS,
    credentials: 'same-origin',
    body: JSON.stringify(otp ? { email, password, otp } : { email, password }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const type = typeof body.type === 'string' ? body.type : '';
    const needsOtp = response.status === 401 && /mfa-(required|invalid)$/.test(type);
    const message =
      response.status === 401 && !needsOtp
        ? 'The email or password is not right.'
        : response.status === 429
          ? `Too many attempts. Try again in ${response.headers.get('retry-after') ?? 'a few'} seconds.`
          : (body.detail ?? `Sign-in failed (HTTP ${response.status}).`);
    const otpMessage = type.endsWith('mfa-invalid') ? 'The one-time code is not right.' : 'Enter the 6-digit code from your authenticator app.';
    throw new LoginRefused(needsOtp ? otpMessage : message, needsOtp);
  }
  const user = await start(body as IssuedToken);
  if (!user) throw new LoginRefused('Sign-in failed: the service did not confirm the account. Try again.', false);
  return user;
}

/** On start-up: the refresh cookie, if the browser has a live one, signs this tab in again. */
export async function restore(): Promise<void> {
  const issued = await takingTurns(() => postRefresh());
  if (!issued || !(await start(issued))) {
    status = 'signed-out';
    notify();
  }
}

/** Ends the session here and at the service (its tokens are refused from then on). */
export function signOut(reason: SignOutReason = 'signed-out'): void {
  if (!session) return;
  const token = session.accessToken;
  // After a refusal the service has ended the session already.
  if (reason !== 'expired') {
    void fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` }, credentials: 'same-origin', keepalive: true })
      .then((response) => response.text())
      .catch(() => undefined);
  }
  end(reason);
}

/**
 * The fetch of the typed API client: the bearer token on every request; on a 401 one refresh and one
 * retry, then the session ends; on a 403 the account is read again (an administrator may have changed
 * the role or the clinics, or reset the password).
 */
export async function authorizedFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const sentWith = accessToken();
  let response = await fetch(withToken(request, sentWith));
  if (response.status === 401 && session) {
    if (accessToken() !== sentWith || (await refreshNow())) response = await fetch(withToken(retry, accessToken()));
    if (response.status === 401) end('expired');
  } else if (response.status === 403 && session) {
    void recheckAccount();
  }
  return response;
}

/** GET /api/auth/me again, e.g. after MFA was confirmed or the password changed. */
export async function reloadAccount(): Promise<void> {
  const me = await readMe();
  if (me && session) {
    session = { ...session, user: me };
    notify();
  }
}

function withToken(request: Request, token: string | null): Request {
  if (token) request.headers.set('authorization', `Bearer ${token}`);
  return request;
}

async function start(issued: IssuedToken): Promise<SessionUser | null> {
  session = { accessToken: issued.accessToken, user: { ...(issued.user as SessionUser), locationIds: [], mfaEnabled: false } };
  const me = await readMe();
  if (!me) {
    session = null;
    return null;
  }
  session = { accessToken: issued.accessToken, user: me };
  status = 'signed-in';
  lastSignOut = null;
  accountNotice = null;
  scheduleRefresh(issued.expiresIn);
  startIdleWatch();
  notify();
  return me;
}

function end(reason: SignOutReason): void {
  if (!session) return;
  session = null;
  status = 'signed-out';
  lastSignOut = reason;
  clearTimeout(refreshTimer);
  stopIdleWatch();
  notify();
}

async function readMe(): Promise<SessionUser | null> {
  const token = accessToken();
  if (!token) return null;
  const response = await fetch('/api/auth/me', { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const me = (await response.json().catch(() => null)) as SessionUser | null;
  if (!response.ok || !me) return null;
  return { id: me.id, email: me.email, name: me.name, role: me.role, locationIds: me.locationIds, mfaEnabled: me.mfaEnabled, restriction: me.restriction };
}

let rechecking: Promise<void> | null = null;

function recheckAccount(): Promise<void> {
  rechecking ??= (async () => {
    const before = session?.user;
    const me = await readMe();
    if (me && session && before && session.user === before) {
      const roleChanged = me.role !== before.role;
      const clinicsChanged = [...me.locationIds].sort().join() !== [...before.locationIds].sort().join();
      if (roleChanged || clinicsChanged || me.restriction !== before.restriction) {
        if (roleChanged || clinicsChanged) accountNotice = 'An administrator changed your role or clinics: the console now shows what you may do.';
        session = { ...session, user: me };
        notify();
      }
    }
  })().finally(() => (rechecking = null));
  return rechecking;
}

/** POST /api/auth/refresh with the cookie: the next access token, or null when the session is over. */
async function postRefresh(): Promise<IssuedToken | null> {
  const response = await fetch('/api/auth/refresh', { method: 'POST', headers: { accept: 'application/json' }, credentials: 'same-origin' }).catch(() => null);
  if (!response) return null;
  // A refusal's body is read too: a response left unread keeps its request open in the browser.
  const body = await response.json().catch(() => null);
  return response.ok ? (body as IssuedToken) : null;
}

/** One refresh at a time in this tab; true when this session has a fresh token. */
function refreshNow(): Promise<boolean> {
  refreshing ??= takingTurns(async () => {
    const mine = session;
    if (!mine) return false;
    const issued = await postRefresh();
    // The cookie belongs to whoever signed in last in this browser: never adopt another person's session.
    if (!issued || issued.user.id !== mine.user.id || session !== mine) return false;
    session = { ...mine, accessToken: issued.accessToken };
    scheduleRefresh(issued.expiresIn);
    return true;
  }).finally(() => (refreshing = null));
  return refreshing;
}

/** The tabs of this browser share one rotating cookie: they refresh one after the other. */
function takingTurns<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request('clinic-console-refresh', task) as Promise<T>) : task();
}

function scheduleRefresh(expiresIn: number): void {
  clearTimeout(refreshTimer);
  const seconds = Math.max(10, expiresIn - REFRESH_AHEAD_SECONDS);
  refreshTimer = setTimeout(() => {
    void refreshNow().then((fresh) => fresh || end('expired'));
  }, seconds * 1000);
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

function resetIdleTimer(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => signOut('idle'), IDLE_TIMEOUT_MINUTES * 60_000);
}

function startIdleWatch(): void {
  for (const event of ACTIVITY_EVENTS) window.addEventListener(event, resetIdleTimer, { passive: true, capture: true });
  resetIdleTimer();
}

function stopIdleWatch(): void {
  clearTimeout(idleTimer);
  for (const event of ACTIVITY_EVENTS) window.removeEventListener(event, resetIdleTimer, { capture: true });
}
