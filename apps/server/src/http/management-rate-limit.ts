import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LimitStore } from '../limits/limit-store.js';
import { RateLimitedError } from '../shared/errors.js';

/**
 * Management API requests per second per organization, as Contentstack limits them (its cloud
 * allows 10): a fixed window per wall-clock second per organization, in the app's limit store, so
 * shared by every instance with REDIS_URL (ADR 0097). Requests that authenticate no one are left
 * to their own limits (log-in, invitation links).
 */
export function managementRateLimit(perSecond: number, store: LimitStore, now: () => number = Date.now): (app: FastifyInstance) => void {
  if (perSecond === 0) return () => undefined;
  return (app) => {
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const org = request.actor?.orgUid;
      if (org === undefined) return;
      // The second is in the key, so the store's clock (the app's, fixed in tests) never decides
      // when it ends; the key outlives it a little for instances whose clocks differ slightly.
      const { count } = await store.increment(`mgmt:${org}:${Math.floor(now() / 1000)}`, 2000);
      reply.header('x-ratelimit-limit', String(perSecond));
      reply.header('x-ratelimit-remaining', String(Math.max(0, perSecond - count)));
      if (count > perSecond) {
        throw new RateLimitedError('personalize.RATE_LIMITED', `Too many requests: this organization may make ${perSecond} Management API requests per second.`, 1);
      }
    });
  };
}
