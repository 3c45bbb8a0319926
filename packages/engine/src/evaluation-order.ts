import type { MatchCondition, Rule, RuleCombination } from './types.js';

// Per condition: rough relative cost of one test (numbers and booleans are cheapest; text needs
// coercion and folding; regexes, versions, dates and query strings parse), and a prior guess of
// how often it holds (an equality is rarely true, a comparison about half the time).
const PRIOR: Readonly<Record<MatchCondition, readonly [cost: number, p: number]>> = {
  HAS_ANY_VALUE: [1, 0.9],
  IS_TRUE: [1, 0.5],
  IS_FALSE: [1, 0.5],
  NUMBER_EQUAL_TO: [1, 0.05],
  NUMBER_GREATER_THAN: [1, 0.5],
  NUMBER_LESS_THAN: [1, 0.5],
  NUMBER_BETWEEN: [1, 0.3],
  STRING_EQUALS: [2, 0.1],
  STRING_IN_LIST: [3, 0.2],
  CONTAINS_SUBSTRING: [3, 0.15],
  STRING_STARTS_WITH: [3, 0.15],
  STRING_ENDS_WITH: [3, 0.15],
  BEFORE_TIME: [4, 0.5],
  AFTER_TIME: [4, 0.5],
  BETWEEN_TIME: [4, 0.3],
  JSON_MATCH: [5, 0.2],
  SEMVER_EQUALS: [6, 0.1],
  SEMVER_GREATER_THAN: [6, 0.5],
  SEMVER_LESS_THAN: [6, 0.5],
  MATCHES_REGEX: [8, 0.2],
};

export interface Estimate {
  /** Expected cost of evaluating the node with short-circuiting, in the order chosen. */
  cost: number;
  /** Guessed probability that the node is true. */
  p: number;
}

interface Ranked extends Estimate {
  node: Rule | RuleCombination;
  k: number;
}

// Classic ordering of independent short-circuit tests: an AND group runs first the children
// with the least cost per chance of being false (the ones that end it early and cheaply), an OR
// group those with the least cost per chance of being true.
function order(group: RuleCombination): Ranked[] {
  const and = group.combinationType === 'AND';
  const rank = (x: Ranked): number => x.cost / Math.max(1e-6, and ? 1 - x.p : x.p);
  return group.rules
    .map((node, k): Ranked => ({ node, k, ...estimate(node) }))
    .sort((a, b) => rank(a) - rank(b) || a.k - b.k);
}

function estimate(n: Rule | RuleCombination): Estimate {
  if (n.__type === 'Rule') {
    const [cost, p] = PRIOR[n.attributeMatchCondition] ?? [8, 0.5];
    return { cost, p: n.invertCondition ? 1 - p : p };
  }
  const and = n.combinationType === 'AND';
  let cost = 0;
  let reach = 1; // probability the evaluation gets to the next child
  for (const c of order(n)) {
    cost += reach * c.cost;
    reach *= and ? c.p : 1 - c.p;
  }
  return { cost, p: and ? reach : 1 - reach };
}

/** Expected cost and guessed probability of a whole definition, for ordering audiences alike. */
export function estimateDefinition(definition: RuleCombination): Estimate {
  return estimate(definition);
}

/**
 * Indexes into `estimates` in the order an AND (or OR) over them should test them; -1 entries
 * (audiences that never match) go first in an AND, which they decide at once, and last in an OR.
 */
export function orderAudiences(idx: readonly number[], estimates: readonly Estimate[], and: boolean): number[] {
  const rank = (i: number): number => {
    if (i < 0) return and ? -1 : Number.POSITIVE_INFINITY;
    const e = estimates[i] as Estimate;
    return e.cost / Math.max(1e-6, and ? 1 - e.p : e.p);
  };
  return idx
    .map((i, k) => ({ i, k, r: rank(i) }))
    .sort((a, b) => a.r - b.r || a.k - b.k)
    .map((x) => x.i);
}

/**
 * A group's children in evaluation order. Rules are pure, so AND and OR give the same answer in
 * any order; testing first the children likeliest to decide the group cheaply lets
 * short-circuiting skip the rest more often. Explanations keep the authored order (they evaluate
 * every rule anyway).
 */
export function evaluationOrder(group: RuleCombination): Array<Rule | RuleCombination> {
  return order(group).map((x) => x.node);
}
