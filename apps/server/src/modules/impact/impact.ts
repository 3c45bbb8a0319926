import { compileDefinition, decide, explainDefinition, type AttributeCatalog, type Explanation, type Matcher, type RuleCombination, type VisitorContext } from '@tailor/engine';
import type { DecisionExperienceInput, DecisionInputs, ProjectSnapshot } from '../decisions/index.js';
import { compileProjectSnapshot } from '../decisions/index.js';
import type { SampleMemo, SampleVisitor } from './impact-sample.js';

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

const EXAMPLES_PER_SIDE = 3;
const RULES_PER_EXAMPLE = 4;

/** Whether an active version's decision reads the audience (a segmented variant or the A/B target group). */
export function usesAudience(e: DecisionExperienceInput, audienceUid: string): boolean {
  if (e.active === null) return false;
  if (e.active.variants.some((v) => v.audiences?.includes(audienceUid) === true)) return true;
  return e.active.targeting?.audiences.includes(audienceUid) === true;
}

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

/** What the evaluation needs, compiled once per preview. */
export interface ImpactPlan {
  audienceUid: string | null;
  catalog: AttributeCatalog;
  oldDefinition: RuleCombination | null;
  newDefinition: RuleCombination;
  oldMatcher: Matcher | null;
  newMatcher: Matcher;
  experiences: ReadonlyArray<{ uid: string; shortUid: string; name: string; versionUid: string }>;
  /** Only the experiences that use the audience, with the saved and with the proposed audience. */
  beforeSnapshot: ProjectSnapshot | null;
  afterSnapshot: ProjectSnapshot | null;
  /** What the saved state's results are memoized under in a sample: the snapshot revision and the audience. */
  memoKey: string;
}

/**
 * Compiles a preview from the project's active snapshot: the saved audience as the snapshot has
 * it, the proposal, and two snapshots restricted to the experiences whose decision reads the
 * audience. Experiences decide independently of each other, so deciding this subset gives
 * exactly their manifest entries in the full snapshot (ADR 0070).
 */
export function planImpact(
  active: ProjectSnapshot,
  audienceUid: string | null,
  savedDefinition: RuleCombination | null,
  proposed: RuleCombination,
  names: ReadonlyMap<string, string>,
): ImpactPlan {
  const inputs = active.inputs;
  const catalog: AttributeCatalog = {
    customAttributes: new Map(inputs.customAttributes.map((a) => [a.uid, { key: a.key, ...(a.name === undefined ? {} : { name: a.name }) }])),
  };
  const oldDefinition = audienceUid === null ? null : (inputs.audiences.find((a) => a.uid === audienceUid)?.definition ?? savedDefinition);
  const affected = audienceUid === null ? [] : inputs.experiences.filter((e) => usesAudience(e, audienceUid));
  let beforeSnapshot: ProjectSnapshot | null = null;
  let afterSnapshot: ProjectSnapshot | null = null;
  if (audienceUid !== null && affected.length > 0) {
    const needed = new Set<string>();
    for (const e of affected) {
      for (const v of e.active?.variants ?? []) for (const a of v.audiences ?? []) needed.add(a);
      for (const a of e.active?.targeting?.audiences ?? []) needed.add(a);
    }
    const audiences = inputs.audiences.filter((a) => needed.has(a.uid) && a.uid !== audienceUid);
    const restricted = (definition: RuleCombination | null): DecisionInputs => ({
      customAttributes: inputs.customAttributes,
      audiences: definition === null ? audiences : [...audiences, { uid: audienceUid, definition }],
      experiences: affected,
    });
    beforeSnapshot = compileProjectSnapshot(active.projectUid, active.revision, restricted(oldDefinition));
    afterSnapshot = compileProjectSnapshot(active.projectUid, active.revision, restricted(proposed));
  }
  return {
    audienceUid,
    catalog,
    oldDefinition,
    newDefinition: proposed,
    oldMatcher: oldDefinition === null ? null : compileDefinition(oldDefinition, catalog),
    newMatcher: compileDefinition(proposed, catalog),
    experiences: affected.map((e) => ({ uid: e.uid, shortUid: e.shortUid, name: names.get(e.uid) ?? e.shortUid, versionUid: e.active?.versionUid ?? '' })),
    beforeSnapshot,
    afterSnapshot,
    memoKey: `${active.revision}\u0000${audienceUid ?? ''}`,
  };
}

