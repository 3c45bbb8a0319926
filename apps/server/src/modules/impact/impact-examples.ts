import { explainDefinition, type AttributeCatalog, type Explanation, type RuleCombination, type VisitorContext } from '@tailor/engine';

// The figures and examples an impact preview answers with, and the explanation of why a visitor moved.
/** One rule that decided a visitor's move (paths as in validation errors: `definition.rules[0]…`). */
export interface RuleChange {
  path: string;
  attribute: string;
  condition?: Explanation['condition'];
  actual?: unknown;
  before: boolean | null;
  after: boolean | null;
  reason: string;
}

export interface VariantChange {
  experienceUid: string;
  experienceName: string;
  from: string | null;
  to: string | null;
}

export interface ImpactExample {
  visitorUid: string;
  lastSeenAt: string;
  attributes: Readonly<Record<string, string | number | boolean>>;
  presets: Readonly<Record<string, string>>;
  rules: RuleChange[];
  variants: VariantChange[];
}

export interface ExperienceImpact {
  uid: string;
  name: string;
  status: string;
  versionUid: string;
  variants: Array<{ shortUid: string; name: string }>;
  visitorsChangingVariant: number;
  transitions: Array<{ from: string | null; to: string | null; visitors: number }>;
}

export interface ImpactTotals {
  sampleSize: number;
  window: { from: string | null; to: string | null };
  before: number;
  after: number;
  joined: number;
  left: number;
  unchanged: number;
  experiences: ExperienceImpact[];
  examples: { joined: ImpactExample[]; left: ImpactExample[] };
}


const RULES_PER_EXAMPLE = 4;

function leaves(node: Explanation, out = new Map<string, Explanation>()): Map<string, Explanation> {
  if (node.kind === 'rule') out.set(node.path, node);
  for (const child of node.children ?? []) leaves(child, out);
  return out;
}

const definitionPath = (path: string) => (path === '' ? 'definition' : `definition.${path}`);

function ruleChange(e: Explanation, before: boolean | null, after: boolean | null): RuleChange {
  return {
    path: definitionPath(e.path),
    attribute: e.attribute ?? '',
    ...(e.condition === undefined ? {} : { condition: e.condition }),
    ...(e.actual === undefined ? {} : { actual: e.actual }),
    before,
    after,
    reason: e.reason,
  };
}

/**
 * The rules that moved a visitor, from the engine's explanation of both definitions:
 * 1. rules of the proposal whose result differs from the rule at the same path before (or that
 *    are new) and now point the way the visitor moved;
 * 2. removed rules that pointed the other way (a failing rule dropped lets a visitor in);
 * 3. when no single rule flipped (e.g. Match All → Any), the proposal's rules that point the way
 *    the visitor moved.
 */
export function decidingRules(oldDefinition: RuleCombination | null, newDefinition: RuleCombination, catalog: AttributeCatalog, visitor: VisitorContext): RuleChange[] {
  const after = explainDefinition(newDefinition, catalog, visitor);
  const target = after.matched;
  const afterLeaves = leaves(after);
  const beforeLeaves = oldDefinition === null ? new Map<string, Explanation>() : leaves(explainDefinition(oldDefinition, catalog, visitor));
  const out: RuleChange[] = [];
  for (const [path, leaf] of afterLeaves) {
    const was = beforeLeaves.get(path);
    if (leaf.matched === target && was?.matched !== leaf.matched) out.push(ruleChange(leaf, was?.matched ?? null, leaf.matched));
  }
  for (const [path, was] of beforeLeaves) {
    if (!afterLeaves.has(path) && was.matched !== target) out.push(ruleChange(was, was.matched, null));
  }
  if (out.length === 0) {
    for (const [path, leaf] of afterLeaves) if (leaf.matched === target) out.push(ruleChange(leaf, beforeLeaves.get(path)?.matched ?? null, leaf.matched));
  }
  return out.slice(0, RULES_PER_EXAMPLE);
}
