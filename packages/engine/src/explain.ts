import { CONDITIONS } from './conditions.js';
import { attributeReader, ruleValueTest } from './rule-tree-compile.js';
import type { AttributeCatalog, MatchCondition, Rule, RuleCombination, VisitorContext } from './types.js';
import { isMissing } from './values.js';
import { attributeName, describeOptions } from './summarize.js';

/** Why a group or rule matched or not, for the "test this audience" panel. */
export interface Explanation {
  matched: boolean;
  /** Path of the node from the definition root, as in validation issues ("" = root). */
  path: string;
  kind: 'group' | 'rule';
  combinationType?: 'AND' | 'OR';
  condition?: MatchCondition;
  /** Custom attribute key or preset key. */
  attribute?: string;
  /** The raw value the rule read (the page URL for QUERY_PARAMETERS, `now` for DATE_AND_TIME). */
  actual?: unknown;
  reason: string;
  children?: Explanation[];
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function explainRule(rule: Rule, catalog: AttributeCatalog, visitor: VisitorContext, path: string): Explanation {
  const reader = attributeReader(rule, catalog);
  const actual = reader.read(visitor);
  const raw = ruleValueTest(rule)(actual);
  const matched = rule.invertCondition ? !raw : raw;
  const meta = CONDITIONS[rule.attributeMatchCondition];
  const label = rule.invertCondition ? meta.negatedLabel : meta.label;
  const opts = describeOptions(rule.attributeMatchCondition, rule.attributeMatchOptions);
  // Sentences use the names people gave attributes; `attribute` keeps the key for programs.
  const name = attributeName(rule, catalog);
  const expectation = `${name} ${label}${opts === '' ? '' : ` ${opts}`}`;
  let reason: string;
  if (isMissing(actual)) {
    reason = `${name} has no value, so the condition is false${rule.invertCondition ? ' and its inversion is true' : ''} (expected ${expectation})`;
  } else {
    reason = `${name} is ${show(actual)}: ${matched ? 'satisfies' : 'does not satisfy'} "${expectation}"`;
  }
  return { matched, path, kind: 'rule', condition: rule.attributeMatchCondition, attribute: reader.name, actual, reason };
}

function explainGroup(group: RuleCombination, catalog: AttributeCatalog, visitor: VisitorContext, path: string): Explanation {
  // Every child is evaluated (no short-circuit) so the panel can show each rule's state.
  const children = group.rules.map((r, i) => {
    const p = path === '' ? `rules[${i}]` : `${path}.rules[${i}]`;
    return r.__type === 'RuleCombination' ? explainGroup(r, catalog, visitor, p) : explainRule(r, catalog, visitor, p);
  });
  const hits = children.filter((c) => c.matched).length;
  const and = group.combinationType === 'AND';
  const matched = group.rules.length > 0 && (and ? hits === children.length : hits > 0);
  const reason = and
    ? matched
      ? `all ${children.length} matched (match all)`
      : `${children.length - hits} of ${children.length} did not match (match all)`
    : matched
      ? `${hits} of ${children.length} matched (match any)`
      : `none of ${children.length} matched (match any)`;
  return { matched, path, kind: 'group', combinationType: group.combinationType, reason, children };
}

/** Evaluates a definition for one visitor and says, for every group and rule, whether and why it matched. Agrees with compileDefinition. */
export function explainDefinition(definition: RuleCombination, catalog: AttributeCatalog, visitor: VisitorContext): Explanation {
  return explainGroup(definition, catalog, visitor, '');
}
