import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

const SECRET = 'x'.repeat(40);

describe('loadConfig', () => {
  it('defaults to port 3000, the embedded database and the demo seed', () => {
    const sut = loadConfig({});
    expect(sut.port).toBe(3000);
    expect(sut.usesEmbeddedDatabase).toBe(true);
    expect(sut.demoSeed).toBe(true);
    expect(sut.jwtSecret).toHaveLength(64);
    expect(sut.logLevel).toBe('info');
  });

  it('turns the demo seed off by default against a server database', () => {
    const sut = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/clinic', JWT_SECRET: SECRET });
    expect(sut.usesEmbeddedDatabase).toBe(false);
    expect(sut.demoSeed).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: 'mysql://x@y/z', JWT_SECRET: SECRET }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url', JWT_SECRET: SECRET }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://u@db/clinic' }, 'JWT_SECRET'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ DEMO_SEED: 'maybe' }, 'DEMO_SEED'],
    [{ DATABASE_URL: 'postgres://u@db/clinic', JWT_SECRET: SECRET, DEMO_SEED: 'true' }, 'DEMO_SEED'],
    [{ SMS_PROVIDER: 'twilio' }, 'TWILIO_ACCOUNT_SID'],
    [{ REMINDER_OFFSETS_HOURS: '48,two' }, 'REMINDER_OFFSETS_HOURS'],
    [{ REMINDER_OFFSETS_HOURS: '0' }, 'REMINDER_OFFSETS_HOURS'],
    [{ REMINDER_EVENING_BEFORE_AT: '6pm' }, 'REMINDER_EVENING_BEFORE_AT'],
    [{ DATABASE_READ_URL: 'mysql://x@y/z' }, 'DATABASE_READ_URL'],
    [{ DATABASE_READ_POOL_SIZE: '0' }, 'DATABASE_READ_POOL_SIZE'],
    [{ WAITLIST_OFFER_MINUTES: '0' }, 'WAITLIST_OFFER_MINUTES'],
    [{ WAITLIST_OFFER_MINUTES: '15m' }, 'WAITLIST_OFFER_MINUTES'],
    [{ FHIR_HOLD_MINUTES: '0' }, 'FHIR_HOLD_MINUTES'],
    [{ FHIR_HOLD_MINUTES: '1441' }, 'FHIR_HOLD_MINUTES'],
    [{ WEBHOOK_ALLOW_PRIVATE: 'sometimes' }, 'WEBHOOK_ALLOW_PRIVATE'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message).toContain(variable);
    }
  });

  it('reads reports from the primary unless DATABASE_READ_URL names a replica', () => {
    expect(loadConfig({}).databaseReadUrl).toBeUndefined();
    const sut = loadConfig({ DATABASE_URL: 'postgres://u@db/clinic', DATABASE_READ_URL: 'postgres://u@replica/clinic', JWT_SECRET: SECRET });
    expect(sut.databaseReadUrl).toBe('postgres://u@replica/clinic');
    expect(sut.databaseReadPoolSize).toBe(4);
  });

  it('allows the demo seed on a server database only when forced', () => {
    const sut = loadConfig({
      DATABASE_URL: 'postgres://u@db/clinic',
      DEMO_SEED: 'true',
      DEMO_SEED_FORCE: 'true',
    });
    expect(sut.demoSeed).toBe(true);
  });

  it('reads the reminder cadence: hours before the start, and the evening-before time', () => {
    expect(loadConfig({})).toMatchObject({ reminderOffsetsHours: [48, 2], reminderEveningBeforeAt: '18:00' });
    expect(loadConfig({ REMINDER_OFFSETS_HOURS: '2, 72,24', REMINDER_EVENING_BEFORE_AT: '17:30' })).toMatchObject({
      reminderOffsetsHours: [72, 24, 2],
      reminderEveningBeforeAt: '17:30',
    });
    expect(loadConfig({ REMINDER_OFFSETS_HOURS: 'none' }).reminderOffsetsHours).toEqual([]);
  });

  it('holds a waitlist offer 15 minutes unless told', () => {
    expect([loadConfig({}).waitlistOfferMinutes, loadConfig({ WAITLIST_OFFER_MINUTES: '30' }).waitlistOfferMinutes]).toEqual([15, 30]);
  });

  it('keeps a FHIR $hold 10 minutes unless told', () => {
    expect([loadConfig({}).fhirHoldMinutes, loadConfig({ FHIR_HOLD_MINUTES: '5' }).fhirHoldMinutes]).toEqual([10, 5]);
  });

  it('allows private webhook targets by default only on the embedded database (a demo)', () => {
    expect(loadConfig({}).webhookAllowPrivate).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/clinic', JWT_SECRET: SECRET }).webhookAllowPrivate).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/clinic', JWT_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate).toBe(true);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'off' }).webhookAllowPrivate).toBe(false);
  });

  it('takes a test clock file only outside production, and only holding an instant', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'config-clock-')), 'now');
    writeFileSync(file, '2027-08-02T08:00:00-06:00');
    expect(loadConfig({}).testClockFile).toBeUndefined();
    expect(loadConfig({ TEST_CLOCK_FILE: file }).testClockFile).toBe(file);
    expect(() => loadConfig({ TEST_CLOCK_FILE: file, NODE_ENV: 'production' })).toThrow(/TEST_CLOCK_FILE is for tests/);
    expect(() => loadConfig({ TEST_CLOCK_FILE: join(file, 'missing') })).toThrow(ConfigError);
    writeFileSync(file, 'not a time');
    expect(() => loadConfig({ TEST_CLOCK_FILE: file })).toThrow(/TEST_CLOCK_FILE .*ISO-8601/);
  });
});
