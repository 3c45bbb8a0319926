import '../../test/setup-dom';
import { it } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { RuleBuilder } from './RuleBuilder';
import { useRuleBuilder } from './use-rule-builder';
import { fromDefinition } from './rule-builder-state';

const catalog = { customAttributes: new Map([['a1', { key: 'age', name: 'Age' }]]) };
const leaf = (i: number) => ({ __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: 'a1' }, attributeMatchCondition: 'NUMBER_GREATER_THAN', attributeMatchOptions: { __type: 'NumberMatchOptions', value: i }, invertCondition: false });
let group: any = { __type: 'RuleCombination', combinationType: 'OR', rules: Array.from({ length: 8 }, (_, i) => leaf(i)) };
let n = 8;
for (let level = 0; level < 7; level += 1) { const count = level === 6 ? 50 - n : 6; group = { __type: 'RuleCombination', combinationType: 'AND', rules: [...Array.from({ length: count }, (_, i) => leaf(n + i)), group] }; n += count; }

const attrs = [{ ref: { __type: 'CustomAttributeReference' as const, ref: 'a1' }, label: 'Age', kind: 'Custom' as const }];
function Harness() {
  const b = useRuleBuilder(() => fromDefinition(group), catalog);
  return <RuleBuilder root={b.root} dispatch={b.dispatch} attributes={attrs} canEdit maxDepth={8} numbers={b.numbers} groupNumbers={b.groupNumbers} errors={b.errors} />;
}
it('counts renders', { timeout: 120000 }, () => {
  render(<MantineProvider><Harness /></MantineProvider>);
  const g = globalThis as { rowRenders?: number; groupRenders?: number };
  console.log('initial rows', g.rowRenders, 'groups', g.groupRenders);
  g.rowRenders = 0; g.groupRenders = 0;
  const input = document.querySelector('input[aria-label="Value for rule 50"]') as HTMLInputElement;
  const t = performance.now();
  fireEvent.change(input, { target: { value: '71' } });
  console.log('after keystroke rows', g.rowRenders, 'groups', g.groupRenders, performance.now() - t);
});
