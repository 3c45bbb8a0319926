import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../shared/errors.js';
import { unstorableJsonIssues } from '../shared/unstorable-input.js';

/**
 * Accept JSON whatever the Content-Type says: the edge SDK sends `text/plain;charset=UTF-8` and
 * the CLI sends `application/json` even on GETs with an empty body. Text and keys Tailor cannot
 * store as sent are refused here, for every route at once, with their paths (ADR 0081).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unreadable';
      done(ValidationError.single('body', `Expected a JSON document, received malformed JSON (${reason}).`), undefined);
      return;
    }
    const unstorable = unstorableJsonIssues(text, parsed, '', 'body');
    if (unstorable.length > 0) done(new ValidationError(unstorable), undefined);
    else done(null, parsed);
  });
}
