import { createHash, randomBytes } from 'node:crypto';
import { FileClock } from '../common/file-clock';
import { DEFAULT_BOOKING_HORIZON_DAYS } from '../appointments/domain/booking-horizon';
import { ROLES, Role } from '../staff/domain/roles';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type SmsProviderName = 'log' | 'twilio';

/** The service's configuration, read once from the environment and validated at start-up. */
export class AppConfig {
  port: number;
  /** Undefined: start an embedded PostgreSQL under `embeddedDataDir`. */
  databaseUrl?: string;
  embeddedDataDir: string;
  databasePoolSize: number;
  /** The server reports read from (a replica); undefined: the primary. */
  databaseReadUrl?: string;
  databaseReadPoolSize: number;
  /** The serving role's connection when migrations run as another (owner) role: DATABASE_MIGRATION_URL. */
  databaseMigrationUrl?: string;
  jwtSecret: string;
  /** Lifetime of an access token (a refresh cookie gets the next one). */
  accessTokenSeconds: number;
  /** A session with no request for this long ends (automatic logoff). */
  idleTimeoutSeconds: number;
  /** A session ends this long after login, however active. */
  sessionMaxSeconds: number;
  /** Roles that must use a second factor; their accounts without one get a session that can only set it up. */
  mfaRequiredRoles: Role[];
  /** 32 bytes that encrypt TOTP secrets at rest. */
  mfaEncryptionKey: Buffer;
  /** Failed logins within `loginFailureWindowSeconds` before an account, or a client address, gets 429. */
  loginMaxFailuresPerAccount: number;
  loginMaxFailuresPerAddress: number;
  loginFailureWindowSeconds: number;
  /** Consecutive failed logins after which an account is locked until an administrator resets its password. */
  loginLockAfterFailures: number;
  /** Password hashes computed at once per instance, and how many more may wait before a 503. */
  passwordHashConcurrency: number;
  passwordHashQueue: number;
  /** Which proxies' X-Forwarded-For to believe (Fastify trustProxy): true, false, a hop count or addresses. */
  trustProxy: boolean | number | string;
  demoSeed: boolean;
  demoSeedForce: boolean;
  logLevel: LogLevel;
  publicBaseUrl: string;
  smsProvider: SmsProviderName;
  twilioAccountSid?: string;
  twilioAuthToken?: string;
  twilioFrom?: string;
  twilioMessagingServiceSid?: string;
  /** Run the cron jobs (reminder dispatch) on this instance when it holds the scheduler lock. */
  schedulerEnabled: boolean;
  /** Reminder texts this many hours before an appointment (whole days counted on the local calendar). */
  reminderOffsetsHours: number[];
  /** Local wall time HH:mm of the evening-before text (preparation line). */
  reminderEveningBeforeAt: string;
  /** How long a freed slot is held for the waitlisted patient it is offered to. */
  waitlistOfferMinutes: number;
  /** How long a FHIR `Appointment/$hold` keeps its slot. */
  fhirHoldMinutes: number;
  /** Live event streams (`GET /api/events`) one instance serves at once; the next gets 503. */
  liveEventsMaxStreams: number;
  /** A comment line on every live event stream this often, so proxies keep it open and clients notice a dead one. */
  liveEventsHeartbeatSeconds: number;
  /**
   * Whether webhook subscribers may be loopback or private-network addresses (a URL that resolves to one is
   * otherwise refused, at subscription and at every delivery): on for a demo on the embedded database.
   */
  webhookAllowPrivate: boolean;
  /** Browser tests only: "now" is read from this file (FileClock). Refused with NODE_ENV=production. */
  testClockFile?: string;
  /** Nothing may start more than this many days ahead (the booking-horizon rule). */
  bookingHorizonDays: number;

  get usesEmbeddedDatabase(): boolean {
    return this.databaseUrl === undefined;
  }
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** A decimal number of minutes (e.g. 0.1 for 6 seconds in a test), as whole seconds. */
function readMinutes(env: Env, name: string, fallbackMinutes: number, minSeconds: number, maxSeconds: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallbackMinutes * 60;
  if (!/^\d+(\.\d+)?$/.test(raw)) throw new ConfigError(name, `must be a number of minutes, got "${raw}"`);
  const seconds = Math.round(Number(raw) * 60);
  if (seconds < minSeconds || seconds > maxSeconds) {
    throw new ConfigError(name, `must be between ${minSeconds / 60} and ${maxSeconds / 60} minutes, got ${raw}`);
  }
  return seconds;
}

/** A comma-separated list of roles; "none" for none. */
function readRoles(env: Env, name: string, fallback: Role[]): Role[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw.trim().toLowerCase() === 'none') return [];
  const roles = raw.split(',').map((part) => part.trim());
  const unknown = roles.filter((role) => !ROLES.includes(role as Role));
  if (unknown.length) throw new ConfigError(name, `must be a comma-separated list of ${ROLES.join(', ')} (or none), got "${raw}"`);
  return [...new Set(roles as Role[])];
}

