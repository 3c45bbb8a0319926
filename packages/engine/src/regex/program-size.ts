import type { Rule, RuleCombination } from '../types.js';
import { sharedSafeRegex } from './shared-regex.js';

/** The most regex instructions one project's audiences may hold together (ADR 0080). */
export const MAX_PROJECT_REGEX_PROGRAM = 50_000;

/**
 * Instructions the MATCHES_REGEX rules of some definitions compile to, each distinct pattern
 * (and case) once, as snapshots share them. A project's total is bounded when an audience is saved.
 */
export function regexProgramSize(definitions: Iterable<RuleCombination>): number {
  const seen = new Set<string>();
  let total = 0;
  const walk = (node: Rule | RuleCombination): void => {
    if (node.__type === 'RuleCombination') {
      for (const child of node.rules) walk(child);
      return;
    }
    if (node.attributeMatchCondition !== 'MATCHES_REGEX') return;
    const o = node.attributeMatchOptions as { pattern?: unknown; caseSensitive?: unknown } | undefined;
    if (typeof o?.pattern !== 'string') return;
    const ci = o.caseSensitive !== true;
    const key = `${ci ? 'i' : 's'}${o.pattern}`;
    if (seen.has(key)) return;
    seen.add(key);
    try {
      total += sharedSafeRegex(o.pattern, ci).size;
    } catch {
      // Validation refuses such patterns before anything is saved.
    }
  };
  for (const definition of definitions) walk(definition);
  return total;
}
