import type { Rule, RuleCombination } from '@tailor/engine';
import { describe, expect, it } from 'vitest';
import { summarizeChange } from './change-summary.js';

const country = (value: string): Rule => ({
  __type: 'Rule',
  attribute: { __type: 'PresetAttributeReference', ref: 'COUNTRY' },
  attributeMatchCondition: 'STRING_EQUALS',
  attributeMatchOptions: { __type: 'StringMatchOptions', value },
  invertCondition: false,
});
const group = (rules: RuleCombination['rules'], combinationType: 'AND' | 'OR' = 'AND'): RuleCombination => ({ __type: 'RuleCombination', combinationType, rules });
const state = (definition: RuleCombination, name = 'A', description = '') => ({ name, description, definition });

describe('summarizeChange', () => {
  it('lists every rule as added on creation, with name and description from null', () => {
    expect(summarizeChange(null, state(group([country('US'), group([country('FR')])]), 'A', 'd'))).toEqual({
      name: { from: null, to: 'A' },
      description: { from: null, to: 'd' },
      rules: {
        added: [
          { path: 'definition.rules[0]', rule: country('US') },
          { path: 'definition.rules[1].rules[0]', rule: country('FR') },
        ],
        removed: [],
        changed: [],
      },
    });
  });

  it('reports nothing for an identical save', () => {
    const s = state(group([country('US')]));
    expect(summarizeChange(s, structuredClone(s))).toEqual({ rules: { added: [], removed: [], changed: [] } });
  });

  it('matches equal rules whatever their key order (as PostgreSQL jsonb returns them)', () => {
    const reordered = { invertCondition: false, attributeMatchOptions: { value: 'US', __type: 'StringMatchOptions' }, attributeMatchCondition: 'STRING_EQUALS', attribute: { ref: 'COUNTRY', __type: 'PresetAttributeReference' }, __type: 'Rule' } as Rule;
    expect(summarizeChange(state(group([reordered])), state(group([country('US')]))).rules).toEqual({ added: [], removed: [], changed: [] });
  });

  it('reports an inserted rule as added, not its shifted neighbours as changed', () => {
    const summary = summarizeChange(state(group([country('US'), country('FR')])), state(group([country('DE'), country('US'), country('FR')])));
    expect(summary.rules).toEqual({ added: [{ path: 'definition.rules[0]', rule: country('DE') }], removed: [], changed: [] });
  });

  it('reports a removed rule with its old path and an edited one as changed', () => {
    const summary = summarizeChange(state(group([country('US'), country('FR'), country('IT')])), state(group([country('US'), country('ES')])));
    expect(summary.rules).toEqual({
      added: [],
      removed: [{ path: 'definition.rules[2]', rule: country('IT') }],
      changed: [{ path: 'definition.rules[1]', from: country('FR'), to: country('ES') }],
    });
  });

  it('reports a flipped nested group and a renamed audience', () => {
    const before = state(group([country('US'), group([country('FR')], 'AND')]), 'A');
    const after = state(group([country('US'), group([country('FR')], 'OR')]), 'B');
    expect(summarizeChange(before, after)).toEqual({
      name: { from: 'A', to: 'B' },
      rules: { added: [], removed: [], changed: [{ path: 'definition.rules[1].combinationType', from: 'AND', to: 'OR' }] },
    });
  });

  it('treats a rule moved into a group as unchanged', () => {
    const summary = summarizeChange(state(group([country('US'), country('FR')])), state(group([country('US'), group([country('FR')])])));
    expect(summary.rules).toEqual({ added: [], removed: [], changed: [] });
  });
});