function readTrustProxy(env: Env, name: string, fallback: string): boolean | number | string {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return fallback;
  if (['true', 'false'].includes(raw.toLowerCase())) return raw.toLowerCase() === 'true';
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^[0-9a-fA-F.:/,\s]+$|^(loopback|linklocal|uniquelocal)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*$/.test(raw)) {
    throw new ConfigError(name, `must be true, false, a number of proxies or comma-separated addresses/CIDRs, got "${raw}"`);
  }
  return raw;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const normalized = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalized)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalized)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** A comma-separated list of whole hours (1–720), e.g. "48,2"; "none" for none. */
function readHourList(env: Env, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw.trim().toLowerCase() === 'none') return [];
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d+$/.test(part) || Number(part) < 1 || Number(part) > 720)) {
    throw new ConfigError(name, `must be a comma-separated list of whole hours between 1 and 720, got "${raw}"`);
  }
  return [...new Set(parts.map(Number))].sort((a, b) => b - a);
}

function readUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}`);
  }
  return raw;
}

/** Reads and validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const config = new AppConfig();
  config.port = readInt(env, 'PORT', 3000, 0, 65535);
  config.databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  config.embeddedDataDir = env.EMBEDDED_PG_DIR || '.data/postgres';
  config.databasePoolSize = readInt(env, 'DATABASE_POOL_SIZE', 20, 1, 500);
  config.databaseReadUrl = readUrl(env, 'DATABASE_READ_URL', ['postgres:', 'postgresql:']);
  config.databaseReadPoolSize = readInt(env, 'DATABASE_READ_POOL_SIZE', 4, 1, 100);
  config.demoSeed = readBool(env, 'DEMO_SEED', config.usesEmbeddedDatabase);
  config.demoSeedForce = readBool(env, 'DEMO_SEED_FORCE', false);
  config.logLevel = readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info');
  config.databaseMigrationUrl = readUrl(env, 'DATABASE_MIGRATION_URL', ['postgres:', 'postgresql:']);
  if (config.databaseMigrationUrl && !config.databaseUrl) {
    throw new ConfigError('DATABASE_MIGRATION_URL', 'needs DATABASE_URL (the serving role) too; the embedded database sets up both roles itself');
  }
  config.accessTokenSeconds = readMinutes(env, 'ACCESS_TOKEN_MINUTES', 15, 3, 24 * 3600);
  config.idleTimeoutSeconds = readMinutes(env, 'IDLE_TIMEOUT_MINUTES', 15, 3, 24 * 3600);
  config.sessionMaxSeconds = readInt(env, 'SESSION_MAX_HOURS', 12, 1, 7 * 24) * 3600;
  config.mfaRequiredRoles = readRoles(env, 'MFA_REQUIRED_ROLES', config.usesEmbeddedDatabase ? [] : ['admin', 'provider']);
  config.loginMaxFailuresPerAccount = readInt(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 100);
  config.loginMaxFailuresPerAddress = readInt(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 20, 1, 10_000);
  config.loginFailureWindowSeconds = readInt(env, 'LOGIN_FAILURE_WINDOW_MINUTES', 15, 1, 24 * 60) * 60;
  config.loginLockAfterFailures = readInt(env, 'LOGIN_LOCK_AFTER_FAILURES', 100, 1, 100);
  config.passwordHashConcurrency = readInt(env, 'PASSWORD_HASH_CONCURRENCY', 1, 1, 64);
  config.passwordHashQueue = readInt(env, 'PASSWORD_HASH_QUEUE', 8, 0, 10_000);
  config.trustProxy = readTrustProxy(env, 'TRUST_PROXY', 'loopback,linklocal,uniquelocal');

  const secret = env.JWT_SECRET;
  if (secret !== undefined && secret !== '') {
    if (secret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
    config.jwtSecret = secret;
  } else if (config.demoSeed) {
    // Demo only: tokens stop working when the process restarts, which is fine for a demo.
    config.jwtSecret = randomBytes(32).toString('hex');
  } else {
    throw new ConfigError('JWT_SECRET', 'is required unless DEMO_SEED is on');
  }

  const mfaKey = env.MFA_ENCRYPTION_KEY;
  if (mfaKey !== undefined && mfaKey !== '' && mfaKey.length < 32) throw new ConfigError('MFA_ENCRYPTION_KEY', 'must be at least 32 characters');
  // Without a key of its own, one derived from the JWT secret (a different purpose, so a different key).
  config.mfaEncryptionKey = createHash('sha256')
    .update(mfaKey || `clinic-scheduler mfa secrets\u0000${config.jwtSecret}`)
    .digest();

  if (config.demoSeed && !config.usesEmbeddedDatabase && !config.demoSeedForce) {
    throw new ConfigError(
      'DEMO_SEED',
      'is on against a server database (DATABASE_URL): demo accounts with known passwords would be created; set DEMO_SEED_FORCE=true if that is really wanted',
    );
  }

  config.publicBaseUrl = readUrl(env, 'PUBLIC_BASE_URL', ['http:', 'https:'])?.replace(/\/+$/, '') ?? `http://localhost:${config.port}`;
  config.smsProvider = readEnum<SmsProviderName>(env, 'SMS_PROVIDER', ['log', 'twilio'], 'log');
  config.twilioAccountSid = env.TWILIO_ACCOUNT_SID || undefined;
  config.twilioAuthToken = env.TWILIO_AUTH_TOKEN || undefined;
  config.twilioFrom = env.TWILIO_FROM || undefined;
  config.twilioMessagingServiceSid = env.TWILIO_MESSAGING_SERVICE_SID || undefined;
  if (config.smsProvider === 'twilio') {
    if (!config.twilioAccountSid) throw new ConfigError('TWILIO_ACCOUNT_SID', 'is required with SMS_PROVIDER=twilio');
    if (!config.twilioAuthToken) throw new ConfigError('TWILIO_AUTH_TOKEN', 'is required with SMS_PROVIDER=twilio');
    if (!config.twilioFrom && !config.twilioMessagingServiceSid) {
      throw new ConfigError('TWILIO_FROM', 'or TWILIO_MESSAGING_SERVICE_SID is required with SMS_PROVIDER=twilio');
    }
  }
  config.schedulerEnabled = readBool(env, 'SCHEDULER_ENABLED', true);
  config.reminderOffsetsHours = readHourList(env, 'REMINDER_OFFSETS_HOURS', [48, 2]);
  const eveningBeforeAt = env.REMINDER_EVENING_BEFORE_AT;
  if (eveningBeforeAt !== undefined && eveningBeforeAt !== '' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(eveningBeforeAt)) {
    throw new ConfigError('REMINDER_EVENING_BEFORE_AT', `must be a local time HH:mm, got "${eveningBeforeAt}"`);
  }
  config.reminderEveningBeforeAt = eveningBeforeAt || '18:00';
  config.waitlistOfferMinutes = readInt(env, 'WAITLIST_OFFER_MINUTES', 15, 1, 24 * 60);
  config.fhirHoldMinutes = readInt(env, 'FHIR_HOLD_MINUTES', 10, 1, 24 * 60);
  config.liveEventsMaxStreams = readInt(env, 'LIVE_EVENTS_MAX_STREAMS', 500, 1, 100_000);
  config.liveEventsHeartbeatSeconds = readInt(env, 'LIVE_EVENTS_HEARTBEAT_SECONDS', 25, 1, 300);
  config.webhookAllowPrivate = readBool(env, 'WEBHOOK_ALLOW_PRIVATE', config.usesEmbeddedDatabase);
  if (env.TEST_CLOCK_FILE) {
    if (env.NODE_ENV === 'production') throw new ConfigError('TEST_CLOCK_FILE', 'is for tests and refused with NODE_ENV=production');
    try {
      FileClock.read(env.TEST_CLOCK_FILE);
    } catch (error) {
      throw new ConfigError('TEST_CLOCK_FILE', (error as Error).message);
    }
    config.testClockFile = env.TEST_CLOCK_FILE;
  }
  config.bookingHorizonDays = readInt(env, 'BOOKING_HORIZON_DAYS', DEFAULT_BOOKING_HORIZON_DAYS, 1, 3660);
  return config;
}
