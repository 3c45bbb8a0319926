import { compileDefinition, decide, type AttributeCatalog, type Matcher, type Rule, type RuleCombination, type VisitorContext } from '@tailor/engine';
import type { DecisionExperienceInput, ProjectSnapshot } from '../decisions/index.js';
import { compileProjectSnapshot } from '../decisions/index.js';
import type { SampleVisitor } from './impact-sample.js';
import { decidingRules, type ImpactExample, type ImpactTotals, type VariantChange } from './impact-examples.js';

const EXAMPLES_PER_SIDE = 3;
const EMPTY_IDS = new Int32Array(0);

/** Whether an active version's decision reads the audience (a segmented variant or the A/B target group). */
export function usesAudience(e: DecisionExperienceInput, audienceUid: string): boolean {
  if (e.active === null) return false;
  if (e.active.variants.some((v) => v.audiences?.includes(audienceUid) === true)) return true;
  return e.active.targeting?.audiences.includes(audienceUid) === true;
}


/** A definition compiled for the sample: each rule's results are kept per visitor and reused by later previews. */
type EvalNode = { kind: 'rule'; results: Uint8Array; match: Matcher } | { kind: 'group'; and: boolean; children: EvalNode[] };

/** Results of one rule per sampled visitor: 0 not evaluated yet, 1 false, 2 true. */
export type RuleResults = Map<string, Uint8Array>;

/** What one saved audience state fixes, whatever the proposal: kept per sample (ADR 0070). */
export interface SavedStateMemo {
  /**
   * The affected experiences twice: first with the audience forced to match everyone, then with
   * it forced to match no one. One decide() call answers both, evaluating every other audience once.
   */
  forced: ProjectSnapshot | null;
  /** Per visitor: 0 not evaluated yet, 1 not a member, 2 a member of the saved audience. */
  oldMembers: Uint8Array;
  /**
   * Every (experience, from, to) variant change seen so far, by id. A visitor can only move one
   * way (out of the saved audience if in it, else into it), so their changes are fixed whatever
   * the proposal: computed once and kept as ids.
   */
  transitions: Array<{ experience: number; from: string | null; to: string | null }>;
  /** Per experience: from → to → id. */
  transitionIds: Array<Map<string | null, Map<string | null, number>>>;
  /** Per visitor, the ids of the changes moving them causes. */
  changes: Array<Int32Array | undefined>;
}

const MAX_CACHED_RULES = 256;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Compiles a definition into a tree whose rules read and fill `cache`. The engine's groups are
 * pure AND/OR over their children (an empty group matches nothing) and a rule reads one visitor's
 * values only, so combining cached rule results is exactly `compileDefinition`'s answer; an edit
 * then costs the evaluation of the rules it changed.
 */
function compileForSample(definition: RuleCombination, catalog: AttributeCatalog, cache: RuleResults, size: number): EvalNode {
  const node = (n: Rule | RuleCombination): EvalNode => {
    if (n.__type === 'RuleCombination') return { kind: 'group', and: n.combinationType === 'AND', children: n.rules.map(node) };
    const key = canonical(n);
    let results = cache.get(key);
    if (results === undefined) {
      if (cache.size >= MAX_CACHED_RULES) cache.clear();
      results = new Uint8Array(size);
      cache.set(key, results);
    }
    return { kind: 'rule', results, match: compileDefinition({ __type: 'RuleCombination', combinationType: 'AND', rules: [n] }, catalog) };
  };
  return node(definition);
}

function evaluate(node: EvalNode, index: number, visitor: VisitorContext): boolean {
  if (node.kind === 'rule') {
    let result = node.results[index] ?? 0;
    if (result === 0) {
      result = node.match(visitor) ? 2 : 1;
      node.results[index] = result;
    }
    return result === 2;
  }
  if (node.children.length === 0) return false;
  if (node.and) {
    for (const child of node.children) if (!evaluate(child, index, visitor)) return false;
    return true;
  }
  for (const child of node.children) if (evaluate(child, index, visitor)) return true;
  return false;
}

// The audience forced to match everyone (a rule on an attribute no catalog has, inverted: "has no value") or no one (an empty group).
const MATCH_EVERYONE = {
  __type: 'RuleCombination',
  combinationType: 'AND',
  rules: [{ __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: 'impact-preview-forced' }, attributeMatchCondition: 'HAS_ANY_VALUE', invertCondition: true }],
} as unknown as RuleCombination;
const MATCH_NO_ONE: RuleCombination = { __type: 'RuleCombination', combinationType: 'AND', rules: [] };

