/**
 * Fixtures for the engine benchmark: 20 attributes, random audiences in nested groups, random
 * visitors, and translations of each audience to GrowthBook's and json-logic's formats with the
 * same semantics (see the notes on each translation).
 */
import type { AttributeCatalog, MatchCondition, Rule, RuleCombination, VisitorContext } from '@tailor/engine';
import type { RulesLogic } from 'json-logic-js';
import { prng } from './stats.js';

type Kind = 'string' | 'number' | 'boolean';
/** The 20 attributes: 8 strings, 8 numbers, 4 booleans. */
export const ATTRIBUTES: ReadonlyArray<{ uid: string; key: string; kind: Kind }> = [
  ...Array.from({ length: 8 }, (_, i) => ({ uid: `a${String(i).padStart(23, '0')}`, key: `s${i}`, kind: 'string' as const })),
  ...Array.from({ length: 8 }, (_, i) => ({ uid: `b${String(i).padStart(23, '0')}`, key: `n${i}`, kind: 'number' as const })),
  ...Array.from({ length: 4 }, (_, i) => ({ uid: `c${String(i).padStart(23, '0')}`, key: `f${i}`, kind: 'boolean' as const })),
];

export const CATALOG: AttributeCatalog = { customAttributes: new Map(ATTRIBUTES.map((a) => [a.uid, { key: a.key }])) };

// None of these contain a substring of "undefined" or "null": GrowthBook's $regex stringifies a
// missing value, and we want a missing value to fail CONTAINS_SUBSTRING in all three engines.
const WORDS = ['gold', 'silver', 'bronze', 'premium', 'basic', 'trial', 'mobile', 'tablet', 'desktop', 'paris', 'tokyo', 'sydney'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

function randomRule(r: () => number): Rule {
  const attr = pick(r, ATTRIBUTES);
  const invertCondition = r() < 0.15;
  const attribute = { __type: 'CustomAttributeReference' as const, ref: attr.uid };
  let c: MatchCondition;
  if (attr.kind === 'boolean') {
    c = r() < 0.5 ? 'IS_TRUE' : 'IS_FALSE';
    return { __type: 'Rule', attribute, attributeMatchCondition: c, invertCondition };
  }
  if (attr.kind === 'number') {
    c = pick(r, ['NUMBER_GREATER_THAN', 'NUMBER_LESS_THAN', 'NUMBER_EQUAL_TO', 'NUMBER_BETWEEN', 'HAS_ANY_VALUE'] as const);
    const v = Math.floor(r() * 100);
    if (c === 'HAS_ANY_VALUE') return { __type: 'Rule', attribute, attributeMatchCondition: c, invertCondition };
    if (c === 'NUMBER_BETWEEN') {
      return { __type: 'Rule', attribute, attributeMatchCondition: c, attributeMatchOptions: { __type: 'NumberRangeMatchOptions', min: v, max: v + 20 }, invertCondition };
    }
    return { __type: 'Rule', attribute, attributeMatchCondition: c, attributeMatchOptions: { __type: 'NumberMatchOptions', value: v }, invertCondition };
  }
  c = pick(r, ['STRING_EQUALS', 'STRING_EQUALS', 'CONTAINS_SUBSTRING', 'STRING_IN_LIST'] as const);
  if (c === 'STRING_IN_LIST') {
    return { __type: 'Rule', attribute, attributeMatchCondition: c, attributeMatchOptions: { __type: 'StringListMatchOptions', values: [pick(r, WORDS), pick(r, WORDS), pick(r, WORDS)] }, invertCondition };
  }
  const w = pick(r, WORDS);
  const value = c === 'CONTAINS_SUBSTRING' ? w.slice(1, 4) : w;
  return { __type: 'Rule', attribute, attributeMatchCondition: c, attributeMatchOptions: { __type: 'StringMatchOptions', value }, invertCondition };
}

function randomGroup(r: () => number, rules: number, depth: number): RuleCombination {
  const combinationType = r() < 0.6 ? 'AND' : 'OR';
  const out: Array<Rule | RuleCombination> = [];
  let left = rules;
  while (left > 0) {
    if (depth < 3 && left >= 2 && r() < 0.3) {
      const n = 2 + Math.floor(r() * Math.min(3, left - 1));
      out.push(randomGroup(r, n, depth + 1));
      left -= n;
    } else {
      out.push(randomRule(r));
      left--;
    }
  }
  return { __type: 'RuleCombination', combinationType, rules: out };
}

/** `count` audiences of 3–12 rules in nested groups. */
export function makeAudiences(count: number, seed = 1): RuleCombination[] {
  const r = prng(seed);
  return Array.from({ length: count }, () => randomGroup(r, 3 + Math.floor(r() * 10), 1));
}

/**
 * `count` visitors; ~10 % of attribute values missing, ~30 % of strings capitalized. By default a
 * missing value is an absent key, so objects have many shapes (as JSON from edge clients does);
 * `sameShape` keeps every key, set to undefined when missing, so property reads stay monomorphic.
 */
export function makeVisitors(count: number, seed = 2, sameShape = false): VisitorContext[] {
  const r = prng(seed);
  return Array.from({ length: count }, () => {
    const attributes: Record<string, string | number | boolean> = {};
    for (const a of ATTRIBUTES) {
      if (r() < 0.1) {
        if (sameShape) (attributes as Record<string, unknown>)[a.key] = undefined;
        continue;
      }
      if (a.kind === 'boolean') attributes[a.key] = r() < 0.5;
      else if (a.kind === 'number') attributes[a.key] = Math.floor(r() * 120);
      else {
        const w = pick(r, WORDS);
        attributes[a.key] = r() < 0.3 ? (w[0] ?? '').toUpperCase() + w.slice(1) : w;
      }
    }
    return { attributes, presets: { COUNTRY: 'US' }, now: 1_764_000_000_000 };
  });
}

/** The alternatives compare case-sensitively, so they get visitors with lower-cased strings (prepared outside the timed loop: this favours them). */
export function lowerCased(v: VisitorContext): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, x] of Object.entries(v.attributes)) (out as Record<string, unknown>)[k] = typeof x === 'string' ? x.toLowerCase() : x;
  return out;
}

