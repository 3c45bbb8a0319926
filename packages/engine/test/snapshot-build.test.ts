// Snapshots derived from a previous one (buildSnapshot with `previous`) against fresh builds of
// the same input: random edits of every kind, applied the way the server patches its inputs
// (edited parts are new objects, the rest the very objects of the previous input).
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  compileDefinition,
  decide,
  decisionWork,
  explainDecision,
  type AttributeCatalog,
  type DecisionSnapshot,
  type Rule,
  type RuleCombination,
  type SnapshotExperience,
  type SnapshotInput,
  type VisitorContext,
} from '../src/index.js';
import { AudienceCompiler } from '../src/audience-compiler.js';
import { SnapshotProgram } from '../src/program.js';
import { SlotTable } from '../src/slot-table.js';
import { CATALOG, definitionArb, visitorArb } from './arbitraries.js';

const ATTRIBUTE_UIDS = [...CATALOG.customAttributes.keys()];
const KEYS = ['a', 'b', 'c', 'd'];
const AUDIENCE_UIDS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
/** Named by experiences, never defined: such a set member never matches. */
const UNKNOWN = 'zz';

interface Project {
  /** Key per attribute uid, undefined when the attribute is not in the catalog. */
  keys: Array<string | undefined>;
  catalog: AttributeCatalog;
  audiences: SnapshotInput['audiences'];
  experiences: readonly SnapshotExperience[];
}

const catalogOf = (keys: ReadonlyArray<string | undefined>): AttributeCatalog => ({
  customAttributes: new Map(ATTRIBUTE_UIDS.flatMap((uid, i) => (keys[i] === undefined ? [] : [[uid, { key: keys[i] as string }] as const]))),
});

const inputOf = (p: Project): SnapshotInput => ({ attributeCatalog: p.catalog, audiences: p.audiences, experiences: p.experiences });

const uidsArb = fc.uniqueArray(fc.constantFrom(...AUDIENCE_UIDS, UNKNOWN), { maxLength: 3 });
const combinationArb = fc.option(fc.constantFrom('AND' as const, 'OR' as const), { nil: undefined });

const activeArb = (type: SnapshotExperience['type']): fc.Arbitrary<SnapshotExperience['active']> =>
  type === 'SEGMENTED'
    ? fc.record({
        versionUid: fc.constant('v1'),
        salt: fc.constantFrom('s', 't'),
        variants: fc.array(
          fc.record({ audiences: uidsArb, audienceCombinationType: combinationArb }).map(({ audiences, audienceCombinationType }) =>
            audienceCombinationType === undefined ? { shortUid: '', audiences } : { shortUid: '', audiences, audienceCombinationType },
          ),
          { minLength: 1, maxLength: 3 },
        ),
      })
    : fc.record({
        versionUid: fc.constant('v1'),
        salt: fc.constantFrom('s', 't'),
        variants: fc.array(fc.option(fc.constantFrom(10, 40, 50), { nil: undefined }), { minLength: 1, maxLength: 3 }).map((shares) =>
          shares.map((share) => (share === undefined ? { shortUid: '' } : { shortUid: '', trafficDistribution: share })),
        ),
        targeting: fc.option(fc.record({ audiences: uidsArb, audienceCombinationType: fc.constantFrom('AND' as const, 'OR' as const) }), { nil: null }),
        trafficAllocation: fc.constantFrom(100, 60, 5),
      });

/** An experience `uid`; variants get shortUids in order. */
const experienceArb = (uid: string): fc.Arbitrary<SnapshotExperience> =>
  fc
    .constantFrom('SEGMENTED' as const, 'AB_TEST' as const)
    .chain((type) => fc.record({ type: fc.constant(type), tags: fc.subarray(['x', 'Y']), active: fc.option(activeArb(type), { nil: null, freq: 6 }) }))
    .map(({ type, tags, active }) => ({
      uid,
      shortUid: uid.slice(1),
      type,
      tags,
      active: active === null ? null : { ...active, variants: active.variants.map((v, k) => ({ ...v, shortUid: String(k) })) },
    }));

