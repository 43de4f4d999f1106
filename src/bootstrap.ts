import helmet from '@fastify/helmet';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { requestIdFor, REQUEST_ID_HEADER } from './common/logging';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { createValidationPipe } from './common/validation';

/** The Fastify adapter every instance of the app uses (main.ts and the e2e tests). */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    logger: false,
    genReqId: requestIdFor,
    bodyLimit: 1_048_576,
    // Behind a load balancer: trust X-Forwarded-* for the client address and protocol.
    trustProxy: true,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
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
 * helmet and the request-id header. Used by main.ts and by every e2e test.
 */
export async function bootstrap(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: ['health', 'health/ready'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  // Errors raised by Fastify itself (malformed JSON, wrong content type, body too large) reach the
  // same filter: Nest maps them to HttpExceptions.
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
      },
    },
  });

  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}
