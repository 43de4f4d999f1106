import pino from 'pino';
import { loadConfig } from '../config/app-config';
import { loggerParams, redactUrl } from './logging';

describe('redactUrl', () => {
  it('keeps the path and the query keys but none of the values', () => {
    expect(redactUrl('/api/patients?search=Smith&limit=5')).toBe('/api/patients?search=[redacted]&limit=[redacted]');
    expect(redactUrl('/api/sms/outbox?to=%2B13035550100')).toBe('/api/sms/outbox?to=[redacted]');
    expect(redactUrl('/api/locations')).toBe('/api/locations');
  });

  it("hides a calendar feed's token, its only credential", () => {
    expect(redactUrl('/ical/Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG0.ics')).toBe('/ical/[redacted]');
  });
});

describe('loggerParams', () => {
  it('redacts patient fields and tokens wherever they appear', () => {
    const params = loggerParams(loadConfig({ LOG_LEVEL: 'info' }));
    const options = params.pinoHttp as Pick<pino.LoggerOptions, 'redact' | 'serializers' | 'base'>;
    const lines: string[] = [];
    const sut = pino({ redact: options.redact, serializers: options.serializers, base: options.base }, { write: (line: string) => lines.push(line) });
    sut.info(
      {
        patient: { firstName: 'Jane', lastName: 'Doe', dateOfBirth: '1980-01-01', phone: '+13035550100' },
        req: { id: 'r1', method: 'GET', url: '/api/patients?search=Doe', headers: { authorization: 'Bearer secret' } },
      },
      'request completed',
    );
    const line = lines.join('');
    for (const secret of ['Jane', 'Doe', '1980-01-01', '+13035550100', 'Bearer secret']) expect(line).not.toContain(secret);
    expect(JSON.parse(line).req).toEqual({ id: 'r1', method: 'GET', url: '/api/patients?search=[redacted]' });
    // Every line names the service, from the root logger's bindings (not a child logger per request).
    expect(JSON.parse(line)).toMatchObject({ service: 'clinic-scheduler', pid: process.pid });
  });
});
