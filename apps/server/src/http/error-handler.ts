import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, UnavailableError, type ErrorIssue } from '../shared/errors.js';

const STATUS_BY_KIND: Record<DomainError['kind'], number> = {
  validation: 400,
  rule: 400,
  limit: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

/** `/definition/rules/1/value` → `definition.rules[1].value` (the path style of decisions.md §5). */
export function toJsonPath(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

export function issuesToBody(issues: readonly ErrorIssue[]): { errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path === '' ? 'body' : issue.path;
    (errors[key] ??= []).push(issue.message);
  }
  return { errors };
}

function domainErrorBody(error: DomainError): Record<string, unknown> {
  if (error.kind === 'validation' && 'issues' in error) {
    return issuesToBody(error.issues as ErrorIssue[]);
  }
  const code = 'code' in error && typeof error.code === 'string' ? error.code : 'personalize.ERROR';
  return { error: code, message: error.message, ...(error.details ?? {}) };
}

/**
 * The one error handler: domain errors → decisions.md §5 bodies; schema failures → a path per
 * problem; anything unexpected → 500 whose body shows only the request id.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof DomainError) {
      if (error instanceof UnavailableError) reply.header('retry-after', String(error.retryAfterSeconds));
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
