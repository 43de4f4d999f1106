import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { bootstrap, createFastifyAdapter } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { setUpEmbeddedRoles } from './database/database-roles';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const startedAt = Date.now();
  let embedded: EmbeddedDatabase | undefined;
  if (config.usesEmbeddedDatabase) {
    process.stdout.write(`Starting embedded PostgreSQL in ${config.embeddedDataDir} …\n`);
    embedded = await startEmbeddedPostgres(config.embeddedDataDir, () => undefined);
  }
  let app: NestFastifyApplication;
  try {
    // The embedded server makes its own owner and serving roles; a server database names them in the URLs.
    const roles = embedded ? await setUpEmbeddedRoles(embedded.url) : undefined;
    const databaseUrl = roles?.servingUrl ?? config.databaseUrl!;
    const migrationUrl = roles?.ownerUrl ?? config.databaseMigrationUrl;
    app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, databaseUrl, migrationUrl }), createFastifyAdapter(config.trustProxy), {
      bufferLogs: true,
    });
    await bootstrap(app);
    await app.listen({ port: config.port, host: '0.0.0.0' });
  } catch (error) {
    process.stderr.write(`Start-up failed: ${(error as Error)?.stack ?? String(error)}\n`);
    await embedded?.stop();
    process.exit(1);
  }

  const address = `http://localhost:${config.port}`;
  process.stdout.write(
    `Ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${address} (API docs: ${address}/docs)` +
      (config.demoSeed ? ' - demo logins admin|frontdesk|nurse|provider@demo.clinic, password demo-<role>\n' : '\n'),
  );

  // Graceful stop: Fastify stops accepting, in-flight requests finish, then the pool closes, then
  // the embedded server stops.
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: draining requests and shutting down\n`);
    const forceExit = setTimeout(() => process.exit(1), 25_000);
    forceExit.unref();
    // Keep-alive sockets that finish their last request after close() began would otherwise stay open
    // until their timeout: close each one as soon as it is idle.
    const server = app.getHttpServer();
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    try {
      await app.close();
      clearInterval(sweep);
      await embedded?.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
}

void main();