/**
 * Accumulates a preview over chunks of the sample; `result()` can be read after any chunk. `memo`
 * keeps what does not depend on the proposal (saved membership, decisions with the saved
 * audience), so a user's next edit evaluates only the proposal.
 */
export function createImpactAccumulator(plan: ImpactPlan, memo: SampleMemo) {
  let sampleSize = 0;
  let before = 0;
  let after = 0;
  let joined = 0;
  let left = 0;
  let newest: string | null = null;
  let oldest: string | null = null;
  const perExperience = plan.experiences.map(() => ({ changing: 0, transitions: new Map<string, { from: string | null; to: string | null; visitors: number }>() }));
  const examples: { joined: ImpactExample[]; left: ImpactExample[] } = { joined: [], left: [] };

  function variantChanges(index: number, visitorUid: string, visitor: VisitorContext): VariantChange[] {
    if (plan.beforeSnapshot === null || plan.afterSnapshot === null) return [];
    // Both snapshots list the same experiences in the same order.
    let was = memo.before[index];
    if (was === undefined) {
      was = decide(plan.beforeSnapshot.engine, visitorUid, visitor).experiences.map((e) => e.activeVariantShortUid);
      memo.before[index] = was;
    }
    const now = decide(plan.afterSnapshot.engine, visitorUid, visitor).experiences;
    const out: VariantChange[] = [];
    plan.experiences.forEach((e, i) => {
      const from = was[i] ?? null;
      const to = now[i]?.activeVariantShortUid ?? null;
      if (from === to) return;
      const slot = perExperience[i];
      if (slot === undefined) return;
      slot.changing += 1;
      const key = `${from ?? ''}\u0000${to ?? ''}`;
      const t = slot.transitions.get(key) ?? { from, to, visitors: 0 };
      t.visitors += 1;
      slot.transitions.set(key, t);
      out.push({ experienceUid: e.uid, experienceName: e.name, from, to });
    });
    return out;
  }

  return {
    /** Evaluates visitors [from, to) of the sample (newest first). */
    add(visitors: readonly SampleVisitor[], from: number, to: number): void {
      for (let index = from; index < to; index++) {
        const sampled = visitors[index];
        if (sampled === undefined) break;
        const { row, context: visitor } = sampled;
        let known = memo.oldMembers[index] ?? 0;
        if (known === 0) {
          known = plan.oldMatcher !== null && plan.oldMatcher(visitor) ? 2 : 1;
          memo.oldMembers[index] = known;
        }
        const was = known === 2;
        const is = plan.newMatcher(visitor);
        sampleSize += 1;
        newest ??= row.lastSeenAt;
        oldest = row.lastSeenAt;
        if (was) before += 1;
        if (is) after += 1;
        // A visitor whose membership is unchanged decides exactly as before: every other audience is the same.
        if (was === is) continue;
        if (is) joined += 1;
        else left += 1;
        const variants = variantChanges(index, row.visitorUid, visitor);
        const side = is ? examples.joined : examples.left;
        if (side.length < EXAMPLES_PER_SIDE) {
          side.push({
            visitorUid: row.visitorUid,
            lastSeenAt: row.lastSeenAt,
            attributes: row.attributes,
            presets: { ...row.presets },
            rules: decidingRules(plan.oldDefinition, plan.newDefinition, plan.catalog, visitor),
            variants,
          });
        }
      }
    },

    result(): ImpactTotals {
      return {
        sampleSize,
        window: { from: oldest, to: newest },
        before,
        after,
        joined,
        left,
        unchanged: sampleSize - joined - left,
        experiences: plan.experiences.map((e, i) => ({
          uid: e.uid,
          name: e.name,
          status: 'ACTIVE',
          versionUid: e.versionUid,
          visitorsChangingVariant: perExperience[i]?.changing ?? 0,
          transitions: [...(perExperience[i]?.transitions.values() ?? [])].sort((a, b) => b.visitors - a.visitors),
        })),
        examples,
      };
    },
  };
}
