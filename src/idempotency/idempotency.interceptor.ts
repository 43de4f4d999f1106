import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { AuthenticatedUser } from '../common/actor';
import { DomainError, InvalidInput, ProblemDetails, RuleViolation } from '../common/problems';
import { IdempotencyRepository } from './idempotency.repository';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Key order does not change what a body means. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super(422, 'Unprocessable Content', 'This Idempotency-Key was already used with a different request body.');
  }
}

/** The refusal stored with a key, answered again. */
class ReplayedRefusal extends DomainError {
  constructor(private readonly problem: ProblemDetails) {
    super(problem.status, problem.title, problem.detail);
  }

  override toProblem(): ProblemDetails {
    return this.problem;
  }
}

/** Responses worth replaying: successes and rule refusals. Bad input and server errors free the key. */
const storable = (status: number) => status < 300 || status === 409;

/**
 * `Idempotency-Key` on every creating POST: the same key and body return the first response again and
 * create nothing new; the same key with another body is a 422. Keys are per user and kept 24 hours.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly keys: IdempotencyRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedUser }>();
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || header === undefined || !request.user) return next.handle();
    return from(this.handle(context, next, request, header));
  }

  private async handle(
    context: ExecutionContext,
    next: CallHandler,
    request: FastifyRequest & { user?: AuthenticatedUser },
    header: string | string[],
  ): Promise<unknown> {
    const key = Array.isArray(header) ? header[0] : header;
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw InvalidInput.field('Idempotency-Key', 'must be 1 to 200 visible ASCII characters');
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const actorId = request.user!.id;
    const scope = `${request.method} ${request.routeOptions?.url ?? request.url}`;
    const hash = createHash('sha256')
      .update(`${request.url}\n${JSON.stringify(canonical(request.body ?? null))}`)
      .digest('hex');

    const stored = await this.keys.claim(actorId, key, scope, hash);
    if (stored) {
      if (stored.requestHash !== hash || stored.scope !== scope) throw new IdempotencyKeyReused();
      if (stored.statusCode === null) {
        throw new RuleViolation('idempotency-in-progress', 'A request with this Idempotency-Key is still being processed; retry shortly.');
      }
      void reply.header('idempotent-replayed', 'true');
      // A refusal is replayed through the exception filter, which writes it as the route's interface does
      // (problem+json under /api, an OperationOutcome under /fhir).
      if (stored.statusCode >= 400) throw new ReplayedRefusal(stored.response as ProblemDetails);
      void reply.status(stored.statusCode);
      return stored.response;
    }

    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.keys.complete(actorId, key, reply.statusCode, body);
      return body;
    } catch (error) {
      const status = error instanceof DomainError ? error.status : error instanceof HttpException ? error.getStatus() : 500;
      if (storable(status) && error instanceof DomainError) {
        await this.keys.complete(actorId, key, status, error.toProblem());
      } else {
        await this.keys.release(actorId, key);
      }
      throw error;
    }
  }
}