/** What the evaluation needs, compiled once per preview. */
export interface ImpactPlan {
  audienceUid: string | null;
  catalog: AttributeCatalog;
  oldDefinition: RuleCombination | null;
  newDefinition: RuleCombination;
  experiences: ReadonlyArray<{ uid: string; shortUid: string; name: string; versionUid: string; variants: Array<{ shortUid: string; name: string }> }>;
  /** What the saved state's results are kept under in a sample: the snapshot revision and the audience. */
  memoKey: string;
  /** Rule results are valid for one attribute catalog, i.e. one snapshot revision. */
  rulesKey: string;
  /** Builds the saved state's memo the first time a sample needs it. */
  savedState(size: number): SavedStateMemo;
}

/**
 * Plans a preview from the project's active snapshot. Only the experiences whose decision reads
 * the audience can change; experiences decide independently of each other, so deciding that
 * subset gives exactly their manifest entries in the full snapshot. Since the edit changes one
 * audience only, a visitor's decision depends on the edit only through their membership: it is
 * decided twice at most, with the audience forced in and forced out, whatever the proposal (ADR 0070).
 */
export function planImpact(
  active: ProjectSnapshot,
  audienceUid: string | null,
  savedDefinition: RuleCombination | null,
  proposed: RuleCombination,
  names: ReadonlyMap<string, string>,
  variantNames: ReadonlyMap<string, ReadonlyMap<string, string>>,
): ImpactPlan {
  const inputs = active.inputs;
  const catalog: AttributeCatalog = {
    customAttributes: new Map(inputs.customAttributes.map((a) => [a.uid, { key: a.key, ...(a.name === undefined ? {} : { name: a.name }) }])),
  };
  const oldDefinition = audienceUid === null ? null : (inputs.audiences.find((a) => a.uid === audienceUid)?.definition ?? savedDefinition);
  const affected = audienceUid === null ? [] : inputs.experiences.filter((e) => usesAudience(e, audienceUid));
  return {
    audienceUid,
    catalog,
    oldDefinition,
    newDefinition: proposed,
    experiences: affected.map((e) => ({
      uid: e.uid,
      shortUid: e.shortUid,
      name: names.get(e.uid) ?? e.shortUid,
      versionUid: e.active?.versionUid ?? '',
      variants: (e.active?.variants ?? []).map((v) => ({ shortUid: v.shortUid, name: variantNames.get(e.uid)?.get(v.shortUid) ?? `Variant ${v.shortUid}` })),
    })),
    memoKey: `saved\u0000${active.revision}\u0000${audienceUid ?? ''}\u0000${canonical(oldDefinition)}`,
    rulesKey: `rules\u0000${active.revision}`,
    savedState(size) {
      const memo: SavedStateMemo = {
        forced: null,
        oldMembers: new Uint8Array(size),
        transitions: [],
        transitionIds: affected.map(() => new Map()),
        changes: new Array<Int32Array | undefined>(size),
      };
      if (audienceUid === null || affected.length === 0) return memo;
      const needed = new Set<string>();
      for (const e of affected) {
        for (const v of e.active?.variants ?? []) for (const a of v.audiences ?? []) needed.add(a);
        for (const a of e.active?.targeting?.audiences ?? []) needed.add(a);
      }
      const audiences = inputs.audiences.filter((a) => needed.has(a.uid) && a.uid !== audienceUid);
      // Copies keep their uid and salt, so A/B buckets are the experience's own.
      const copy = (e: DecisionExperienceInput, uid: string): DecisionExperienceInput => {
        const swap = (list: readonly string[]) => list.map((a) => (a === audienceUid ? uid : a));
        const active = e.active;
        if (active === null) return e;
        return {
          ...e,
          active: {
            ...active,
            variants: active.variants.map((v) => (v.audiences === undefined ? v : { ...v, audiences: swap(v.audiences) })),
            ...(active.targeting ? { targeting: { ...active.targeting, audiences: swap(active.targeting.audiences) } } : {}),
          },
        };
      };
      const inUid = `${audienceUid}#in`;
      const outUid = `${audienceUid}#out`;
      memo.forced = compileProjectSnapshot(active.projectUid, active.revision, {
        customAttributes: inputs.customAttributes,
        audiences: [...audiences, { uid: inUid, definition: MATCH_EVERYONE }, { uid: outUid, definition: MATCH_NO_ONE }],
        experiences: [...affected.map((e) => copy(e, inUid)), ...affected.map((e) => copy(e, outUid))],
      });
      return memo;
    },
  };
}

/** What a sample keeps between previews. */
export interface SampleMemos {
  rules: RuleResults;
  saved: SavedStateMemo;
}

/**
 * Accumulates a preview over chunks of the sample; `result()` can be read after any chunk.
 * `memos` keeps what does not depend on the proposal, so a user's next edit costs little.
 */
