// The one owner of the signed-in session: login, logout and the access token. The token lives in this
// module's memory only (never localStorage or sessionStorage, never a URL), so a reload signs out.
//
// v2 slots in here and nowhere else: login answers with `expiresIn` and sets an httpOnly refresh cookie
// (Path=/api/auth); `restore()` then calls POST /api/auth/refresh on start-up to survive a reload,
// `accessToken()` refreshes shortly before expiry, `signOut()` calls POST /api/auth/logout, and
// `GET /api/auth/me` fills `locationIds` (clinic scoping) and `mfaEnabled`.

export type Role = 'admin' | 'front_desk' | 'nurse' | 'provider';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The clinics the user works at; null until the API says (v1 has no /api/auth/me): every clinic. */
  locationIds: string[] | null;
}

export type SignOutReason = 'signed-out' | 'idle' | 'expired';

interface Session {
  accessToken: string;
  user: SessionUser;
}

/** HIPAA automatic logoff: a session without a keypress, click or touch for this long ends. */
export const IDLE_TIMEOUT_MINUTES = 15;

let session: Session | null = null;
let lastSignOut: SignOutReason | null = null;
const listeners = new Set<() => void>();
let idleTimer: ReturnType<typeof setTimeout> | undefined;

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

/** Why the last session ended (shown on the sign-in page), until the next sign-in. */
export function signOutReason(): SignOutReason | null {
  return lastSignOut;
}

export function accessToken(): string | null {
  return session?.accessToken ?? null;
}

export class LoginRefused extends Error {
  constructor(
    message: string,
    /** v2: the account has MFA on and the one-time code is missing or wrong. */
    readonly needsOtp: boolean,
  ) {
    super(message);
  }
}

/** POST /api/auth/login; on success the session starts. */
export async function signIn(email: string, password: string, otp?: string): Promise<SessionUser> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
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
    throw new LoginRefused(needsOtp && type.endsWith('mfa-invalid') ? 'The one-time code is not right.' : message, needsOtp);
  }
  session = { accessToken: body.accessToken, user: { ...body.user, locationIds: body.user.locationIds ?? null } };
  lastSignOut = null;
  startIdleWatch();
  notify();
  return session.user;
}

export function signOut(reason: SignOutReason = 'signed-out'): void {
  if (!session) return;
  session = null;
  lastSignOut = reason;
  stopIdleWatch();
  notify();
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
