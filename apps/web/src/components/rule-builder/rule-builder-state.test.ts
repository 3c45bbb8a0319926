import { describe, expect, it } from 'vitest';
import { validateDefinition, type RuleCombination } from '@tailor/engine';
import {
  countDraftRules,
  depthOf,
  emptyGroup,
  fromDefinition,
  nodeIdForPath,
  ruleBuilderReducer,
  ruleNumbers,
  toDefinition,
  type DraftGroup,
  type DraftRule,
} from './rule-builder-state';
import { diffDefinitions, summarizeDraft } from './rule-summary';

const catalog = { customAttributes: new Map([['a1', { key: 'age', name: 'Age' }], ['a2', { key: 'plan', name: 'Plan' }]]) };

const sample: RuleCombination = {
  __type: 'RuleCombination',
  combinationType: 'AND',
  rules: [
    {
      __type: 'Rule',
      attribute: { __type: 'PresetAttributeReference', ref: 'COUNTRY' },
      attributeMatchCondition: 'STRING_EQUALS',
      attributeMatchOptions: { __type: 'StringMatchOptions', value: 'US' },
      invertCondition: false,
    },
    {
      __type: 'RuleCombination',
      combinationType: 'OR',
      rules: [
        {
          __type: 'Rule',
          attribute: { __type: 'CustomAttributeReference', ref: 'a1' },
          attributeMatchCondition: 'NUMBER_GREATER_THAN',
          attributeMatchOptions: { __type: 'NumberMatchOptions', value: 30 },
          invertCondition: false,
        },
        {
          __type: 'Rule',
          attribute: { __type: 'CustomAttributeReference', ref: 'a2' },
          attributeMatchCondition: 'STRING_EQUALS',
          attributeMatchOptions: { __type: 'StringMatchOptions', value: 'gold' },
          invertCondition: true,
        },
      ],
    },
  ],
};

const child = (g: DraftGroup, i: number) => {
  const c = g.children[i];
  if (!c) throw new Error(`no child ${String(i)}`);
  return c;
};
const asGroup = (n: unknown) => n as DraftGroup;
const asRule = (n: unknown) => n as DraftRule;

describe('conversions', () => {
  it('round-trips the API JSON unchanged', () => {
    expect(toDefinition(fromDefinition(sample)).definition).toEqual(sample);
  });

  it('gives every node a distinct stable id', () => {
    const tree = fromDefinition(sample);
    const ids = [tree.id, child(tree, 0).id, child(tree, 1).id, ...asGroup(child(tree, 1)).children.map((c) => c.id)];
    expect(new Set(ids).size).toBe(5);
  });

  it('starts an absent definition with one blank rule', () => {
    const tree = fromDefinition(undefined);
    expect(tree.children).toHaveLength(1);
    expect(asRule(child(tree, 0)).attribute).toBeNull();
  });

  it('turns numeric text into numbers and leaves bad input for the engine to flag', () => {
    let tree = fromDefinition(sample);
    const age = asGroup(child(tree, 1)).children[0]!.id;
    tree = ruleBuilderReducer(tree, { type: 'setOptions', ruleId: age, options: { __type: 'NumberMatchOptions', value: '42' } });
    expect(JSON.stringify(toDefinition(tree).definition)).toContain('"value":42');
    tree = ruleBuilderReducer(tree, { type: 'setOptions', ruleId: age, options: { __type: 'NumberMatchOptions', value: 'abc' } });
    const { definition, paths } = toDefinition(tree);
    const result = validateDefinition(definition, catalog);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(nodeIdForPath(paths, result.issues[0]!.path)).toBe(age);
  });

  it('maps server paths (with the definition. prefix) to the deepest row', () => {
    const tree = fromDefinition(sample);
    const { paths } = toDefinition(tree);
    const plan = asGroup(child(tree, 1)).children[1]!.id;
    expect(nodeIdForPath(paths, 'definition.rules[1].rules[1].attributeMatchOptions.value')).toBe(plan);
    expect(nodeIdForPath(paths, 'definition.rules[1].combinationType')).toBe(child(tree, 1).id);
    expect(nodeIdForPath(paths, 'definition')).toBe(tree.id);
  });
});

