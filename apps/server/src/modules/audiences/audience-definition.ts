import { validateDefinition, type RuleCombination } from '@tailor/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { RuleViolationError, ValidationError, type ErrorIssue } from '../../shared/errors.js';
import { messagesByPath } from '../../shared/messages-by-path.js';
import { listCustomAttributes } from '../attributes/index.js';

/**
 * Validates a definition against the project's own attributes (so a uid from another project is
 * unknown) and its rule limit, reporting every problem with a `definition.…` path. Too many rules
 * answer Contentstack's code together with the paths.
 */
export async function checkDefinition(db: Kysely<Database>, projectUid: string, raw: unknown, maxRules: number): Promise<RuleCombination> {
  const attributes = await listCustomAttributes(db, projectUid);
  const catalog = { customAttributes: new Map(attributes.map((a) => [a.uid, { key: a.key, name: a.name }])) };
  const result = validateDefinition(raw, catalog, { maxRules });
  if (result.ok) return result.definition;
  const issues: ErrorIssue[] = result.issues.map((i) => ({ path: i.path === '' ? 'definition' : `definition.${i.path}`, message: i.message }));
  const tooMany = result.issues.find((i) => i.code === 'RULE_COUNT_EXCEEDED');
  if (tooMany) {
    const errors = messagesByPath(issues);
    throw new RuleViolationError('personalize.AUDIENCES.RULE_COUNT_EXCEEDED', `An audience may have at most ${maxRules} rules: ${tooMany.message}.`, { errors });
  }
  throw new ValidationError(issues);
}
