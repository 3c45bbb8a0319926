import { isFalseValue, isTrueValue, textConstant, textEquals } from './condition-tests.js';
import type { LowerMemo } from './lower-memo.js';
import type { Matcher, Rule } from './types.js';
import { isMissing, toNumber } from './values.js';

type Opt = Record<string, unknown>;

/**
 * The commonest rules on a custom attribute as a single closure that reads the key and tests the
 * value itself, instead of a reader closure calling a test closure: one call per rule instead of
 * two, which is most of a rule's cost. The comparisons are compileValueTest's own functions (a
 * direct call to one known function is inlined); the tests check both against the reference
 * interpreter. Null for the other conditions.
 */
export function fusedCustomRule(rule: Rule, key: string, memo: LowerMemo): Matcher | null {
  const o = (rule.attributeMatchOptions ?? {}) as unknown as Opt;
  const inv = rule.invertCondition;
  switch (rule.attributeMatchCondition) {
    case 'STRING_EQUALS': {
      const { value, cs, asciiLength } = textConstant(o);
      return inv ? (v) => !textEquals(v.attributes[key], value, cs, asciiLength, memo) : (v) => textEquals(v.attributes[key], value, cs, asciiLength, memo);
    }
    case 'NUMBER_GREATER_THAN': {
      const c = o.value as number;
      return inv ? (v) => !(toNumber(v.attributes[key]) > c) : (v) => toNumber(v.attributes[key]) > c;
    }
    case 'NUMBER_LESS_THAN': {
      const c = o.value as number;
      return inv ? (v) => !(toNumber(v.attributes[key]) < c) : (v) => toNumber(v.attributes[key]) < c;
    }
    case 'NUMBER_EQUAL_TO': {
      const c = o.value as number;
      return inv ? (v) => toNumber(v.attributes[key]) !== c : (v) => toNumber(v.attributes[key]) === c;
    }
    case 'NUMBER_BETWEEN': {
      const min = o.min as number;
      const max = o.max as number;
      const between = (n: number): boolean => n >= min && n <= max;
      return inv ? (v) => !between(toNumber(v.attributes[key])) : (v) => between(toNumber(v.attributes[key]));
    }
    case 'IS_TRUE':
      return inv ? (v) => !isTrueValue(v.attributes[key]) : (v) => isTrueValue(v.attributes[key]);
    case 'IS_FALSE':
      return inv ? (v) => !isFalseValue(v.attributes[key]) : (v) => isFalseValue(v.attributes[key]);
    case 'HAS_ANY_VALUE':
      return inv ? (v) => isMissing(v.attributes[key]) : (v) => !isMissing(v.attributes[key]);
    default:
      return null;
  }
}
