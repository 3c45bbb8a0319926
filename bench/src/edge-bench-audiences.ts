/**
 * The edge benchmark's audience definitions, shared by the server that seeds them and the load
 * generator that edits them while the manifest is under load: 20 attributes (`s0`–`s9` strings,
 * `n10`–`n19` numbers), 3–12 rules in nested groups.
 */
export const ATTRIBUTES = 20;
const WORDS = ['gold', 'silver', 'bronze', 'premium', 'basic', 'trial', 'paris', 'tokyo', 'sydney', 'lima'];

type Json = Record<string, unknown>;

/** The attribute key of attribute `i`: the first half strings, the second half numbers. */
export function attributeKey(i: number): string {
  return i < ATTRIBUTES / 2 ? `s${i}` : `n${i}`;
}

/** A stored visitor's value for attribute `i`. */
export function attributeValue(r: () => number, i: number): string | number {
  return i < ATTRIBUTES / 2 ? (WORDS[Math.floor(r() * WORDS.length)] as string) : Math.floor(r() * 100);
}

function rule(r: () => number, attributeUids: readonly string[]): Json {
  const i = Math.floor(r() * attributeUids.length);
  const ref = { __type: 'CustomAttributeReference', ref: attributeUids[i] };
  const isString = i < ATTRIBUTES / 2;
  return isString
    ? {
        __type: 'Rule',
        attribute: ref,
        attributeMatchCondition: 'STRING_EQUALS',
        attributeMatchOptions: { __type: 'StringMatchOptions', value: WORDS[Math.floor(r() * WORDS.length)] },
        invertCondition: r() < 0.15,
      }
    : {
        __type: 'Rule',
        attribute: ref,
        attributeMatchCondition: 'NUMBER_GREATER_THAN',
        attributeMatchOptions: { __type: 'NumberMatchOptions', value: Math.floor(r() * 100) },
        invertCondition: r() < 0.15,
      };
}

/** 3–12 rules: some at the root, the rest in one or two nested groups. */
export function benchDefinition(r: () => number, attributeUids: readonly string[]): Json {
  const total = 3 + Math.floor(r() * 10);
  const rules = Array.from({ length: total }, () => rule(r, attributeUids));
  const nested = Math.min(2, Math.floor(r() * 3));
  const groups: Json[] = [];
  for (let g = 0; g < nested && rules.length > 2; g++) {
    groups.push({ __type: 'RuleCombination', combinationType: r() < 0.5 ? 'AND' : 'OR', rules: rules.splice(0, 2) });
  }
  return { __type: 'RuleCombination', combinationType: r() < 0.5 ? 'AND' : 'OR', rules: [...rules, ...groups] };
}
