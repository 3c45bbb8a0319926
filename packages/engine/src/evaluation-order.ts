import type { MatchCondition, Rule, RuleCombination } from './types.js';

// Per condition: the cost of one test relative to a number comparison, reading the attribute
// included (measured on the compiled closures over cache-resident visitors: a boolean 0.75, a
// presence test or a number comparison 1, a string equality 1.1 — the length check spares most
// lower-casing — a list or substring test 2, a regex 4; dates, query strings and versions parse
// their input, 3–4), and a prior guess of how often it holds (an equality is rarely true, a
// comparison about half the time).
const PRIOR: Readonly<Record<MatchCondition, readonly [cost: number, p: number]>> = {
  HAS_ANY_VALUE: [1, 0.9],
  IS_TRUE: [0.75, 0.5],
  IS_FALSE: [0.75, 0.5],
  NUMBER_EQUAL_TO: [1, 0.05],
  NUMBER_GREATER_THAN: [1, 0.5],
  NUMBER_LESS_THAN: [1, 0.5],
  NUMBER_BETWEEN: [1, 0.3],
  STRING_EQUALS: [1.1, 0.1],
  STRING_IN_LIST: [2, 0.2],
  CONTAINS_SUBSTRING: [2, 0.15],
  STRING_STARTS_WITH: [2, 0.15],
  STRING_ENDS_WITH: [2, 0.15],
  BEFORE_TIME: [3, 0.5],
  AFTER_TIME: [3, 0.5],
  BETWEEN_TIME: [3, 0.3],
  JSON_MATCH: [4, 0.2],
  SEMVER_EQUALS: [4, 0.1],
  SEMVER_GREATER_THAN: [4, 0.5],
  SEMVER_LESS_THAN: [4, 0.5],
  MATCHES_REGEX: [4, 0.2],
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
  /** Cost per chance of deciding the group: the sort key. */
  rank: number;
}

/**
 * Orders groups and estimates nodes, each group at most once: compiling a definition asks for
 * every group's order and every audience's estimate, and nested groups would otherwise be
 * estimated again at each level above them. One per compilation (definitions are plain data a
 * caller may change between compilations, so nothing is kept across them).
 */
export class EvaluationPlanner {
  private readonly orders = new Map<RuleCombination, Ranked[]>();

  // Classic ordering of independent short-circuit tests: an AND group runs first the children
  // with the least cost per chance of being false (the ones that end it early and cheaply), an
  // OR group those with the least cost per chance of being true.
  private ranked(group: RuleCombination): Ranked[] {
    const known = this.orders.get(group);
    if (known !== undefined) return known;
    const and = group.combinationType === 'AND';
    const out: Ranked[] = [];
    for (let k = 0; k < group.rules.length; k++) {
      const node = group.rules[k] as Rule | RuleCombination;
      const { cost, p } = this.estimate(node);
      out.push({ node, k, cost, p, rank: cost / Math.max(1e-6, and ? 1 - p : p) });
    }
    out.sort((a, b) => a.rank - b.rank || a.k - b.k);
    this.orders.set(group, out);
    return out;
  }

  /** Expected cost (with short-circuiting, in the chosen order) and guessed probability of a node. */
  estimate(n: Rule | RuleCombination): Estimate {
    if (n.__type === 'Rule') {
      const [cost, p] = PRIOR[n.attributeMatchCondition] ?? [8, 0.5];
      return { cost, p: n.invertCondition ? 1 - p : p };
    }
    const and = n.combinationType === 'AND';
    let cost = 0;
    let reach = 1; // probability the evaluation gets to the next child
    for (const c of this.ranked(n)) {
      cost += reach * c.cost;
      reach *= and ? c.p : 1 - c.p;
    }
    return { cost, p: and ? reach : 1 - reach };
  }

  /**
   * A group's children in evaluation order. Rules are pure, so AND and OR give the same answer
   * in any order; testing first the children likeliest to decide the group cheaply lets
   * short-circuiting skip the rest more often. Explanations keep the authored order (they
   * evaluate every rule anyway).
   */
  order(group: RuleCombination): Array<Rule | RuleCombination> {
    return this.ranked(group).map((x) => x.node);
  }
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
