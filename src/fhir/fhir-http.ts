import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { ProblemDetails } from '../common/problems';
import { operationOutcomeOf } from './domain/operation-outcome';

export const FHIR_PREFIX = '/fhir/';
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

const isFhir = (url: string | undefined) => url?.startsWith(FHIR_PREFIX) ?? false;

/** An error under /fhir answered as FHIR does: an OperationOutcome with the same status. */
export const fhirErrorRenderer = {
  matches: isFhir,
  send(reply: FastifyReply, problem: ProblemDetails): void {
    if (problem.status === 503) void reply.header('retry-after', '1');
    void reply
      .status(problem.status)
      .header('content-type', FHIR_JSON)
      .send(
        operationOutcomeOf({
          status: problem.status,
          detail: problem.detail,
          errors: problem.errors,
          rule: typeof problem.rule === 'string' ? problem.rule : undefined,
          conflicts: Array.isArray(problem.conflicts) ? problem.conflicts : undefined,
        }),
      );
  },
};

/**
 * What FHIR clients expect of HTTP under /fhir: request bodies as application/fhir+json, and every answer
 * (a resource, a Bundle, an OperationOutcome, a replayed Idempotency-Key answer) as application/fhir+json.
 */
export function configureFhirHttp(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify's own JSON parser (malformed JSON is a 400, __proto__ refused). Not app.useBodyParser: that would
  // stop Nest from registering its JSON and form parsers (the SMS webhooks post forms).
  fastify.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'));
  fastify.addHook('onSend', async (request, reply) => {
    if (isFhir(request.url) && String(reply.getHeader('content-type') ?? '').startsWith('application/json')) void reply.header('content-type', FHIR_JSON);
  });
}
