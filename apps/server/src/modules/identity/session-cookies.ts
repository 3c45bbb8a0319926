import type { FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_COOKIE, DEVICE_COOKIE, SESSION_COOKIE } from '../../http/cookie-names.js';
import { KNOWN_DEVICE_TTL_MS, type LoginClient, type SessionResult } from './identity-service.js';
import { SESSION_TTL_MS } from './identity.js';

/** The client of a log-in attempt: its address (through trusted proxies only) and known-device cookie. */
export function loginClient(request: FastifyRequest): LoginClient {
  return { address: request.ip, deviceToken: request.cookies[DEVICE_COOKIE] ?? null };
}

/**
 * Sets the console's session and CSRF cookies and answers the Contentstack login body. Shared by
 * every route that logs someone in (login, first-run setup, accepting an invitation).
 */
export function sendSession(request: FastifyRequest, reply: FastifyReply, session: SessionResult) {
  // `protocol` is https when the connection was TLS or a trusted proxy said it was (TRUST_PROXY).
  const secure = request.protocol === 'https';
  const maxAge = Math.floor(SESSION_TTL_MS / 1000);
  reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge });
  // Readable by the console's script on purpose: it echoes it in x-csrf-token.
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge });
  if (session.deviceToken !== null) {
    // Only log-in routes read it; logging out keeps it, as the browser stays one that knew the password.
    const deviceMaxAge = Math.floor(KNOWN_DEVICE_TTL_MS / 1000);
    reply.setCookie(DEVICE_COOKIE, session.deviceToken, { path: '/api', httpOnly: true, sameSite: 'strict', secure, maxAge: deviceMaxAge });
  }
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
