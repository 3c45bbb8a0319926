import { describe, expect, it } from 'vitest';
import {
  CONDITIONS,
  conditionsForAttribute,
  explainDefinition,
  summarizeDefinition,
  type AttributeCatalog,
  type RuleCombination,
} from '../src/index.js';

const catalog: AttributeCatalog = { customAttributes: new Map([['u1', { key: 'age', name: 'Age' }], ['u2', { key: 'plan', name: 'Plan' }]]) };
const definition: RuleCombination = {
  __type: 'RuleCombination',
  combinationType: 'AND',
  rules: [
    { __type: 'Rule', attribute: { __type: 'PresetAttributeReference', ref: 'COUNTRY' }, attributeMatchCondition: 'STRING_EQUALS', attributeMatchOptions: { __type: 'StringMatchOptions', value: 'US' }, invertCondition: false },
    {
      __type: 'RuleCombination',
      combinationType: 'OR',
      rules: [
        { __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: 'u1' }, attributeMatchCondition: 'NUMBER_GREATER_THAN', attributeMatchOptions: { __type: 'NumberMatchOptions', value: 30 }, invertCondition: false },
        { __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: 'u2' }, attributeMatchCondition: 'STRING_EQUALS', attributeMatchOptions: { __type: 'StringMatchOptions', value: 'gold' }, invertCondition: true },
      ],
    },
  ],
};

describe('summarizeDefinition', () => {
  it('reads as a sentence with nested groups in parentheses and inverted operators', () => {
    expect(summarizeDefinition(definition, catalog)).toBe('Country is "US" and (Age > 30 or Plan is not "gold")');
  });
});

describe('explainDefinition', () => {
  it('explains every group and rule with paths, actual values and reasons', () => {
    const e = explainDefinition(definition, catalog, { attributes: { age: '25', plan: 'Gold' }, presets: { COUNTRY: 'us' }, now: 0 });
    expect(e.matched).toBe(false);
    expect(e.kind).toBe('group');
    expect(e.reason).toBe('1 of 2 did not match (match all)');
    const [country, inner] = e.children ?? [];
    expect(country).toMatchObject({ matched: true, path: 'rules[0]', attribute: 'COUNTRY', actual: 'us', condition: 'STRING_EQUALS' });
    expect(inner).toMatchObject({ matched: false, path: 'rules[1]', combinationType: 'OR', reason: 'none of 2 matched (match any)' });
    expect(inner?.children?.map((c) => [c.path, c.matched, c.actual])).toEqual([
      ['rules[1].rules[0]', false, '25'],
      ['rules[1].rules[1]', false, 'Gold'],
    ]);
  });

  it('says that a missing attribute makes the condition false and its inversion true', () => {
    const e = explainDefinition(definition, catalog, { attributes: {}, presets: {}, now: 0 });
    const plan = e.children?.[1]?.children?.[1];
    expect(plan?.matched).toBe(true);
    expect(plan?.reason).toMatch(/Plan has no value, so the condition is false and its inversion is true/);
  });
});

describe('condition metadata', () => {
  it('offers the time conditions only on DATE_AND_TIME and custom attributes', () => {
    expect(conditionsForAttribute({ __type: 'PresetAttributeReference', ref: 'DATE_AND_TIME' })).toEqual(['BEFORE_TIME', 'AFTER_TIME', 'BETWEEN_TIME']);
    expect(conditionsForAttribute({ __type: 'PresetAttributeReference', ref: 'COUNTRY' })).not.toContain('BEFORE_TIME');
    expect(conditionsForAttribute({ __type: 'CustomAttributeReference', ref: 'x' })).toContain('AFTER_TIME');
  });

  it('offers JSON_MATCH only on QUERY_PARAMETERS', () => {
    expect(conditionsForAttribute({ __type: 'PresetAttributeReference', ref: 'QUERY_PARAMETERS' })).toEqual(['HAS_ANY_VALUE', 'JSON_MATCH']);
    expect(conditionsForAttribute({ __type: 'CustomAttributeReference', ref: 'x' })).not.toContain('JSON_MATCH');
  });

  it('marks exactly the docs/api-conventions.md, "Extensions" conditions as extensions', () => {
    const ext = Object.entries(CONDITIONS).filter(([, i]) => i.extension).map(([c]) => c).sort();
    expect(ext).toEqual(['MATCHES_REGEX', 'NUMBER_BETWEEN', 'SEMVER_EQUALS', 'SEMVER_GREATER_THAN', 'SEMVER_LESS_THAN', 'STRING_ENDS_WITH', 'STRING_IN_LIST', 'STRING_STARTS_WITH']);
  });
});
