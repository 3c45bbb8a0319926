import { afterEach, describe, expect, it } from 'vitest';
import { buildSnapshot, compileDefinition, decide, decisionWork, explainDecision, type Rule, type RuleCombination, type SnapshotExperience } from '../src/index.js';

const catalog = { customAttributes: new Map([['att-s', { key: 's', name: 'S' }]]) };
const LONG = `${'a'.repeat(1000)}b`;

function rule(condition: Rule['attributeMatchCondition'], options: Record<string, unknown>, invertCondition = false): Rule {
  return { __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: 'att-s' }, attributeMatchCondition: condition, attributeMatchOptions: options as never, invertCondition };
}
const regex = (pattern: string) => rule('MATCHES_REGEX', { __type: 'RegexMatchOptions', pattern, caseSensitive: true });
const all = (...rules: Rule[]): RuleCombination => ({ __type: 'RuleCombination', combinationType: 'AND', rules });

/** One SEGMENTED experience per definition, in order, each with one variant on its own audience. */
function snapshotOf(definitions: RuleCombination[]) {
  const experiences: SnapshotExperience[] = definitions.map((_, i) => ({
    uid: `e${i}`,
    shortUid: `x${i}`,
    type: 'SEGMENTED',
    tags: [],
    active: { versionUid: `v${i}`, salt: 's', variants: [{ shortUid: `x${i}v`, audiences: [`a${i}`] }] },
  }));
  return buildSnapshot({ attributeCatalog: catalog, audiences: definitions.map((definition, i) => ({ uid: `a${i}`, definition })), experiences });
}

const visitor = (s: string) => ({ attributes: { s }, presets: {}, now: 0 });
const variants = (snapshot: ReturnType<typeof snapshotOf>, s: string) => decide(snapshot, 'visitor', visitor(s)).experiences.map((e) => e.activeVariantShortUid);

/** What one decision of `snapshot` spends without a budget. */
function cost(snapshot: ReturnType<typeof snapshotOf>, s: string): number {
  decisionWork.setBudget(1e15);
  decide(snapshot, 'visitor', visitor(s));
  decisionWork.setBudget();
  return decisionWork.lastSpent;
}

afterEach(() => decisionWork.setBudget());

describe('the work budget of a decision', () => {
  it('tests a regex once per distinct value, however many audiences share the rule', () => {
    const one = cost(snapshotOf([all(regex('a+b'))]), LONG);
    const same = snapshotOf(Array.from({ length: 20 }, () => all(regex('a+b'))));
    decisionWork.setBudget(one * 3);
    expect(variants(same, LONG)).toEqual(Array.from({ length: 20 }, (_, i) => `x${i}v`));
    expect(cost(same, LONG)).toBeLessThan(one * 2);
  });

  it('does not share tests between distinct patterns, which the budget then cuts off', () => {
    const one = cost(snapshotOf([all(regex('a+b'))]), LONG);
    const distinct = snapshotOf(Array.from({ length: 20 }, (_, i) => all(regex(`a+b|q${i}`))));
    decisionWork.setBudget(one * 3);
    const decided = variants(distinct, LONG);
    expect(decided[0]).toBe('x0v');
    expect(decided.slice(5)).toEqual(Array.from({ length: 15 }, () => null));
  });

  it('makes every rule evaluated once it is spent not match, an inverted one included', () => {
    const snapshot = snapshotOf([all(regex('a+c')), all(rule('CONTAINS_SUBSTRING', { __type: 'StringMatchOptions', value: 'zzz' }, true))]);
    expect(variants(snapshot, LONG)).toEqual([null, 'x1v']);
    decisionWork.setBudget(cost(snapshot, LONG) / 2);
    expect(variants(snapshot, LONG)).toEqual([null, null]);
  });

  it('makes the rule that spends it not match, even inverted', () => {
    const snapshot = snapshotOf([all(rule('MATCHES_REGEX', { __type: 'RegexMatchOptions', pattern: 'a+c', caseSensitive: true }, true))]);
    expect(variants(snapshot, LONG)).toEqual(['x0v']);
    decisionWork.setBudget(cost(snapshot, LONG) / 2);
    expect(variants(snapshot, LONG)).toEqual([null]);
  });

  it('gives the same answer to the same request whatever was decided before', () => {
    const snapshot = snapshotOf(Array.from({ length: 10 }, (_, i) => all(regex(`a+b|q${i}`))));
    decisionWork.setBudget(cost(snapshot, LONG) / 3);
    const first = variants(snapshot, LONG);
    variants(snapshot, 'ab');
    expect(variants(snapshot, LONG)).toEqual(first);
    expect(first.filter((v) => v !== null).length).toBeGreaterThan(0);
    expect(first.filter((v) => v === null).length).toBeGreaterThan(0);
  });

  it('is spent alike by the explanation, which says where it ran out', () => {
    const snapshot = snapshotOf(Array.from({ length: 10 }, (_, i) => all(regex(`a+b|q${i}`))));
    decisionWork.setBudget(cost(snapshot, LONG) / 3);
    const explained = explainDecision(snapshot, 'visitor', visitor(LONG));
    expect(explained.map((e) => e.activeVariantShortUid)).toEqual(variants(snapshot, LONG));
    expect(explained.some((e) => e.steps.some((s) => s.includes('work budget of the decision ran out here')))).toBe(true);
  });

  it('does not bound work outside a decision', () => {
    decisionWork.setBudget(1);
    expect(compileDefinition(all(regex('a+b')), catalog)(visitor(LONG))).toBe(true);
  });

  it('charges substring searches by the text they scan', () => {
    const search = (value: string) => snapshotOf([all(rule('CONTAINS_SUBSTRING', { __type: 'StringMatchOptions', value }))]);
    expect(cost(search('zz'), 'a'.repeat(1000))).toBeGreaterThan(cost(search('zz'), 'a'.repeat(10)) + 1000);
  });
});
