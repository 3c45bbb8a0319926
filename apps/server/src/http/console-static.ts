import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** apps/server/{src,dist}/http → apps/web/dist */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/**
 * Serves the built console at `/`, with client-side routes falling back to index.html. Unknown
 * `/api` and `/edge` paths stay JSON 404s.
 */
export async function registerConsole(app: FastifyInstance, webDist = WEB_DIST): Promise<void> {
  const built = fs.existsSync(path.join(webDist, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    const isApi = url === '/api' || url.startsWith('/api/') || url === '/edge' || url.startsWith('/edge/');
    if (isApi || request.method !== 'GET') {
      return reply.status(404).send({ error: 'personalize.NOT_FOUND', message: `Cannot ${request.method} ${url}` });
    }
    if (!built) {
      return reply
        .status(404)
        .type('text/plain')
        .send('The console is not built. Run `npm run build` (npm start does it for you).');
    }
    const file = path.join(webDist, url);
    // Real asset files are served by @fastify/static's routes; anything else is a client route.
    if (url.startsWith('/assets/') && !fs.existsSync(file)) {
      return reply.status(404).type('text/plain').send('Not found');
    }
    return reply.type('text/html').sendFile('index.html');
  });
}
