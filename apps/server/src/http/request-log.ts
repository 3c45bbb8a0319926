import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

const MAX_LOGGED_URL = 256;

/**
 * One line per request, written when it ends (REQUEST_LOG, ADR 0087): `errors` (the default)
 * logs answers of 400 and above and requests slower than SLOW_REQUEST_MS; `all` logs every
 * request; `off` none. Fastify's own two lines per request are turned off in buildApp.
 */
export function registerRequestLog(app: FastifyInstance, options: Config['requestLog']): void {
  if (options.mode === 'off') return;
  const everything = options.mode === 'all';
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    const slow = ms >= options.slowMs;
    if (everything || status >= 400 || slow) {
      const line = {
        method: request.method,
        url: request.url.length > MAX_LOGGED_URL ? `${request.url.slice(0, MAX_LOGGED_URL)}…` : request.url,
        route: request.routeOptions.url ?? null,
        status,
        ms: Math.round(ms * 10) / 10,
        ip: request.ip,
      };
      // A 5xx's error and stack are logged by the error handler under the same reqId.
      // 503 is a refusal with Retry-After (an outage, an overload), already logged once as a warning.
      if (status === 503) request.log.warn(line, 'request refused: unavailable');
      else if (status >= 500) request.log.error(line, 'request failed');
      else if (slow) request.log.warn(line, 'slow request');
      else request.log.info(line, 'request');
    }
    done();
  });
}
