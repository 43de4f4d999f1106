import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError, FieldError, ProblemDetails } from './problems';

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** Thrown by the ValidationPipe's exceptionFactory; carries the field list. */
export class ValidationFailed extends HttpException {
  constructor(readonly errors: FieldError[]) {
    super('Validation failed', HttpStatus.BAD_REQUEST);
  }
}

function camelCase(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

interface PgError {
  code?: string;
  detail?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);

function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && (CONNECTION_ERROR_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  const message = e.message ?? '';
  return (
    message.includes('Connection terminated') ||
    message.includes('timeout exceeded when trying to connect') ||
    message.includes('Client has encountered a connection error') ||
    message.includes('Connection ended unexpectedly')
  );
}

/** Maps a PostgreSQL error to a problem, or undefined when it is not an expected one. */
export function problemFromDatabaseError(error: unknown): ProblemDetails | undefined {
  const pg: PgError = error instanceof QueryFailedError ? (error.driverError as PgError) : (error as PgError);
  const code = pg?.code;
  if (isConnectionError(error) || isConnectionError(pg)) {
    return problem(503, 'The database is unavailable; try again shortly.');
  }
  switch (code) {
    case 'CL001':
      return problem(409, 'The resource was just booked by someone else for part of that time.', { rule: 'resource-overlap' });
    case '23P01':
      return problem(409, `The change overlaps an existing booking (${pg.constraint ?? 'exclusion constraint'}).`, {
        rule: pg.constraint ?? 'overlap',
      });
    case '23505':
      return problem(409, `A record with the same unique value already exists (${pg.constraint ?? 'unique'}).`, {
        rule: pg.constraint ?? 'unique',
      });
    case '23503': {
      const key = /Key \(([^)]+)\)/.exec(pg.detail ?? '')?.[1];
      const field = key ? camelCase(key.split(',')[0].trim()) : 'id';
      if (pg.detail?.includes('is still referenced')) {
        return problem(409, 'The record is still in use and cannot be removed.', { rule: pg.constraint ?? 'in-use' });
      }
      return problem(400, `${field} refers to a record that does not exist.`, {
        errors: [{ field, message: 'refers to a record that does not exist' }],
      });
    }
    case '23514':
      return problem(400, `A value is outside what is allowed (${pg.constraint ?? 'check'}).`, {
        errors: [{ field: pg.column ? camelCase(pg.column) : (pg.constraint ?? 'body'), message: 'value not allowed' }],
      });
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
      return problem(400, 'A value has the wrong format or is out of range.');
    case '40001':
    case '40P01':
    case '55P03':
    case '57014':
      return problem(503, 'The request collided with concurrent changes; try again.');
    default:
      return undefined;
  }
}

function problem(status: number, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  return {
    type: extensions.rule ? `/problems/${String(extensions.rule)}` : 'about:blank',
    title: REASON[status] ?? 'Error',
    status,
    detail,
    ...extensions,
  };
}

/** Turns every error into RFC 9457 problem+json; unknown errors are a generic 500, detailed only in the log. */
export function toProblem(error: unknown, logger: Logger, url?: string): ProblemDetails {
  if (error instanceof DomainError) return error.toProblem();
  if (error instanceof ValidationFailed) {
    return problem(400, error.errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors: error.errors });
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? (response as { message: string[] }).message.join('; ')
          : String((response as { message?: unknown }).message ?? error.message);
    // Fastify's own refusals (malformed JSON, wrong content type, body too large) concern the body.
    const extensions = status === 400 || status === 413 || status === 415 ? { errors: [{ field: 'body', message }] } : {};
    return problem(status, message, extensions);
  }
  const fromDatabase = problemFromDatabaseError(error);
  if (fromDatabase) {
    if (fromDatabase.status >= 500) logger.warn(`${url ?? ''}: ${(error as Error)?.message}`);
    return fromDatabase;
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), url);
  return problem(500, 'An unexpected error occurred. It has been logged.');
}

export function sendProblem(reply: FastifyReply, body: ProblemDetails): void {
  if (typeof body.retryAfter === 'number') void reply.header('retry-after', String(body.retryAfter));
  else if (body.status === 503) void reply.header('retry-after', '1');
  void reply.status(body.status).header('content-type', 'application/problem+json; charset=utf-8').send(body);
}

/**
 * Another way to answer an error, for the requests it matches (FHIR answers OperationOutcomes under /fhir):
 * the same problem, mapped once, written in that interface's own format.
 */
export interface ProblemRenderer {
  matches(url: string | undefined): boolean;
  send(reply: FastifyReply, problem: ProblemDetails): void;
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly renderers: ProblemRenderer[] = []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const problem = toProblem(exception, this.logger, request?.routeOptions?.url);
    const renderer = this.renderers.find((r) => r.matches(request?.url));
    if (renderer) renderer.send(reply, problem);
    else sendProblem(reply, problem);
  }
}
