import { pickVariantIndexByTraffic } from './bucketing.js';
import { decisionWork } from './decision-work.js';
import type { Estimate } from './evaluation-order.js';
import { prepareSeed, UidHasher, type PreparedSeed } from './hashing.js';
import type { AudienceCode, SnapshotProgram } from './program.js';
import type { SlotTable } from './slot-table.js';
import type { AttributeCatalog, RuleCombination, VisitorContext } from './types.js';

/** A variant of an active version, as the snapshot input gives it. */
export interface SnapshotVariant {
  shortUid: string;
  /** SEGMENTED: audience uids. Empty or absent: the variant never matches. */
  audiences?: readonly string[];
  /** SEGMENTED: default "AND" (the console's "Match All" default). */
  audienceCombinationType?: 'AND' | 'OR';
  /** AB_TEST: percent of the test's visitors. When no variant has one, the split is equal. */
  trafficDistribution?: number;
}

/** One experience of the project, in priority order. */
export interface SnapshotExperience {
  uid: string;
  shortUid: string;
  type: 'SEGMENTED' | 'AB_TEST';
  tags: readonly string[];
  /** The ACTIVE version, or null (draft-only or paused): the manifest then says null. */
  active: null | {
    versionUid: string;
    /** Per-version salt for hashing. */
    salt: string;
    variants: ReadonlyArray<SnapshotVariant>;
    /** AB_TEST target group; null, absent or an empty list means Everyone. */
    targeting?: null | { audiences: readonly string[]; audienceCombinationType: 'AND' | 'OR' };
    /** Percent of (targeted) visitors in the test, default 100. */
    trafficAllocation?: number;
  };
}

/** Everything decide() needs about a project. */
export interface SnapshotInput {
  attributeCatalog: AttributeCatalog;
  audiences: ReadonlyArray<{ uid: string; definition: RuleCombination }>;
  /** In PRIORITY order, highest first; all experiences of the project. */
  experiences: ReadonlyArray<SnapshotExperience>;
}

/** One experience as decideInto() reports on it. */
export interface ExperienceOutline {
  readonly shortUid: string;
  /** The variants' shortUids: decideInto()'s variant indexes point into this list. */
  readonly outcomes: readonly string[];
}

/** decideInto()'s value for an experience that has no variant for the visitor (the manifest's null). */
export const NO_VARIANT = -1;
/** decideInto()'s value for an experience the tag filter leaves out of the manifest. */
export const LEFT_OUT = -2;

/** Experience to variant decision for one visitor, in priority order (the Edge API body). */
export interface Manifest {
  experiences: Array<{ shortUid: string; activeVariantShortUid: string | null }>;
}

/** @internal */
export interface AudienceSet {
  /** Indexes into the snapshot's matchers, in evaluation order; -1 for uids the snapshot does not know (never match). */
  idx: Int32Array;
  /** The same indexes in the authored order, for explanations. */
  authored: readonly number[];
  and: boolean;
}

/** @internal A variant of a SEGMENTED experience. */
export interface CompiledVariant {
  shortUid: string;
  set: AudienceSet;
}

const NO_SEED: PreparedSeed = prepareSeed('');

/**
 * @internal A precompiled experience. One class for every kind, so decide()'s loop reads
 * fields of a single shape.
 */
export class CompiledExperience {
  constructor(
    readonly kind: 'none' | 'segmented' | 'ab',
    readonly uid: string,
    readonly shortUid: string,
    readonly tags: ReadonlySet<string>,
    /** SEGMENTED: variants in order (empty otherwise). */
    readonly variants: CompiledVariant[] = [],
    /** AB_TEST: the target group, null for Everyone. */
    readonly target: AudienceSet | null = null,
    /** AB_TEST: buckets below this are in the test; 10000 skips the draw. */
    readonly trafficBound = 10_000,
    readonly traffic: PreparedSeed = NO_SEED,
    readonly variant: PreparedSeed = NO_SEED,
    /** AB_TEST: variants with their traffic share. */
    readonly split: Array<{ shortUid: string; trafficDistribution: number }> = [],
  ) {
    this.outcomes = kind === 'segmented' ? variants.map((v) => v.shortUid) : split.map((v) => v.shortUid);
  }

  /** Variant shortUids by the index decideOne() answers. */
  readonly outcomes: readonly string[];
}

