import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** apps/server/{src,dist}/http → apps/web/dist */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** Paths that belong to the server, never to the console: unknown ones are JSON 404s. */
const SERVER_PREFIXES = ['/api', '/edge', '/v3', '/metrics', '/healthz', '/readyz', '/assets', '/.well-known'];

/** Vite names every built asset after its content hash: a changed file is a new URL. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and unhashed files: cached, but revalidated on every use. */
const REVALIDATE = 'no-cache';

function underPrefix(url: string, prefix: string): boolean {
  return url === prefix || url.startsWith(`${prefix}/`);
}

/**
 * Whether a request is a browser navigating to one of the console's client-side routes: a GET
 * for HTML, outside the server's prefixes, and not a file (no extension in the last segment).
 * Scrapers, SDKs and scripts that ask for anything else get a JSON 404 instead of a web page.
 */
export function isConsoleNavigation(method: string, url: string, accept: string | undefined): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (SERVER_PREFIXES.some((prefix) => underPrefix(url, prefix))) return false;
  const last = url.slice(url.lastIndexOf('/') + 1);
  if (last.includes('.')) return false;
  return accept !== undefined && accept.includes('text/html');
}

function notFound(request: FastifyRequest, reply: FastifyReply, url: string) {
  return reply.status(404).send({ error: 'personalize.NOT_FOUND', message: `Cannot ${request.method} ${url}` });
}

/**
 * Serves the built console at `/`: hashed assets precompressed (brotli, gzip) and cached for a
 * year, index.html revalidated, client-side routes falling back to index.html.
 */
export async function registerConsole(app: FastifyInstance, webDist = WEB_DIST): Promise<void> {
  const built = fs.existsSync(path.join(webDist, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: ['index.html'],
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, file) => {
        const hashed = path.relative(webDist, file).startsWith(`assets${path.sep}`);
        reply.header('cache-control', hashed ? IMMUTABLE : REVALIDATE);
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (!isConsoleNavigation(request.method, url, request.headers.accept)) return notFound(request, reply, url);
    if (!built) {
      return reply
        .status(404)
        .type('text/plain')
        .send('The console is not built. Run `npm run build` (npm start does it for you).');
    }
    return reply.header('cache-control', REVALIDATE).type('text/html').sendFile('index.html');
  });
}
