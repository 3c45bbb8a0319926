import { validateDefinition, type RuleCombination } from '@tailor/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { RuleViolationError, ValidationError, type ErrorIssue } from '../../shared/errors.js';
import { listCustomAttributes } from '../attributes/index.js';

// PostgreSQL jsonb cannot hold U+0000 in strings; refuse it on both dialects alike.
function nulPaths(value: unknown, path: string): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulPaths(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => nulPaths(v, `${path}.${k}`));
  return [];
}

/**
 * Validates a definition against the project's own attributes (so a uid from another project is
 * unknown) and its rule limit, reporting every problem with a `definition.…` path. Too many rules
 * answer Contentstack's code together with the paths.
 */
export async function checkDefinition(db: Kysely<Database>, projectUid: string, raw: unknown, maxRules: number): Promise<RuleCombination> {
  const attributes = await listCustomAttributes(db, projectUid);
  const catalog = { customAttributes: new Map(attributes.map((a) => [a.uid, { key: a.key, name: a.name }])) };
  const result = validateDefinition(raw, catalog, { maxRules });
  if (result.ok) {
    const nul = nulPaths(result.definition, 'definition');
    if (nul.length > 0) throw new ValidationError(nul.map((path) => ({ path, message: 'expected text without NUL (U+0000) characters, received a string containing one' })));
    return result.definition;
  }
  const issues: ErrorIssue[] = result.issues.map((i) => ({ path: i.path === '' ? 'definition' : `definition.${i.path}`, message: i.message }));
  const tooMany = result.issues.find((i) => i.code === 'RULE_COUNT_EXCEEDED');
  if (tooMany) {
    const errors: Record<string, string[]> = {};
    for (const issue of issues) (errors[issue.path] ??= []).push(issue.message);
    throw new RuleViolationError('personalize.AUDIENCES.RULE_COUNT_EXCEEDED', `An audience may have at most ${maxRules} rules: ${tooMany.message}.`, { errors });
  }
  throw new ValidationError(issues);
}