/** @internal One audience of a snapshot, with what a derived build compares before reusing it. */
export interface CompiledAudience {
  readonly uid: string;
  readonly definition: RuleCombination;
  readonly code: AudienceCode;
  readonly estimate: Estimate;
}

/** @internal What a snapshot is made of (see snapshot-build.ts). */
export interface SnapshotParts {
  /** By index: the audience sets of the experiences and the memo number audiences alike. */
  audiences: readonly CompiledAudience[];
  index: ReadonlyMap<string, number>;
  experiences: readonly CompiledExperience[];
  /** The input each experience was compiled from, by position. */
  experienceInputs: readonly SnapshotExperience[];
  /** Custom attribute uid → key, as the audiences were compiled. */
  catalogKeys: ReadonlyMap<string, string>;
  /** Shared with the snapshots derived from this one: slots are only ever added. */
  slots: SlotTable;
  /** The audiences' code, by index, over `slots`. */
  program: SnapshotProgram;
}

/**
 * A project precompiled for decide(): every audience compiled once, seeds pre-hashed. Immutable
 * from the outside; its per-call memo scratch is private and reset by each call.
 */
export class DecisionSnapshot {
  /** @internal */ readonly audiences: readonly CompiledAudience[];
  /** @internal Audience uid → index into `audiences`. */ readonly index: ReadonlyMap<string, number>;
  /** @internal */ readonly experiences: readonly CompiledExperience[];
  /** @internal */ readonly experienceInputs: readonly SnapshotExperience[];
  /** @internal */ readonly catalogKeys: ReadonlyMap<string, string>;
  /** @internal */ readonly slots: SlotTable;
  /** @internal */ readonly program: SnapshotProgram;
  /** Per audience: (generation << 1) | matched, so one read tells both "evaluated this call" and the result. */
  private readonly memo: Int32Array;
  private generation = 0;
  /** @internal decide()'s reusable hashing buffers. */
  readonly hash = new UidHasher();
  /** @internal decide()'s reusable decideInto() result (a call copies it out before returning). */
  readonly decided: Int32Array;

  /** @internal Use buildSnapshot. */
  constructor(parts: SnapshotParts) {
    this.audiences = parts.audiences;
    this.index = parts.index;
    this.experiences = parts.experiences;
    this.experienceInputs = parts.experienceInputs;
    this.catalogKeys = parts.catalogKeys;
    this.slots = parts.slots;
    this.program = parts.program;
    this.memo = new Int32Array(parts.audiences.length);
    this.decided = new Int32Array(parts.experiences.length);
  }

  /** The experiences in priority order, as decideInto() indexes them. */
  get outline(): readonly ExperienceOutline[] {
    return this.experiences;
  }

  /** @internal Starts a decide() call: forgets the previous visitor's audience results. */
  begin(): void {
    this.slots.begin();
    // Generations stay below 2^30 so that (generation << 1) | 1 is a positive int32.
    this.generation = (this.generation + 1) & 0x3fffffff;
    if (this.generation === 0) {
      this.memo.fill(0);
      this.generation = 1;
    }
  }

  /** @internal Audience membership, evaluated at most once per call. */
  member(i: number, visitor: VisitorContext): boolean {
    if (i < 0) return false;
    const m = this.memo[i] as number;
    if (m >> 1 === this.generation) return (m & 1) === 1;
    const hit = this.program.run(i, visitor);
    this.memo[i] = (this.generation << 1) | (hit ? 1 : 0);
    return hit;
  }

  /** @internal */
  matchesSet(set: AudienceSet, visitor: VisitorContext): boolean {
    const n = set.idx.length;
    if (n === 0) return false;
    for (let k = 0; k < n; k++) {
      const hit = this.member(set.idx[k] as number, visitor);
      if (set.and ? !hit : hit) return !set.and;
    }
    return set.and;
  }
}

/** Lower-cased tag filter, or null for "no filter". */
export function tagFilter(tags: readonly string[] | undefined): ReadonlySet<string> | null {
  return tags === undefined || tags.length === 0 ? null : new Set(tags.map((t) => t.toLowerCase()));
}

/** @internal Whether an experience passes the tag filter (OR over tags). */
export function passesTags(e: { tags: ReadonlySet<string> }, filter: ReadonlySet<string> | null): boolean {
  if (filter === null) return true;
  for (const t of e.tags) if (filter.has(t)) return true;
  return false;
}

