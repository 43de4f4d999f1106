import cookie from '@fastify/cookie';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { findHostileInput } from './common/hostile-input';
import { requestIdFor, REQUEST_ID_HEADER } from './common/logging';
import { ProblemDetailsFilter, sendProblem } from './common/problem-details.filter';
import { createValidationPipe } from './common/validation';
import { configureFhirHttp, fhirErrorRenderer } from './fhir/fhir-http';
import { serveConsole } from './console/console-static';

/**
 * Errors Node's HTTP parser raises before Fastify routes anything (a request line or headers over the
 * size limit, garbage on the socket): answered as problem+json too, then the connection is closed.
 */
function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const title = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    detail: status === 431 ? 'The request line or headers are too large.' : 'The request could not be parsed.',
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Refusals Fastify's router makes before any route or filter: a malformed URL, an over-long path parameter. */
function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  const send = fhirErrorRenderer.matches(request.url) ? fhirErrorRenderer.send : sendProblem;
  send(reply, {
    type: 'about:blank',
    title: status === 414 ? 'URI Too Long' : 'Bad Request',
    status,
    detail: status === 414 ? 'A path parameter is too long.' : 'The URL is malformed.',
    errors: [{ field: 'path', message: status === 414 ? 'a path parameter is too long' : 'malformed URL' }],
  });
}

/** A path parameter is named by its own name, not `path.id`. */
function findInParams(params: unknown) {
  for (const [name, value] of Object.entries((params as Record<string, unknown>) ?? {})) {
    const finding = findHostileInput(value, name);
    if (finding) return finding;
  }
  return undefined;
}

/** The Fastify adapter every instance of the app uses (main.ts and the e2e tests). */
export function createFastifyAdapter(trustProxy: boolean | number | string = 'loopback,linklocal,uniquelocal'): FastifyAdapter {
  return new FastifyAdapter({
    logger: false,
    genReqId: requestIdFor,
    bodyLimit: 1_048_576,
    // Behind a load balancer: believe X-Forwarded-* only from the proxies TRUST_PROXY names, so that a
    // client cannot choose the address the login throttle counts.
    trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    clientErrorHandler,
    frameworkErrors,
  });
}

/**
 * Every route under /api, except health checks, FHIR at /fhir/R4 and calendar feeds at /ical, where their
 * clients expect them. Also used where the OpenAPI document is built without a database.
 */
export function setApiPrefix(app: NestFastifyApplication): void {
  app.setGlobalPrefix('api', { exclude: ['health', 'health/ready', 'fhir/R4/{*path}', 'ical/{*path}'] });
}

export function buildOpenApiDocument(app: NestFastifyApplication) {
  const config = new DocumentBuilder()
    .setTitle('Clinic scheduling API')
    .setDescription(
      'Scheduling backend for interventional psychiatry clinics (Spravato, IV ketamine, TMS, ECT). ' +
        'All errors are RFC 9457 problem+json. Times carry offsets; clinic-local dates are YYYY-MM-DD.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Everything an app instance needs besides its module: pipes, the problem+json filter, Swagger,
 * helmet, the request-id header and the staff console at `/`. Used by main.ts and by every e2e test.
 */
export async function bootstrap(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  setApiPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter([fhirErrorRenderer]));
  configureFhirHttp(app);

  // Errors raised by Fastify itself (malformed JSON, wrong content type, body too large) reach the
  // same filter: Nest maps them to HttpExceptions.
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    // Patient records, tokens and exports must not be kept by a browser or a shared cache (FHIR carries them too).
    if (request.url.startsWith('/api') || request.url.startsWith('/fhir/')) void reply.header('cache-control', 'no-store');
  });
  // Before any guard, pipe or query: a NUL character or absurd nesting is a 400 naming the field.
  fastify.addHook('preValidation', async (request, reply) => {
    const parts: Array<[unknown, string]> = [
      [request.params, 'path'],
      [request.query, 'query'],
      [request.body, 'body'],
    ];
    for (const [value, where] of parts) {
      const finding = where === 'path' ? findInParams(value) : findHostileInput(value, where);
      if (finding) {
        const send = fhirErrorRenderer.matches(request.url) ? fhirErrorRenderer.send : sendProblem;
        send(reply, { type: 'about:blank', title: 'Bad Request', status: 400, detail: `${finding.field}: ${finding.message}`, errors: [finding] });
        return reply;
      }
    }
  });

  await app.register(cookie);
  // Helmet's headers, built once: @fastify/helmet builds the middleware (and parses the CSP) on every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        // TLS ends at the load balancer, if anywhere: over plain http (docker compose on a LAN) an
        // upgrade would send Swagger UI's scripts to an https that is not there.
        upgradeInsecureRequests: null,
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, () => done()));

  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  await serveConsole(app);
  return app;
}