describe('reducer', () => {
  it('adds rules and groups to the chosen group', () => {
    let tree = fromDefinition(sample);
    const inner = child(tree, 1).id;
    tree = ruleBuilderReducer(tree, { type: 'addRule', groupId: inner });
    tree = ruleBuilderReducer(tree, { type: 'addGroup', groupId: tree.id });
    expect(asGroup(child(tree, 1)).children).toHaveLength(3);
    expect(child(tree, 2).kind).toBe('group');
    expect(countDraftRules(tree)).toBe(5);
  });

  it('keeps untouched subtrees identical so rows can memoize', () => {
    const tree = fromDefinition(sample);
    const next = ruleBuilderReducer(tree, { type: 'setInvert', ruleId: child(tree, 0).id, invert: true });
    expect(next).not.toBe(tree);
    expect(child(next, 1)).toBe(child(tree, 1));
  });

  it('refuses to nest deeper than the depth limit', () => {
    let tree = emptyGroup();
    let parent = tree.id;
    for (let i = 0; i < 10; i += 1) {
      tree = ruleBuilderReducer(tree, { type: 'addGroup', groupId: parent });
      const found = (function last(g: DraftGroup): DraftGroup {
        const sub = g.children.filter((c): c is DraftGroup => c.kind === 'group').at(-1);
        return sub ? last(sub) : g;
      })(tree);
      parent = found.id;
    }
    expect(depthOf(tree, parent)).toBe(8);
    // Blank rules are reported, but no depth problem.
    const result = validateDefinition(toDefinition(tree).definition, catalog);
    if (!result.ok) expect(result.issues.some((i) => i.code.includes('DEPTH'))).toBe(false);
  });

  it('removes rules and groups but never the root', () => {
    let tree = fromDefinition(sample);
    tree = ruleBuilderReducer(tree, { type: 'remove', id: child(tree, 1).id });
    expect(tree.children).toHaveLength(1);
    expect(ruleBuilderReducer(tree, { type: 'remove', id: tree.id })).toBe(tree);
  });

  it('moves a rule up and down within its group', () => {
    let tree = fromDefinition(sample);
    const first = child(tree, 0).id;
    tree = ruleBuilderReducer(tree, { type: 'move', id: first, offset: 1 });
    expect(child(tree, 1).id).toBe(first);
    expect(ruleBuilderReducer(tree, { type: 'move', id: first, offset: 1 })).toBe(tree);
  });

  it('nests a rule into a new group and moves it into another group', () => {
    let tree = fromDefinition(sample);
    const country = child(tree, 0).id;
    tree = ruleBuilderReducer(tree, { type: 'wrapInGroup', id: country });
    expect(child(tree, 0).kind).toBe('group');
    expect(asGroup(child(tree, 0)).children[0]!.id).toBe(country);
    const orGroup = child(tree, 1).id;
    tree = ruleBuilderReducer(tree, { type: 'moveTo', id: country, groupId: orGroup, index: 0 });
    expect(asGroup(child(tree, 1)).children[0]!.id).toBe(country);
    // A group cannot move into itself.
    expect(ruleBuilderReducer(tree, { type: 'moveTo', id: orGroup, groupId: orGroup, index: 0 })).toBe(tree);
  });

  it('picks a valid operator and fresh options when the attribute changes', () => {
    let tree = fromDefinition(sample);
    const country = child(tree, 0).id;
    tree = ruleBuilderReducer(tree, { type: 'setAttribute', ruleId: country, attribute: { __type: 'PresetAttributeReference', ref: 'DATE_AND_TIME' } });
    const rule = asRule(child(tree, 0));
    expect(rule.condition).toBe('BEFORE_TIME');
    expect(rule.options?.__type).toBe('DateTimeMatchOptions');
  });

  it('keeps the operator and its value when the new attribute accepts it', () => {
    const tree = fromDefinition(sample);
    const next = ruleBuilderReducer(tree, { type: 'setAttribute', ruleId: child(tree, 0).id, attribute: { __type: 'PresetAttributeReference', ref: 'CITY' } });
    expect(asRule(child(next, 0)).condition).toBe('STRING_EQUALS');
    expect(asRule(child(next, 0)).options?.value).toBe('US');
  });

  it('drops options for value-less operators', () => {
    let tree = fromDefinition(sample);
    tree = ruleBuilderReducer(tree, { type: 'setCondition', ruleId: child(tree, 0).id, condition: 'HAS_ANY_VALUE' });
    expect(asRule(child(tree, 0)).options).toBeUndefined();
    expect(validateDefinition(toDefinition(tree).definition, catalog).ok).toBe(true);
  });

  it('clears to one blank rule', () => {
    const tree = ruleBuilderReducer(fromDefinition(sample), { type: 'clear' });
    expect(tree.children).toHaveLength(1);
    expect(asRule(child(tree, 0)).attribute).toBeNull();
  });

  it('numbers rules in reading order across groups', () => {
    const tree = fromDefinition(sample);
    const numbers = ruleNumbers(tree);
    expect(numbers.get(child(tree, 0).id)).toBe(1);
    expect(numbers.get(asGroup(child(tree, 1)).children[1]!.id)).toBe(3);
  });
});

describe('summary and diff', () => {
  it('reads the tree as a sentence with names from the catalog', () => {
    expect(summarizeDraft(fromDefinition(sample), catalog)).toBe('Country is "US" and (Age > 30 or Plan is not "gold")');
  });

  it('skips rules still being filled in', () => {
    let tree = fromDefinition(sample);
    tree = ruleBuilderReducer(tree, { type: 'addRule', groupId: tree.id });
    expect(summarizeDraft(tree, catalog)).toBe('Country is "US" and (Age > 30 or Plan is not "gold")');
    expect(summarizeDraft(emptyGroup(), catalog)).toBe('');
  });

  it('diffs two definitions rule by rule', () => {
    const other = structuredClone(sample);
    (other.rules[1] as RuleCombination).combinationType = 'AND';
    other.rules.push({ __type: 'Rule', attribute: { __type: 'PresetAttributeReference', ref: 'CITY' }, attributeMatchCondition: 'HAS_ANY_VALUE', invertCondition: false });
    const rows = diffDefinitions(sample, other, catalog);
    expect(rows.filter((r) => r.status === 'changed').map((r) => r.path)).toEqual(['rules[1].combinationType']);
    expect(rows.filter((r) => r.status === 'added').map((r) => r.right?.text)).toEqual(['City has any value']);
  });
});