/** @internal Per-call hashing buffers. */
export function hashScratch(visitorUid: string): UidHasher {
  return new UidHasher().reset(visitorUid);
}

/** @internal The index of one experience's variant in its `outcomes`, or NO_VARIANT; `trace` collects explanations when given. */
export function decideOne(
  s: DecisionSnapshot,
  e: CompiledExperience,
  visitor: VisitorContext,
  hash: UidHasher,
  trace?: string[],
): number {
  // 1. No active version (draft-only or paused): the visitor sees the base entry.
  if (e.kind === 'none') {
    trace?.push('no active version (draft-only or paused)');
    return NO_VARIANT;
  }
  // 2. SEGMENTED: the first variant, in order, whose audiences match.
  if (e.kind === 'segmented') {
    const variants = e.variants;
    for (let k = 0; k < variants.length; k++) {
      const v = variants[k] as CompiledVariant;
      if (s.matchesSet(v.set, visitor)) {
        trace?.push(`variant ${v.shortUid}: audiences match (${v.set.and ? 'all' : 'any'})`);
        return k;
      }
      trace?.push(`variant ${v.shortUid}: audiences do not match (${v.set.and ? 'all' : 'any'})`);
    }
    return NO_VARIANT;
  }
  // 3. AB_TEST: target group, then the traffic draw, then the variant draw (independent seeds).
  if (e.target !== null && !s.matchesSet(e.target, visitor)) {
    trace?.push('outside the target group');
    return NO_VARIANT;
  }
  if (e.trafficBound < 10_000) {
    const b = hash.bucket(e.traffic);
    if (b >= e.trafficBound) {
      trace?.push(`traffic bucket ${b} is outside the allocation (< ${e.trafficBound})`);
      return NO_VARIANT;
    }
  }
  const bucket = hash.bucket(e.variant);
  const picked = pickVariantIndexByTraffic(bucket, e.split);
  trace?.push(`variant bucket ${bucket} → ${picked < 0 ? 'no variant (distribution below 100 %)' : e.outcomes[picked]}`);
  return picked;
}

/**
 * The decision for one visitor without building a manifest: `into[k]` becomes the index of
 * experience k's variant in `snapshot.outline[k].outcomes`, NO_VARIANT, or LEFT_OUT when the tag
 * filter (OR, case-insensitive, applied before evaluation) leaves it out. `into` needs at least
 * `outline.length` slots; callers on a hot path reuse one. Each audience is evaluated at most once,
 * within the decision's work budget: rules evaluated once it is spent do not match (ADR 0080).
 */
export function decideInto(
  snapshot: DecisionSnapshot,
  visitorUid: string,
  visitor: VisitorContext,
  into: Int32Array,
  options?: { tags?: readonly string[] },
): void {
  const all = snapshot.experiences;
  if (into.length < all.length) throw new RangeError(`decideInto needs ${all.length} slots, received ${into.length}.`);
  snapshot.begin();
  decisionWork.begin();
  try {
    const filter = tagFilter(options?.tags);
    const hash = snapshot.hash.reset(visitorUid);
    for (let k = 0; k < all.length; k++) {
      const e = all[k] as CompiledExperience;
      into[k] = filter !== null && !passesTags(e, filter) ? LEFT_OUT : decideOne(snapshot, e, visitor, hash);
    }
  } finally {
    decisionWork.end();
  }
}

/**
 * The manifest for one visitor: every experience of the snapshot that passes the tag filter, in
 * priority order; null where the experience has no active version or the visitor gets no variant.
 */
export function decide(
  snapshot: DecisionSnapshot,
  visitorUid: string,
  visitor: VisitorContext,
  options?: { tags?: readonly string[] },
): Manifest {
  const all = snapshot.experiences;
  const into = snapshot.decided;
  decideInto(snapshot, visitorUid, visitor, into, options);
  // Sized once: growing the array push by push was a tenth of a decision's cost.
  const out: Manifest['experiences'] = new Array<Manifest['experiences'][number]>(all.length);
  let n = 0;
  for (let k = 0; k < all.length; k++) {
    const v = into[k] as number;
    if (v === LEFT_OUT) continue;
    const e = all[k] as CompiledExperience;
    out[n++] = { shortUid: e.shortUid, activeVariantShortUid: v === NO_VARIANT ? null : (e.outcomes[v] as string) };
  }
  out.length = n;
  return { experiences: out };
}
