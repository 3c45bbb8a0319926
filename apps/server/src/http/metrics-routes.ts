import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from '../observability/server-metrics.js';
import { UnauthorizedError } from '../shared/errors.js';

export const METRICS_UNAUTHORIZED = 'personalize.METRICS.UNAUTHORIZED';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether `header` is `Bearer <token>`, compared in constant time (digests are of equal length whatever was sent). */
function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  const sent = digest(match?.[1] ?? '');
  return timingSafeEqual(sent, expected) && match !== null;
}

/**
 * Records every response's duration in the metrics (one histogram sample in an onResponse
 * hook, after the response is sent) and serves `GET /metrics` at the root, beside /healthz:
 * outside /api and /edge, not in OpenAPI, not rate limited. With `token` (METRICS_TOKEN) a
 * scrape needs `Authorization: Bearer <token>`; without, it is open.
 */
export function registerMetricsRoutes(app: FastifyInstance, metrics: ServerMetrics, token: string | null): void {
  app.addHook('onResponse', (request, reply, done) => {
    // The route's pattern, never the raw URL, so the label's values are bounded by the routes.
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    metrics.requestFinished(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  const expected = token === null ? null : digest(token);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (expected !== null && !bearerMatches(request.headers.authorization, expected)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedError(METRICS_UNAUTHORIZED, 'Expected the Authorization header "Bearer <METRICS_TOKEN>".');
    }
    return reply.type(metrics.contentType).send(await metrics.scrape());
  });
}
