import { AudienceCompiler } from './audience-compiler.js';
import { trafficSeed, variantSeed } from './bucketing.js';
import {
  CompiledExperience,
  DecisionSnapshot,
  type AudienceSet,
  type CompiledAudience,
  type SnapshotExperience,
  type SnapshotInput,
} from './decide.js';
import { orderAudiences, type Estimate } from './evaluation-order.js';
import { prepareSeed } from './hashing.js';
import { SnapshotProgram } from './program.js';
import { SlotTable } from './slot-table.js';
import type { AttributeCatalog, RuleCombination } from './types.js';

/** Options of buildSnapshot. */
export interface SnapshotBuildOptions {
  /**
   * An earlier snapshot of the same project: what has not changed since is reused instead of
   * compiled again. An audience is reused when its definition is the same object as in the
   * earlier input and its custom attributes kept their keys; an experience when it is the same
   * object and every audience it names was reused. Inputs are compared by identity, so an input
   * must never be mutated once passed. The result decides exactly as a build without `previous`.
   */
  previous?: DecisionSnapshot;
}

/**
 * Slots of keys no attribute has any more (renamed or deleted) that a derived snapshot carries
 * before it moves its audiences to a fresh table: a bound on what a long run of edits leaves.
 */
const MAX_DEAD_SLOTS = 64;

function audienceSet(
  uids: readonly string[] | undefined,
  type: 'AND' | 'OR' | undefined,
  index: ReadonlyMap<string, number>,
  estimates: readonly Estimate[],
): AudienceSet {
  const and = type !== 'OR';
  // Pure tests: any order gives the same answer, so the likeliest to decide the set cheaply go first.
  const authored = (uids ?? []).map((u) => index.get(u) ?? -1);
  return { idx: Int32Array.from(orderAudiences(authored, estimates, and)), authored, and };
}

function compileExperience(e: SnapshotExperience, index: ReadonlyMap<string, number>, estimates: readonly Estimate[]): CompiledExperience {
  const tags = new Set(e.tags.map((t) => t.toLowerCase()));
  const v = e.active;
  if (v === null) return new CompiledExperience('none', e.uid, e.shortUid, tags);
  if (e.type === 'SEGMENTED') {
    const variants = v.variants.map((x) => ({ shortUid: x.shortUid, set: audienceSet(x.audiences, x.audienceCombinationType, index, estimates) }));
    return new CompiledExperience('segmented', e.uid, e.shortUid, tags, variants);
  }
  const equal = v.variants.every((x) => x.trafficDistribution === undefined);
  const t = v.targeting;
  const alloc = v.trafficAllocation ?? 100;
  return new CompiledExperience(
    'ab',
    e.uid,
    e.shortUid,
    tags,
    [],
    t == null || t.audiences.length === 0 ? null : audienceSet(t.audiences, t.audienceCombinationType, index, estimates),
    Math.max(0, Math.min(10_000, Math.round(alloc * 100))),
    prepareSeed(trafficSeed(e.uid, v.salt)),
    prepareSeed(variantSeed(e.uid, v.salt)),
    v.variants.map((x) => ({
      shortUid: x.shortUid,
      trafficDistribution: equal ? 100 / v.variants.length : (x.trafficDistribution ?? 0),
    })),
  );
}

/** Whether an experience's active version names any of `uids` (variants or target group). */
function namesAny(e: SnapshotExperience, uids: ReadonlySet<string>): boolean {
  const v = e.active;
  if (v === null) return false;
  for (const x of v.variants) for (const u of x.audiences ?? []) if (uids.has(u)) return true;
  for (const u of v.targeting?.audiences ?? []) if (uids.has(u)) return true;
  return false;
}

/** An unchanged experience over renumbered audiences; `moved` maps each old index to its new one. */
function renumbered(e: CompiledExperience, moved: Int32Array): CompiledExperience {
  const set = (s: AudienceSet): AudienceSet => ({
    idx: s.idx.map((i) => (i < 0 ? i : (moved[i] as number))),
    authored: s.authored.map((i) => (i < 0 ? i : (moved[i] as number))),
    and: s.and,
  });
  const variants = e.variants.map((v) => ({ shortUid: v.shortUid, set: set(v.set) }));
  return new CompiledExperience(e.kind, e.uid, e.shortUid, e.tags, variants, e.target === null ? null : set(e.target), e.trafficBound, e.traffic, e.variant, e.split);
}

function keysOf(catalog: AttributeCatalog): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [uid, entry] of catalog.customAttributes) keys.set(uid, entry.key);
  return keys;
}

/** Custom attribute uids whose key differs between two catalogs, attributes added or removed included. */
function rekeyed(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [uid, key] of after) if (before.get(uid) !== key) out.add(uid);
  for (const uid of before.keys()) if (!after.has(uid)) out.add(uid);
  return out;
}

