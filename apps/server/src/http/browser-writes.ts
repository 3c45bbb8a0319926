import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../shared/errors.js';

const CSRF = 'personalize.AUTH.CSRF';

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'));
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The one rule for writes a browser could be tricked into sending (ADR 0083): every write that is
 * not authenticated by an explicit token header — log-in, first-run setup, accepting an
 * invitation, and every cookie-authenticated write — must be same-origin JSON.
 *
 * - A body must be `application/json`: a cross-site HTML form can only send urlencoded,
 *   multipart or text/plain bodies, and any other type needs a CORS preflight Tailor never grants.
 * - When the browser says where the request comes from, it must be this site: `Sec-Fetch-Site`
 *   (`same-origin`, or `none` for one the user typed), else `Origin` against the request's host.
 *
 * Cookie-authenticated writes must also echo the session's CSRF token (checked by the caller).
 */
export function assertSameOriginJson(request: FastifyRequest): void {
  if (hasBody(request) && !isJson(request.headers['content-type'])) {
    throw new ForbiddenError(CSRF, 'A request without an authtoken header must send its body as Content-Type: application/json.');
  }
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    if (site === 'same-origin' || site === 'none') return;
    throw new ForbiddenError(CSRF, `Cross-site request refused (Sec-Fetch-Site: ${site.slice(0, 40)}).`);
  }
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return;
  let host: string | null;
  try {
    host = origin === 'null' ? null : new URL(origin).host;
  } catch {
    host = null;
  }
  if (host === null || host.toLowerCase() !== request.host.toLowerCase()) {
    throw new ForbiddenError(CSRF, 'Cross-site request refused: its Origin is not this server.');
  }
}
