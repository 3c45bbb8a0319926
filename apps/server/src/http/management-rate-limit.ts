import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../shared/errors.js';

interface Window {
  second: number;
  count: number;
}

/**
 * Management API requests per second per organization, as Contentstack limits them (its cloud
 * allows 10): a fixed one-second window per organization, counted in this process. Requests
 * that authenticate no one are left to their own limits (log-in, invitation links).
 */
export function managementRateLimit(perSecond: number, now: () => number = Date.now): (app: FastifyInstance) => void {
  if (perSecond === 0) return () => undefined;
  // One window per organization, shared by every scope the limit is registered in.
  const windows = new Map<string, Window>();
  return (app) => {
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const org = request.actor?.orgUid;
      if (org === undefined) return;
      const second = Math.floor(now() / 1000);
      let window = windows.get(org);
      if (window === undefined || window.second !== second) {
        window = { second, count: 0 };
        windows.set(org, window);
      }
      window.count += 1;
      reply.header('x-ratelimit-limit', String(perSecond));
      reply.header('x-ratelimit-remaining', String(Math.max(0, perSecond - window.count)));
      if (window.count > perSecond) {
        throw new RateLimitedError('personalize.RATE_LIMITED', `Too many requests: this organization may make ${perSecond} Management API requests per second.`, 1);
      }
    });
  };
}