function deadSlots(slots: SlotTable, keys: ReadonlyMap<string, string>): number {
  const live = new Set(keys.values());
  let dead = 0;
  for (let i = 0; i < slots.size; i++) if (!live.has(slots.keyOf(i))) dead++;
  return dead;
}

/**
 * Compiles a project's audiences and active versions once, for many decide() calls. With
 * `options.previous`, compiles only the audiences and experiences that changed since that
 * snapshot and shares the rest with it; `previous` itself stays valid and unchanged.
 */
export function buildSnapshot(input: SnapshotInput, options?: SnapshotBuildOptions): DecisionSnapshot {
  const previous = options?.previous;
  const catalogKeys = keysOf(input.attributeCatalog);
  // 1. Compiled code holds the keys its custom attributes had: a new key means compiling again.
  const stale = previous === undefined ? new Set<string>() : rekeyed(previous.catalogKeys, catalogKeys);
  // 2. A derived snapshot adds its slots to the shared table, which an old snapshot never reads
  //    past its own; renamed keys leave slots behind, so past a bound the audiences move to a
  //    fresh table (relinking copies their instructions, it does not compile them).
  let slots = previous?.slots ?? new SlotTable();
  const relink = previous !== undefined && deadSlots(slots, catalogKeys) > MAX_DEAD_SLOTS;
  if (relink) slots = new SlotTable();
  const compiler = new AudienceCompiler(slots, input.attributeCatalog);

  // 3. Audiences, the first of each uid counting (as decide() has always read duplicates):
  //    `kept[k]` is what becomes of the previous snapshot's audience k, `added` the new uids.
  const before = previous?.audiences ?? [];
  const kept = new Array<CompiledAudience | undefined>(before.length);
  const added = new Map<string, CompiledAudience>();
  /** Audiences compiled anew, added or gone: the experiences naming one compile again. */
  const changed = new Set<string>();
  const compile = (uid: string, definition: RuleCombination): CompiledAudience => {
    if (previous !== undefined) changed.add(uid);
    return { uid, definition, estimate: compiler.planner.estimate(definition), code: compiler.compile(definition) };
  };
  for (const a of input.audiences) {
    const k = previous?.index.get(a.uid);
    if (k === undefined) {
      if (!added.has(a.uid)) added.set(a.uid, compile(a.uid, a.definition));
      continue;
    }
    if (kept[k] !== undefined) continue;
    const old = before[k] as CompiledAudience;
    const reusable = old.definition === a.definition && !old.code.attributes.some((u) => stale.has(u));
    kept[k] = !reusable ? compile(a.uid, a.definition) : relink && previous !== undefined ? { ...old, code: old.code.relink(previous.slots, slots) } : old;
  }

  // 4. Audiences kept keep their index, new ones come after: decisions do not depend on the
  //    numbering, and unchanged experiences then keep their audience sets as they are.
  const audiences: CompiledAudience[] = [];
  /** Per index, the previous index when the code is the previous snapshot's, else -1. */
  const from: number[] = [];
  const moved = new Int32Array(before.length);
  let removed = false;
  for (let k = 0; k < before.length; k++) {
    const a = kept[k];
    const old = before[k] as CompiledAudience;
    if (a === undefined) {
      changed.add(old.uid);
      moved[k] = -1;
      removed = true;
      continue;
    }
    moved[k] = audiences.length;
    from.push(a.code === old.code ? k : -1);
    audiences.push(a);
  }
  for (const a of added.values()) {
    from.push(-1);
    audiences.push(a);
  }
  let index = previous?.index;
  if (index === undefined || removed || added.size > 0) {
    const fresh = new Map<string, number>();
    for (let i = 0; i < audiences.length; i++) fresh.set((audiences[i] as CompiledAudience).uid, i);
    index = fresh;
  }
  const codes = audiences.map((a) => a.code);
  const program = previous === undefined ? SnapshotProgram.link(slots, codes) : previous.program.derive(slots, codes, Int32Array.from(from));

  // 5. Experiences: the same input naming no changed audience keeps its compiled form.
  let estimates: Estimate[] | undefined;
  let reusable: Map<SnapshotExperience, CompiledExperience> | undefined;
  const experiences = input.experiences.map((e, k) => {
    let old: CompiledExperience | undefined;
    if (previous !== undefined) {
      if (previous.experienceInputs[k] === e) old = previous.experiences[k];
      else {
        reusable ??= new Map(previous.experienceInputs.map((x, j) => [x, previous.experiences[j] as CompiledExperience]));
        old = reusable.get(e);
      }
    }
    if (old === undefined || namesAny(e, changed)) return compileExperience(e, index, (estimates ??= audiences.map((a) => a.estimate)));
    return removed ? renumbered(old, moved) : old;
  });
  return new DecisionSnapshot({ audiences, index, experiences, experienceInputs: [...input.experiences], catalogKeys, slots, program });
}
