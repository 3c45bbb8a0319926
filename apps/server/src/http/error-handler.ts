import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DATABASE_UNAVAILABLE, databaseUnavailableError, isDatabaseUnavailable } from '../db/database-unavailable.js';
import { DomainError, RateLimitedError, UnavailableError, type ErrorIssue } from '../shared/errors.js';
import { messagesByPath } from '../shared/messages-by-path.js';

const STATUS_BY_KIND: Record<DomainError['kind'], number> = {
  validation: 400,
  rule: 400,
  limit: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

/** `/definition/rules/1/value` → `definition.rules[1].value` (the path style of docs/api-conventions.md, "Errors"). */
export function toJsonPath(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

export function issuesToBody(issues: readonly ErrorIssue[]): { errors: Record<string, string[]> } {
  return { errors: messagesByPath(issues.map((issue) => (issue.path === '' ? { ...issue, path: 'body' } : issue))) };
}

function domainErrorBody(error: DomainError): Record<string, unknown> {
  if (error.kind === 'validation' && 'issues' in error) {
    return issuesToBody(error.issues as ErrorIssue[]);
  }
  const code = 'code' in error && typeof error.code === 'string' ? error.code : 'personalize.ERROR';
  return { error: code, message: error.message, ...(error.details ?? {}) };
}

/**
 * The one error handler: domain errors → docs/api-conventions.md, "Errors" bodies; schema failures → a path per
 * problem; an unreachable database → 503 to retry; anything unexpected → 500 whose body shows only the request id.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // Every request fails alike while the database is away: one warning each, without a stack,
    // and the client is told when to retry instead of seeing a 500. An error with a status is
    // Fastify's (an aborted upload is an ECONNRESET too), never the database's.
    const fromDatabase = error.statusCode === undefined && isDatabaseUnavailable(error);
    const unavailable = error instanceof UnavailableError && error.code === DATABASE_UNAVAILABLE ? error : fromDatabase ? databaseUnavailableError(error) : undefined;
    if (unavailable !== undefined) {
      request.log.warn({ code: DATABASE_UNAVAILABLE }, unavailable.message);
      reply.header('retry-after', String(unavailable.retryAfterSeconds));
      return reply.status(503).send(domainErrorBody(unavailable));
    }
    if (error instanceof DomainError) {
      if (error instanceof UnavailableError || error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.status(STATUS_BY_KIND[error.kind]).send(domainErrorBody(error));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = error.validationContext ?? 'body';
      const issues = error.validation.map((v) => {
        const segments = v.instancePath.split('/').filter((s) => s !== '');
        const path = toJsonPath(segments);
        return { path: path === '' ? context : path, message: v.message ?? 'is invalid' };
      });
      return reply.status(400).send(issuesToBody(issues));
    }
    if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({
        error: 'personalize.REQUEST.BODY_TOO_LARGE',
        message: `The request body is larger than the limit of ${request.routeOptions.bodyLimit ?? 0} bytes.`,
      });
    }
    if (error.statusCode === 429) {
      return reply.status(429).send({ error: 'personalize.RATE_LIMITED', message: error.message });
    }
    if (!isResponseSerializationError(error) && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ error: 'personalize.BAD_REQUEST', message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({
      error: 'personalize.INTERNAL_ERROR',
      message: `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
    });
  });
}

/**
 * Errors Fastify's router raises before any hook runs (a path segment over the parameter limit,
 * a malformed percent-escape): Tailor's shape instead of Fastify's own `FST_ERR_…` body.
 */
export function frameworkErrorReply(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(414).send({
      error: 'personalize.REQUEST.URI_TOO_LONG',
      message: 'A segment of the request path is longer than the limit of 200 characters.',
    });
    return;
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send(issuesToBody([{ path: 'url', message: 'Expected a path with valid percent-escapes, received one that cannot be decoded.' }]));
    return;
  }
  void reply.status(400).send({ error: 'personalize.BAD_REQUEST', message: 'The request could not be routed.' });
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'personalize.REQUEST.TIMEOUT', message: 'The request was not received in time.' },
  HPE_HEADER_OVERFLOW: { status: 431, code: 'personalize.REQUEST.HEADERS_TOO_LARGE', message: 'The request headers are larger than the server accepts.' },
};

/** Requests Node's HTTP parser rejects never reach Fastify: answered on the socket, in Tailor's shape. */
export function clientErrorReply(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, code: 'personalize.BAD_REQUEST', message: 'The request is not valid HTTP.' };
  const body = JSON.stringify({ error: known.code, message: known.message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
