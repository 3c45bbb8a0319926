import type { FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../http/cookie-names.js';
import type { SessionResult } from './identity-service.js';
import { SESSION_TTL_MS } from './identity.js';

/**
 * Sets the console's session and CSRF cookies and answers the Contentstack login body. Shared by
 * every route that logs someone in (login, first-run setup, accepting an invitation).
 */
export function sendSession(request: FastifyRequest, reply: FastifyReply, session: SessionResult) {
  const secure = request.protocol === 'https';
  const maxAge = Math.floor(SESSION_TTL_MS / 1000);
  reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge });
  // Readable by the console's script on purpose: it echoes it in x-csrf-token.
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge });
  return {
    notice: 'Login Successful.',
    user: {
      uid: session.user.uid,
      email: session.user.email,
      firstName: session.user.firstName,
      lastName: session.user.lastName,
      authtoken: session.token,
    },
  };
}
