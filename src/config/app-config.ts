import { randomBytes } from 'node:crypto';
import { FileClock } from '../common/file-clock';
import { DEFAULT_BOOKING_HORIZON_DAYS } from '../appointments/domain/booking-horizon';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type SmsProviderName = 'log' | 'twilio';

/** The service's configuration, read once from the environment and validated at start-up. */
export class AppConfig {
  port: number;
  /** Undefined: start an embedded PostgreSQL under `embeddedDataDir`. */
  databaseUrl?: string;
  embeddedDataDir: string;
  databasePoolSize: number;
  jwtSecret: string;
  jwtExpiresInSeconds: number;
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
  config.demoSeed = readBool(env, 'DEMO_SEED', config.usesEmbeddedDatabase);
  config.demoSeedForce = readBool(env, 'DEMO_SEED_FORCE', false);
  config.logLevel = readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info');
  config.jwtExpiresInSeconds = readInt(env, 'JWT_EXPIRES_IN_SECONDS', 12 * 3600, 60, 7 * 24 * 3600);

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
