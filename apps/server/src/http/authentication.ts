import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../shared/errors.js';
import type { Actor, IdentityService } from '../modules/identity/index.js';
import { assertSameOriginJson } from './browser-writes.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './cookie-names.js';

export { CSRF_COOKIE, SESSION_COOKIE };
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request carried a valid token; use `requireActor` in routes that need it. */
    actor: Actor | null;
    /** The raw token the request authenticated with (for logout). */
    authToken: string | null;
  }
}

function tokenFromHeaders(request: FastifyRequest): string | null {
  const authtoken = request.headers.authtoken;
  if (typeof authtoken === 'string' && authtoken !== '') return authtoken;
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization.toLowerCase().startsWith('bearer ')) {
    return authorization.slice(7).trim() || null;
  }
  return null;
}

/**
 * Resolves the caller from `authtoken`, `Authorization: Bearer` or the console's session cookie.
 * A write without a token header (log-in included) must be same-origin JSON, and a
 * cookie-authenticated one must also echo the session's CSRF token in `x-csrf-token`: a cookie is
 * sent by the browser on its own, a header only by our own script (ADR 0083).
 */
export function registerAuthentication(app: FastifyInstance, identity: IdentityService): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('authToken', null);
  app.addHook('onRequest', async (request) => {
    const headerToken = tokenFromHeaders(request);
    if (!headerToken && !SAFE_METHODS.has(request.method)) assertSameOriginJson(request);
    const cookieToken = request.cookies[SESSION_COOKIE] ?? null;
    const token = headerToken ?? cookieToken;
    if (!token) return;
    const session = await identity.authenticate(token);
    if (!session) {
      // A stale cookie is simply "logged out"; a bad explicit token is an error the caller must see.
      if (headerToken) throw new UnauthorizedError('personalize.AUTH.INVALID_TOKEN', 'The authtoken is invalid or has expired.');
      return;
    }
    if (!headerToken && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (sent !== session.csrfToken) {
        throw new ForbiddenError('personalize.AUTH.CSRF', 'Missing or invalid x-csrf-token header for a cookie-authenticated request.');
      }
    }
    request.actor = { ...session.actor, address: request.ip };
    request.authToken = token;
  });
  // Answers here are private (and log-ins carry a token): no browser or proxy cache may keep them.
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthorizedError();
  return request.actor;
}

/** The project of a Contentstack-style project-scoped call. */
export function projectUidFromHeader(request: FastifyRequest): string {
  const value = request.headers['x-project-uid'];
  if (typeof value !== 'string' || value === '') {
    throw ValidationError.single('x-project-uid', 'Expected the x-project-uid header with a project uid, received nothing.');
  }
  return value;
}
