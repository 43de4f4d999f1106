import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sendProblem } from '../common/problem-details.filter';

/** Paths the service answers itself: an unknown one stays a problem+json 404, never the console's page. */
const SERVICE_PREFIXES = ['/api', '/docs', '/health', '/fhir', '/ical'];

/** What Vite writes as the nonce of index.html's tags (web/vite.config.mts `html.cspNonce`). */
const NONCE_PLACEHOLDER = 'CONSOLE_CSP_NONCE';

/**
 * The console's own policy, stricter than the service-wide one (Swagger UI at /docs needs inline
 * styles): scripts only from files the service serves, never inline; styles from files, plus a
 * `<style>` element carrying this response's nonce (react-aria injects one, reading the nonce from
 * `<meta property="csp-nonce">`); data only from this origin.
 */
export function consoleCsp(nonce?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "script-src-attr 'none'",
    nonce ? `style-src 'self' 'nonce-${nonce}'` : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `dist/web` of the package the running file belongs to (dist/src/console, a test build, or src/ under jest). */
export function defaultConsoleRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'web');
}

function isServicePath(url: string): boolean {
  const path = url.split('?')[0];
  return SERVICE_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Serves the staff console (Vite's build of web/) at `/`: hashed files under /assets for a year,
 * index.html (with a fresh CSP nonce, never cached) for every other GET that is not one of the
 * service's own paths, so a reload of /nurse or /front-desk opens the console there. Registered in a
 * plugin scope of its own so the console's CSP and cache headers touch nothing else.
 */
export async function serveConsole(app: NestFastifyApplication, root = defaultConsoleRoot()): Promise<void> {
  const built = existsSync(join(root, 'index.html'));
  await app.register(async (scope: FastifyInstance) => {
    if (built) await scope.register(fastifyStatic, { root, serve: false, index: false, dotfiles: 'deny' });
    scope.addHook('onSend', async (_request, reply, payload) => {
      const current = reply.getHeader('content-security-policy');
      if (!(typeof current === 'string' && current.includes("'nonce-"))) void reply.header('content-security-policy', consoleCsp());
      return payload;
    });

    const notBuilt = (reply: FastifyReply) => {
      sendProblem(reply, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'The staff console is not built: run npm run build.' });
      return reply;
    };

    scope.get('/assets/*', async (request: FastifyRequest<{ Params: { '*': string } }>, reply) => {
      if (!built) return notBuilt(reply);
      return reply.sendFile(`assets/${request.params['*']}`, { immutable: true, maxAge: '365d' });
    });

    scope.get('/*', async (request: FastifyRequest<{ Params: { '*': string } }>, reply) => {
      if (isServicePath(request.url)) {
        reply.callNotFound();
        return reply;
      }
      if (!built) return notBuilt(reply);
      // Files Vite copies from web/public (the icon) sit at the top level; anything else is a console route.
      const file = request.params['*'];
      if (/^[\w.-]+\.(svg|ico|png|txt|webmanifest)$/.test(file) && existsSync(join(root, file))) {
        return reply.sendFile(file, { maxAge: '1d', immutable: false });
      }
      // Read on every request (a rebuild replaces it while the service runs); it is under 1 kB.
      const nonce = randomBytes(16).toString('base64');
      const html = (await readFile(join(root, 'index.html'), 'utf8')).replaceAll(NONCE_PLACEHOLDER, nonce);
      return reply.header('content-security-policy', consoleCsp(nonce)).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
    });
  });
}