const projectArb: fc.Arbitrary<Project> = fc
  .record({
    keys: fc.tuple(...ATTRIBUTE_UIDS.map(() => fc.option(fc.constantFrom(...KEYS), { nil: undefined, freq: 5 }))),
    audiences: fc.array(fc.tuple(fc.constantFrom(...AUDIENCE_UIDS), definitionArb), { maxLength: 6 }),
    experiences: fc.array(fc.nat(99), { minLength: 1, maxLength: 5 }).chain((ns) => fc.tuple(...[...new Set(ns)].map((n) => experienceArb(`e${n}`)))),
  })
  .map(({ keys, audiences, experiences }) => ({ keys, catalog: catalogOf(keys), audiences: audiences.map(([uid, definition]) => ({ uid, definition })), experiences }));

/** One change, as the server would load it: only what changed is a new object. */
type Edit = (p: Project) => Project;

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  // An audience's definition changes (or a new audience appears), moved to the end as the server's patch does.
  fc.tuple(fc.constantFrom(...AUDIENCE_UIDS), definitionArb).map(([uid, definition]): Edit => (p) => ({ ...p, audiences: [...p.audiences.filter((a) => a.uid !== uid), { uid, definition }] })),
  // An audience is deleted.
  fc.constantFrom(...AUDIENCE_UIDS).map((uid): Edit => (p) => ({ ...p, audiences: p.audiences.filter((a) => a.uid !== uid) })),
  // A duplicate uid after the first: the first one counts.
  fc.tuple(fc.constantFrom(...AUDIENCE_UIDS), definitionArb).map(([uid, definition]): Edit => (p) => ({ ...p, audiences: [...p.audiences, { uid, definition }] })),
  // An attribute's key changes, or the attribute goes, or comes (a new catalog of equal entries otherwise).
  fc.tuple(fc.nat(ATTRIBUTE_UIDS.length - 1), fc.option(fc.constantFrom(...KEYS), { nil: undefined })).map(([i, key]): Edit => (p) => {
    const keys = p.keys.map((k, j) => (j === i ? key : k));
    return { ...p, keys, catalog: catalogOf(keys) };
  }),
  // The same catalog content in new objects: nothing to compile.
  fc.constant((p: Project): Project => ({ ...p, catalog: catalogOf(p.keys) })),
  // An experience changes or is added (the server reloads them all: fresh objects for every one).
  fc.nat(99).chain((n) => experienceArb(`e${n}`)).map((e): Edit => (p) => {
    const at = p.experiences.findIndex((x) => x.uid === e.uid);
    const copies = p.experiences.map((x) => structuredClone(x));
    return { ...p, experiences: at < 0 ? [...copies, e] : copies.map((x, k) => (k === at ? e : x)) };
  }),
  // An experience goes; the others keep their objects.
  fc.nat(4).map((k): Edit => (p) => ({ ...p, experiences: p.experiences.filter((_, j) => j !== k % Math.max(1, p.experiences.length)) })),
  // The priority order changes: the same experience objects, rotated.
  fc.nat(4).map((k): Edit => (p) => {
    const n = p.experiences.length;
    return { ...p, experiences: p.experiences.map((_, j) => p.experiences[(j + k) % n] as SnapshotExperience) };
  }),
  // Nothing changed.
  fc.constant((p: Project): Project => p),
);

const probeArb = fc.record({ uid: fc.constantFrom('u1', 'visitor-7', 'x'), visitor: visitorArb, tags: fc.option(fc.subarray(['x', 'y', 'z'], { minLength: 1 }), { nil: undefined }) });
type Probe = { uid: string; visitor: VisitorContext; tags: string[] | undefined };

/**
 * What a visitor gets from a snapshot within `budget`: the manifest, the work it cost (the same
 * work means the same rules were evaluated, in the same order) and its explanation.
 */
function outcome(s: DecisionSnapshot, probe: Probe, budget: number): unknown {
  const options = probe.tags === undefined ? undefined : { tags: probe.tags };
  decisionWork.setBudget(budget);
  try {
    const manifest = decide(s, probe.uid, probe.visitor, options);
    return { manifest, spent: decisionWork.lastSpent, explained: explainDecision(s, probe.uid, probe.visitor, options) };
  } finally {
    decisionWork.setBudget();
  }
}

afterEach(() => decisionWork.setBudget());

