import type { FastifyInstance } from 'fastify';
import { ValidationError, type ErrorIssue } from '../shared/errors.js';
import { unstorableInputIssues } from '../shared/unstorable-input.js';

function headerIssues(headers: Record<string, string | string[] | undefined>): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  for (const name in headers) issues.push(...unstorableInputIssues(headers[name], `headers.${name}`));
  return issues;
}

/**
 * The parts of a request outside its body, checked before any hook or route reads them: query
 * strings and path parameters (named as their schema failures are: the parameter alone), and
 * header values (`headers.<name>`, as the Edge API names its headers). Bodies are checked by the
 * JSON body parser; the rule is one (ADR 0081).
 */
export function registerRequestInputCheck(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const issues = [
      ...unstorableInputIssues(request.query, '', 'querystring'),
      ...unstorableInputIssues(request.params, '', 'params'),
      ...headerIssues(request.headers),
    ];
    done(issues.length > 0 ? new ValidationError(issues) : undefined);
  });
}
