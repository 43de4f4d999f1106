import { RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

/** Field names that hold patient data; pino replaces their values wherever they appear in a log object. */
const PATIENT_FIELDS = ['firstName', 'lastName', 'dateOfBirth', 'phone', 'from', 'to', 'body', 'search', 'email', 'password'];

export const REQUEST_ID_HEADER = 'x-request-id';

/** One id per request: the caller's x-request-id when it is sane, else a new UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
  req.headers[REQUEST_ID_HEADER] = id;
  return id;
}

/**
 * The path without query values (a query may carry a patient's name or phone: search=, to=) and without a
 * calendar feed's token (the only credential of /ical/<token>.ics).
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const [rawPath, query] = url.split('?', 2);
  const path = rawPath.replace(/^\/ical\/[^/]+/, '/ical/[redacted]');
  if (!query) return path;
  const keys = query.split('&').map((pair) => pair.split('=')[0]);
  return `${path}?${keys.map((key) => `${key}=[redacted]`).join('&')}`;
}

export function loggerParams(config: AppConfig): Params {
  return {
    // Every route, in Nest 11's path syntax (the default '*' is refused by its router).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req) => (req.headers[REQUEST_ID_HEADER] as string) ?? requestIdFor(req),
      // A base binding of the root logger, not customProps: those cost a child logger per request.
      base: { pid: process.pid, hostname: hostname(), service: 'clinic-scheduler' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-twilio-signature"]',
          ...PATIENT_FIELDS.flatMap((field) => [field, `*.${field}`]),
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      // Lines logged during a request carry its `req` (id, method, path) from the one child logger pino-http makes.
      quietReqLogger: false,
    },
  };
}