describe('derived snapshots', () => {
  it('decide and explain exactly like a fresh build after any sequence of edits, and leave every earlier snapshot as it was', () => {
    fc.assert(
      fc.property(projectArb, fc.array(editArb, { minLength: 1, maxLength: 8 }), fc.array(probeArb, { minLength: 1, maxLength: 4 }), fc.constantFrom(1_500_000, 400, 120), (start, edits, probes, budget) => {
        let project = start;
        let derived = buildSnapshot(inputOf(project));
        const chain: Array<{ snapshot: DecisionSnapshot; expected: unknown[] }> = [];
        for (const edit of edits) {
          project = edit(project);
          derived = buildSnapshot(inputOf(project), { previous: derived });
          const fresh = buildSnapshot(inputOf(project));
          const expected = probes.map((probe) => outcome(fresh, probe, budget));
          expect(probes.map((probe) => outcome(derived, probe, budget))).toEqual(expected);
          chain.push({ snapshot: derived, expected });
        }
        for (const { snapshot, expected } of chain) expect(probes.map((probe) => outcome(snapshot, probe, budget))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

const rule = (uid: string, value: string): Rule => ({
  __type: 'Rule',
  attribute: { __type: 'CustomAttributeReference', ref: uid },
  attributeMatchCondition: 'STRING_EQUALS',
  attributeMatchOptions: { __type: 'StringMatchOptions', value },
  invertCondition: false,
});
const all = (...rules: Rule[]): RuleCombination => ({ __type: 'RuleCombination', combinationType: 'AND', rules });
const [A, B, C] = ATTRIBUTE_UIDS as [string, string, string];
const segmented = (uid: string, audiences: string[]): SnapshotExperience => ({
  uid,
  shortUid: uid,
  type: 'SEGMENTED',
  tags: [],
  active: { versionUid: 'v', salt: 's', variants: [{ shortUid: '0', audiences }] },
});
const visitor = (attributes: Record<string, string>): VisitorContext => ({ attributes, presets: {}, now: 0 });
const variants = (s: DecisionSnapshot, v: VisitorContext) => decide(s, 'u', v).experiences.map((e) => e.activeVariantShortUid);

describe('what a derived build compiles', () => {
  const base: SnapshotInput = {
    attributeCatalog: catalogOf(['a', 'b', 'c']),
    audiences: [
      { uid: 'gold', definition: all(rule(A, 'gold')) },
      { uid: 'paris', definition: all(rule(B, 'paris')) },
      { uid: 'both', definition: all(rule(A, 'gold'), rule(B, 'paris')) },
    ],
    experiences: [segmented('e-gold', ['gold']), segmented('e-paris', ['paris']), segmented('e-both', ['both'])],
  };

  it('an audience edit compiles that audience and the experiences naming it, and shares the rest', () => {
    const before = buildSnapshot(base);
    const edited = { uid: 'gold', definition: all(rule(A, 'silver')) };
    const after = buildSnapshot({ ...base, audiences: [...base.audiences.filter((a) => a.uid !== 'gold'), edited] }, { previous: before });
    const code = (s: DecisionSnapshot, uid: string) => s.audiences[s.index.get(uid) as number]?.code;
    expect(code(after, 'gold')).not.toBe(code(before, 'gold'));
    expect(code(after, 'paris')).toBe(code(before, 'paris'));
    expect(code(after, 'both')).toBe(code(before, 'both'));
    expect(after.experiences.map((e, k) => e === before.experiences[k])).toEqual([false, true, true]);
    expect(variants(after, visitor({ a: 'silver', b: 'paris' }))).toEqual(['0', '0', null]);
    expect(variants(before, visitor({ a: 'silver', b: 'paris' }))).toEqual([null, '0', null]);
  });

  it("an attribute's new key compiles only the audiences on that attribute", () => {
    const before = buildSnapshot(base);
    const after = buildSnapshot({ ...base, attributeCatalog: catalogOf(['a', 'town', 'c']) }, { previous: before });
    const same = after.audiences.map((a, i) => a.code === before.audiences[i]?.code);
    expect(same).toEqual([true, false, false]);
    expect(variants(after, visitor({ a: 'gold', town: 'paris' }))).toEqual(['0', '0', '0']);
    expect(variants(before, visitor({ a: 'gold', town: 'paris' }))).toEqual(['0', null, null]);
  });

  it('takes the first of audiences sharing a uid, whether built afresh or derived', () => {
    const before = buildSnapshot(base);
    const input = { ...base, audiences: [...base.audiences, { uid: 'gold', definition: all(rule(A, 'silver')) }] };
    const v = visitor({ a: 'gold', b: 'x' });
    expect(variants(buildSnapshot(input), v)).toEqual(['0', null, null]);
    expect(variants(buildSnapshot(input, { previous: before }), v)).toEqual(['0', null, null]);
  });

  it('a deleted audience renumbers the others: the experiences naming it no longer match, the others still do', () => {
    const before = buildSnapshot(base);
    const after = buildSnapshot({ ...base, audiences: base.audiences.filter((a) => a.uid !== 'gold') }, { previous: before });
    expect(after.audiences.map((a) => a.uid)).toEqual(['paris', 'both']);
    expect(variants(after, visitor({ a: 'gold', b: 'paris' }))).toEqual([null, '0', '0']);
  });

  it('compiles again the experiences naming a deleted audience: it then ends an AND set first, at no cost', () => {
    const n42: Rule = { __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: C }, attributeMatchCondition: 'NUMBER_EQUAL_TO', attributeMatchOptions: { __type: 'NumberMatchOptions', value: 42 }, invertCondition: false };
    const input: SnapshotInput = { ...base, audiences: [...base.audiences, { uid: 'n42', definition: all(n42) }], experiences: [segmented('e-and', ['gold', 'n42'])] };
    const without = { ...input, audiences: input.audiences.filter((a) => a.uid !== 'gold') };
    const derived = buildSnapshot(without, { previous: buildSnapshot(input) });
    const spent = (s: DecisionSnapshot) => {
      decide(s, 'u', { attributes: { c: 42 }, presets: {}, now: 0 });
      return decisionWork.lastSpent;
    };
    expect(spent(derived)).toBe(spent(buildSnapshot(without)));
    expect(spent(derived)).toBe(0);
  });

  it('moves its audiences to a fresh slot table once renamed keys have left many slots behind, deciding the same', () => {
    // Audiences on C and B come first, so the reused audience on A gets another slot in the fresh table.
    const [gold, paris, both] = base.audiences as [SnapshotInput['audiences'][number], SnapshotInput['audiences'][number], SnapshotInput['audiences'][number]];
    const first = buildSnapshot({ ...base, audiences: [{ uid: 'city', definition: all(rule(C, 'lima')) }, paris, gold, both] });
    let s = buildSnapshot(base, { previous: first });
    for (let n = 0; n < 70; n++) s = buildSnapshot({ ...base, attributeCatalog: catalogOf(['a', `b${n}`, 'c']) }, { previous: s });
    expect(s.slots).not.toBe(first.slots);
    expect(s.slots.size).toBeLessThan(16);
    const renamed = { ...base, attributeCatalog: catalogOf(['a', 'b69', 'c']) };
    for (const v of [visitor({ a: 'gold', b69: 'paris' }), visitor({ a: 'gold', b69: 'lima' }), visitor({ a: 'x', b69: 'paris', c: 'gold' })]) {
      expect(variants(s, v)).toEqual(variants(buildSnapshot(renamed), v));
    }
    expect(variants(s, visitor({ a: 'gold', b69: 'paris' }))).toEqual(['0', '0', '0']);
  });
});

describe('relinked audience code', () => {
  it('decides on another slot table as the compiled definition does', () => {
    fc.assert(
      fc.property(definitionArb, fc.array(visitorArb, { minLength: 1, maxLength: 4 }), (d, visitors) => {
        const from = new SlotTable();
        from.slot('elsewhere');
        const code = new AudienceCompiler(from, CATALOG).compile(d);
        const to = new SlotTable();
        for (const key of ['c', 'b', 'other', 'a']) to.slot(key);
        const program = SnapshotProgram.link(to, [code.relink(from, to)]);
        const matcher = compileDefinition(d, CATALOG);
        for (const v of visitors) {
          to.begin();
          expect(program.run(0, v)).toBe(matcher(v));
        }
      }),
      { numRuns: 500 },
    );
  });
});
