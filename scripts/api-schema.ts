import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppModule } from '../src/app.module';
import { buildOpenApiDocument, createFastifyAdapter, setApiPrefix } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';

function packageRoot(dir = __dirname): string {
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Where the console's typed client reads the API's types from (committed, so a build needs no database). */
export const API_SCHEMA_FILE = join(packageRoot(), 'web', 'src', 'api', 'schema.d.ts');

/**
 * The OpenAPI document as the service serves it at /docs-json, without a database: Nest's preview
 * mode resolves the module graph (controllers and their metadata) but instantiates no provider.
 */
export async function openApiDocumentWithoutDatabase(): Promise<OpenAPIObject> {
  const config = loadConfig({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', JWT_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, databaseUrl: config.databaseUrl! }), createFastifyAdapter(), {
    preview: true,
    logger: false,
  });
  try {
    // As bootstrap() does; the rest of bootstrap needs live providers.
    setApiPrefix(app);
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