const keyOf = new Map(ATTRIBUTES.map((a) => [a.uid, a.key]));

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** GrowthBook condition with our semantics (values lower-cased; numeric operators guarded by $exists because GrowthBook reads a missing value as null and null < 5 is true; $eq because a bare value lets undefined equal false). */
export function toGrowthBook(node: Rule | RuleCombination): Record<string, unknown> {
  if (node.__type === 'RuleCombination') {
    return { [node.combinationType === 'AND' ? '$and' : '$or']: node.rules.map(toGrowthBook) };
  }
  const k = keyOf.get(node.attribute.ref) as string;
  const o = (node.attributeMatchOptions ?? {}) as unknown as Record<string, unknown>;
  let c: Record<string, unknown>;
  switch (node.attributeMatchCondition) {
    case 'STRING_EQUALS': c = { [k]: { $eq: (o.value as string).toLowerCase() } }; break;
    case 'CONTAINS_SUBSTRING': c = { [k]: { $regex: escapeRegex((o.value as string).toLowerCase()) } }; break;
    case 'STRING_IN_LIST': c = { [k]: { $in: (o.values as string[]).map((x) => x.toLowerCase()) } }; break;
    case 'HAS_ANY_VALUE': c = { [k]: { $exists: true } }; break;
    case 'IS_TRUE': c = { [k]: { $eq: true } }; break;
    case 'IS_FALSE': c = { [k]: { $eq: false } }; break;
    case 'NUMBER_GREATER_THAN': c = { [k]: { $exists: true, $gt: o.value } }; break;
    case 'NUMBER_LESS_THAN': c = { [k]: { $exists: true, $lt: o.value } }; break;
    case 'NUMBER_EQUAL_TO': c = { [k]: { $eq: o.value } }; break;
    case 'NUMBER_BETWEEN': c = { [k]: { $exists: true, $gte: o.min, $lte: o.max } }; break;
    default: throw new Error(`no GrowthBook translation for ${node.attributeMatchCondition}`);
  }
  return node.invertCondition ? { $not: c } : c;
}

/** json-logic rule with our semantics; numeric comparisons guard against null (null < 5 is true in JS). */
export function toJsonLogic(node: Rule | RuleCombination): RulesLogic {
  if (node.__type === 'RuleCombination') {
    const parts = node.rules.map(toJsonLogic);
    return node.combinationType === 'AND' ? { and: parts } : { or: parts };
  }
  const k = keyOf.get(node.attribute.ref) as string;
  const v = { var: k };
  const present: RulesLogic = { '!==': [v, null] };
  const o = (node.attributeMatchOptions ?? {}) as unknown as Record<string, unknown>;
  let c: RulesLogic;
  switch (node.attributeMatchCondition) {
    case 'STRING_EQUALS': c = { '===': [v, (o.value as string).toLowerCase()] }; break;
    case 'CONTAINS_SUBSTRING': c = { in: [(o.value as string).toLowerCase(), { var: [k, ''] }] }; break;
    case 'STRING_IN_LIST': c = { in: [v, (o.values as string[]).map((x) => x.toLowerCase())] }; break;
    case 'HAS_ANY_VALUE': c = present; break;
    case 'IS_TRUE': c = { '===': [v, true] }; break;
    case 'IS_FALSE': c = { '===': [v, false] }; break;
    case 'NUMBER_GREATER_THAN': c = { and: [present, { '>': [v, o.value as number] }] }; break;
    case 'NUMBER_LESS_THAN': c = { and: [present, { '<': [v, o.value as number] }] }; break;
    case 'NUMBER_EQUAL_TO': c = { '===': [v, o.value as number] }; break;
    case 'NUMBER_BETWEEN': c = { and: [present, { '<=': [o.min as number, v, o.max as number] }] }; break;
    default: throw new Error(`no json-logic translation for ${node.attributeMatchCondition}`);
  }
  return node.invertCondition ? { '!': c } : c;
}
