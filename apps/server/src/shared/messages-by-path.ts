import type { ErrorIssue } from './errors.js';

/**
 * Issue messages grouped by path, as in a `{"errors":{…}}` body. Paths come from input (a key
 * named `constructor` or `toString`), so the map has no prototype whose members they could hit;
 * JSON serializes it as any object.
 */
export function messagesByPath(issues: readonly ErrorIssue[]): Record<string, string[]> {
  const errors = Object.create(null) as Record<string, string[]>;
  for (const issue of issues) (errors[issue.path] ??= []).push(issue.message);
  return errors;
}