export function createImpactAccumulator(plan: ImpactPlan, memos: SampleMemos, size: number) {
  const oldTree = plan.oldDefinition === null ? null : compileForSample(plan.oldDefinition, plan.catalog, memos.rules, size);
  const newTree = compileForSample(plan.newDefinition, plan.catalog, memos.rules, size);
  const saved = memos.saved;
  let sampleSize = 0;
  let before = 0;
  let after = 0;
  let joined = 0;
  let left = 0;
  let newest: string | null = null;
  let oldest: string | null = null;
  /** Visitors per transition id in this preview (grown as new ids appear). */
  let counts = new Int32Array(Math.max(64, saved.transitions.length));
  const examples: { joined: ImpactExample[]; left: ImpactExample[] } = { joined: [], left: [] };

  /** The ids of the variant changes moving this visitor causes (memoized per visitor). */
  function changesOf(was: boolean, index: number, visitorUid: string, visitor: VisitorContext): Int32Array {
    const known = saved.changes[index];
    if (known !== undefined) return known;
    const n = plan.experiences.length;
    const decided = saved.forced === null ? [] : decide(saved.forced.engine, visitorUid, visitor).experiences;
    // Entries [0, n) are decided with the audience forced in, [n, 2n) forced out.
    const inAt = (i: number) => decided[i]?.activeVariantShortUid ?? null;
    const outAt = (i: number) => decided[n + i]?.activeVariantShortUid ?? null;
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = was ? inAt(i) : outAt(i);
      const b = was ? outAt(i) : inAt(i);
      if (a === b) continue;
      const byFrom = saved.transitionIds[i];
      if (byFrom === undefined) continue;
      let byTo = byFrom.get(a);
      if (byTo === undefined) {
        byTo = new Map();
        byFrom.set(a, byTo);
      }
      let id = byTo.get(b);
      if (id === undefined) {
        id = saved.transitions.length;
        saved.transitions.push({ experience: i, from: a, to: b });
        byTo.set(b, id);
      }
      ids.push(id);
    }
    const out = Int32Array.from(ids);
    saved.changes[index] = out;
    return out;
  }

  function describeChanges(ids: Int32Array): VariantChange[] {
    return Array.from(ids, (id) => {
      const t = saved.transitions[id];
      const e = t === undefined ? undefined : plan.experiences[t.experience];
      return { experienceUid: e?.uid ?? '', experienceName: e?.name ?? '', from: t?.from ?? null, to: t?.to ?? null };
    });
  }

  return {
    /** Evaluates visitors [from, to) of the sample (newest first). */
    add(visitors: readonly SampleVisitor[], from: number, to: number): void {
      for (let index = from; index < to; index++) {
        const sampled = visitors[index];
        if (sampled === undefined) break;
        const { row, context: visitor } = sampled;
        let known = saved.oldMembers[index] ?? 0;
        if (known === 0) {
          known = oldTree !== null && evaluate(oldTree, index, visitor) ? 2 : 1;
          saved.oldMembers[index] = known;
        }
        const was = known === 2;
        const is = evaluate(newTree, index, visitor);
        sampleSize += 1;
        newest ??= row.lastSeenAt;
        oldest = row.lastSeenAt;
        if (was) before += 1;
        if (is) after += 1;
        // A visitor whose membership is unchanged decides exactly as before: every other audience is the same.
        if (was === is) continue;
        if (is) joined += 1;
        else left += 1;
        const ids = plan.experiences.length === 0 ? EMPTY_IDS : changesOf(was, index, row.visitorUid, visitor);
        if (saved.transitions.length > counts.length) {
          const grown = new Int32Array(saved.transitions.length * 2);
          grown.set(counts);
          counts = grown;
        }
        for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
        const side = is ? examples.joined : examples.left;
        if (side.length < EXAMPLES_PER_SIDE) {
          side.push({
            visitorUid: row.visitorUid,
            lastSeenAt: row.lastSeenAt,
            attributes: row.attributes,
            presets: { ...row.presets },
            rules: decidingRules(plan.oldDefinition, plan.newDefinition, plan.catalog, visitor),
            variants: describeChanges(ids),
          });
        }
      }
    },

    result(): ImpactTotals {
      const perExperience = plan.experiences.map(() => ({ changing: 0, transitions: [] as Array<{ from: string | null; to: string | null; visitors: number }> }));
      counts.forEach((visitors, id) => {
        const t = saved.transitions[id];
        const slot = t === undefined ? undefined : perExperience[t.experience];
        if (t === undefined || slot === undefined || visitors === 0) return;
        slot.changing += visitors;
        slot.transitions.push({ from: t.from, to: t.to, visitors });
      });
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
          variants: e.variants,
          visitorsChangingVariant: perExperience[i]?.changing ?? 0,
          transitions: (perExperience[i]?.transitions ?? []).sort((a, b) => b.visitors - a.visitors),
        })),
        examples,
      };
    },
  };
}
