import {
  CONDITIONS,
  isConditionAllowed,
  isMatchCondition,
  summarizeDefinition,
  type AttributeCatalog,
  type MatchCondition,
  type Rule,
  type RuleCombination,
} from '@tailor/engine';
import type { DraftGroup, DraftNode } from './rule-builder-state';

/**
 * Sentence of the draft for the live summary. Rules still being filled in are skipped (they are
 * flagged on their rows instead), so the sentence only ever says what would be saved.
 */
export function summarizeDraft(root: DraftGroup, catalog: AttributeCatalog): string {
  const cleaned = completeOnly(root);
  if (cleaned === null) return '';
  try {
    return summarizeDefinition(cleaned, catalog);
  } catch {
    return '';
  }
}

function completeOnly(group: DraftGroup): RuleCombination | null {
  const rules: Array<Rule | RuleCombination> = [];
  for (const child of group.children) {
    const node = completeNode(child);
    if (node !== null) rules.push(node);
  }
  return rules.length === 0 ? null : { __type: 'RuleCombination', combinationType: group.combinationType, rules };
}

function completeNode(node: DraftNode): Rule | RuleCombination | null {
  if (node.kind === 'group') return completeOnly(node);
  if (node.attribute === null || node.condition === null || !isConditionAllowed(node.condition, node.attribute)) return null;
  const rule: Rule = {
    __type: 'Rule',
    attribute: node.attribute,
    attributeMatchCondition: node.condition,
    invertCondition: node.invert,
  };
  if (node.options !== undefined) (rule as { attributeMatchOptions?: unknown }).attributeMatchOptions = node.options;
  return rule;
}

/** One rule of a saved definition in words, for diffs: `Country is "US"`. */
export function describeRule(rule: Rule, catalog: AttributeCatalog): string {
  if (!isMatchCondition(rule.attributeMatchCondition)) return JSON.stringify(rule);
  try {
    return summarizeDefinition({ __type: 'RuleCombination', combinationType: 'AND', rules: [rule] }, catalog);
  } catch {
    return JSON.stringify(rule);
  }
}

export interface FlatLine {
  /** "rules[1].rules[0]"; a group's own line is its path plus ".combinationType". */
  path: string;
  depth: number;
  text: string;
}

/** A definition as indented lines (groups as "Match all of:"), the unit of rule-by-rule diffs. */
export function flattenDefinition(definition: RuleCombination | undefined, catalog: AttributeCatalog): FlatLine[] {
  const lines: FlatLine[] = [];
  if (!definition) return lines;
  const walk = (group: RuleCombination, path: string, depth: number) => {
    lines.push({ path: `${path}.combinationType`, depth, text: `Match ${group.combinationType === 'OR' ? 'any' : 'all'} of:` });
    group.rules.forEach((node, i) => {
      const p = path === '' ? `rules[${String(i)}]` : `${path}.rules[${String(i)}]`;
      if (node.__type === 'RuleCombination') walk(node, p, depth + 1);
      else lines.push({ path: p, depth: depth + 1, text: describeRule(node, catalog) });
    });
  };
  walk(definition, '', 0);
  return lines;
}

export type DiffStatus = 'same' | 'changed' | 'added' | 'removed';

export interface DiffRow {
  path: string;
  left: FlatLine | undefined;
  right: FlatLine | undefined;
  status: DiffStatus;
}

/** Aligns two definitions by path (the API's own notion of "which rule"): left is the base, right the other. */
export function diffDefinitions(left: RuleCombination | undefined, right: RuleCombination | undefined, catalog: AttributeCatalog): DiffRow[] {
  const a = flattenDefinition(left, catalog);
  const b = flattenDefinition(right, catalog);
  const byPath = new Map(b.map((l) => [l.path, l]));
  const seen = new Set<string>();
  const rows: DiffRow[] = [];
  for (const l of a) {
    const r = byPath.get(l.path);
    seen.add(l.path);
    rows.push({ path: l.path, left: l, right: r, status: r === undefined ? 'removed' : r.text === l.text ? 'same' : 'changed' });
  }
  for (const r of b) {
    if (!seen.has(r.path)) rows.push({ path: r.path, left: undefined, right: r, status: 'added' });
  }
  return rows;
}

export const PRESET_LABELS: Readonly<Record<string, string>> = {
  COUNTRY: 'Country',
  REGION: 'Region',
  CITY: 'City',
  DEVICE_TYPE: 'Device Type',
  OPERATING_SYSTEM: 'Operating System',
  REFERRER: 'Referrer',
  QUERY_PARAMETERS: 'Query Parameters',
  DATE_AND_TIME: 'Date And Time',
};

/** The operator's label as the select shows it. */
export function conditionLabel(condition: MatchCondition): string {
  return CONDITIONS[condition].label;
}
