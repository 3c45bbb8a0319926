/**
 * Engine benchmark (issue 3, "Speed"): our compiled matcher against GrowthBook's evalCondition,
 * json-logic-js and hand-written functions on the same audiences, then decide() for a snapshot
 * of 100 active experiences. Prints ns per evaluation, min/median/max over several runs, ratios.
 */
import { evalCondition } from '@growthbook/growthbook';
import {
  buildSnapshot,
  compileDefinition,
  decide,
  decideInto,
  type Matcher,
  type RuleCombination,
  type SnapshotExperience,
  type VisitorContext,
} from '@tailor/engine';
import jsonLogic from 'json-logic-js';
import { ATTRIBUTES, CATALOG, lowerCased, makeAudiences, makeVisitors, toGrowthBook, toJsonLogic } from './engine-fixtures.js';
import { measure, measureInterleaved, printTable, prng, type Sample } from './stats.js';

const AUDIENCES = 500;
const VISITORS = 100_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PER_RUN = 1_000; // visitors per run for the slow evaluators (× 500 audiences = 500k evaluations)

type Attrs = Record<string, string | number | boolean>;
type GbCondition = Parameters<typeof evalCondition>[1];
type JsonLogicRule = ReturnType<typeof toJsonLogic>;

const uid = (key: string): string => (ATTRIBUTES.find((a) => a.key === key) as { uid: string }).uid;
const custom = (key: string) => ({ __type: 'CustomAttributeReference' as const, ref: uid(key) });

/** Two fixed 6-rule audiences with hand-written equivalents (same semantics, written for speed). */
const HAND: Array<{ name: string; definition: RuleCombination; fn: (v: VisitorContext) => boolean }> = [
  {
    name: 'A: s0 is gold AND n0 > 30 AND f0 AND (s1 in {paris,tokyo} OR n1 < 50) AND s2 contains "rem"',
    definition: {
      __type: 'RuleCombination',
      combinationType: 'AND',
      rules: [
        { __type: 'Rule', attribute: custom('s0'), attributeMatchCondition: 'STRING_EQUALS', attributeMatchOptions: { __type: 'StringMatchOptions', value: 'gold' }, invertCondition: false },
        { __type: 'Rule', attribute: custom('n0'), attributeMatchCondition: 'NUMBER_GREATER_THAN', attributeMatchOptions: { __type: 'NumberMatchOptions', value: 30 }, invertCondition: false },
        { __type: 'Rule', attribute: custom('f0'), attributeMatchCondition: 'IS_TRUE', invertCondition: false },
        {
          __type: 'RuleCombination',
          combinationType: 'OR',
          rules: [
            { __type: 'Rule', attribute: custom('s1'), attributeMatchCondition: 'STRING_IN_LIST', attributeMatchOptions: { __type: 'StringListMatchOptions', values: ['paris', 'tokyo'] }, invertCondition: false },
            { __type: 'Rule', attribute: custom('n1'), attributeMatchCondition: 'NUMBER_LESS_THAN', attributeMatchOptions: { __type: 'NumberMatchOptions', value: 50 }, invertCondition: false },
          ],
        },
        { __type: 'Rule', attribute: custom('s2'), attributeMatchCondition: 'CONTAINS_SUBSTRING', attributeMatchOptions: { __type: 'StringMatchOptions', value: 'rem' }, invertCondition: false },
      ],
    },
    fn: (v) => {
      const a = v.attributes;
      const s0 = a.s0;
      if (typeof s0 !== 'string' || (s0 !== 'gold' && s0.toLowerCase() !== 'gold')) return false;
      const n0 = a.n0;
      if (typeof n0 !== 'number' || !(n0 > 30)) return false;
      if (a.f0 !== true) return false;
      const s1 = a.s1;
      const n1 = a.n1;
      const inList = typeof s1 === 'string' && (s1.toLowerCase() === 'paris' || s1.toLowerCase() === 'tokyo');
      if (!inList && !(typeof n1 === 'number' && n1 < 50)) return false;
      const s2 = a.s2;
      return typeof s2 === 'string' && s2.toLowerCase().includes('rem');
    },
  },
  {
    name: 'B: n2 between 20..60 OR NOT s3 is basic OR (f1 is false AND n3 = 7) OR n4 has a value',
    definition: {
      __type: 'RuleCombination',
      combinationType: 'OR',
      rules: [
        { __type: 'Rule', attribute: custom('n2'), attributeMatchCondition: 'NUMBER_BETWEEN', attributeMatchOptions: { __type: 'NumberRangeMatchOptions', min: 20, max: 60 }, invertCondition: false },
        { __type: 'Rule', attribute: custom('s3'), attributeMatchCondition: 'STRING_EQUALS', attributeMatchOptions: { __type: 'StringMatchOptions', value: 'basic' }, invertCondition: true },
        {
          __type: 'RuleCombination',
          combinationType: 'AND',
          rules: [
            { __type: 'Rule', attribute: custom('f1'), attributeMatchCondition: 'IS_FALSE', invertCondition: false },
            { __type: 'Rule', attribute: custom('n3'), attributeMatchCondition: 'NUMBER_EQUAL_TO', attributeMatchOptions: { __type: 'NumberMatchOptions', value: 7 }, invertCondition: false },
          ],
        },
        { __type: 'Rule', attribute: custom('n4'), attributeMatchCondition: 'HAS_ANY_VALUE', invertCondition: false },
      ],
    },
    fn: (v) => {
      const a = v.attributes;
      const n2 = a.n2;
      if (typeof n2 === 'number' && n2 >= 20 && n2 <= 60) return true;
      const s3 = a.s3;
      if (!(typeof s3 === 'string' && (s3 === 'basic' || s3.toLowerCase() === 'basic'))) return true;
      if (a.f1 === false && a.n3 === 7) return true;
      return a.n4 !== undefined;
    },
  },
];

function checkAgreement(defs: readonly RuleCombination[], matchers: readonly Matcher[], gb: readonly GbCondition[], jl: readonly JsonLogicRule[], visitors: readonly VisitorContext[], lowered: readonly Attrs[]): void {
  let evaluations = 0;
  let disagreements = 0;
  let matches = 0;
  for (let v = 0; v < 300; v++) {
    for (let i = 0; i < defs.length; i++) {
      const ours = (matchers[i] as Matcher)(visitors[v] as VisitorContext);
      const g = evalCondition(lowered[v] as Attrs, gb[i] as GbCondition);
      const j = Boolean(jsonLogic.apply(jl[i] as JsonLogicRule, lowered[v]));
      evaluations++;
      if (ours) matches++;
      if (ours !== g || ours !== j) disagreements++;
    }
  }
  console.log(`agreement check: ${evaluations} evaluations, ${disagreements} disagreements between Tailor, GrowthBook and json-logic (${((matches / evaluations) * 100).toFixed(1)} % matched)`);
  if (disagreements > 0) throw new Error('the translations disagree with the engine; the comparison would be unfair');
}

function experiences(defs: readonly RuleCombination[]): SnapshotExperience[] {
  const r = prng(7);
  const aud = (): string => `aud${Math.floor(r() * defs.length)}`;
  return Array.from({ length: 100 }, (_, i): SnapshotExperience => {
    const ab = i % 3 === 2;
    const shortUid = i.toString(36);
    if (ab) {
      return {
        uid: `exp${i}`, shortUid, type: 'AB_TEST', tags: [],
        active: {
          versionUid: `v${i}`, salt: `salt${i}`,
          variants: [{ shortUid: '0', trafficDistribution: 50 }, { shortUid: '1', trafficDistribution: 50 }],
          targeting: i % 2 === 0 ? { audiences: [aud(), aud()], audienceCombinationType: 'OR' } : null,
          trafficAllocation: i % 4 === 0 ? 50 : 100,
        },
      };
    }
    const variants = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, k) => ({
      shortUid: String(k),
      audiences: Array.from({ length: 1 + Math.floor(r() * 2) }, aud),
      audienceCombinationType: r() < 0.5 ? ('AND' as const) : ('OR' as const),
    }));
    return { uid: `exp${i}`, shortUid, type: 'SEGMENTED', tags: [], active: { versionUid: `v${i}`, salt: `salt${i}`, variants } };
  });
}

/** Runs the engine benchmark and prints its tables. */
export function runEngineBench(): void {
  console.log(`engine benchmark: ${AUDIENCES} audiences of 3–12 rules over ${ATTRIBUTES.length} attributes, ${VISITORS} visitors, ${RUNS} runs, clock: ${process.env.BENCH_CLOCK === 'wall' ? 'wall time' : 'process CPU time'}`);
  const defs = makeAudiences(AUDIENCES);
  const visitors = makeVisitors(VISITORS);
  const lowered = visitors.map(lowerCased);
  const matchers = defs.map((d) => compileDefinition(d, CATALOG));
  const gb = defs.map((d) => toGrowthBook(d) as GbCondition);
  const jl = defs.map(toJsonLogic);
  checkAgreement(defs, matchers, gb, jl, visitors, lowered);

  let sink = 0;
  const slice = (run: number): number => (run * PER_RUN) % VISITORS;
  const compare = (title: string, vs: readonly VisitorContext[], low: readonly Attrs[]): void => {
    const [tailor, growthbook, jsonlogic] = measureInterleaved(
      [
        {
          label: 'Tailor compiled',
          body: (run) => {
            const s = slice(run);
            for (let v = s; v < s + PER_RUN; v++) for (const m of matchers) if (m(vs[v] as VisitorContext)) sink++;
            return PER_RUN * AUDIENCES;
          },
        },
        {
          label: 'GrowthBook evalCondition',
          body: (run) => {
            const s = slice(run);
            for (let v = s; v < s + PER_RUN; v++) for (const c of gb) if (evalCondition(low[v] as Attrs, c)) sink++;
            return PER_RUN * AUDIENCES;
          },
        },
        {
          label: 'json-logic-js apply',
          body: (run) => {
            const s = slice(run);
            for (let v = s; v < s + PER_RUN; v++) for (const c of jl) if (jsonLogic.apply(c, low[v])) sink++;
            return PER_RUN * AUDIENCES;
          },
        },
      ],
      RUNS,
      1,
    ) as [Sample, Sample, Sample];
    printTable(`500 random audiences, ${title} (ns per audience evaluation; ${PER_RUN} visitors × ${AUDIENCES} audiences per round, interleaved)`, [tailor, growthbook, jsonlogic], tailor);
    console.log(`  Tailor is ${(growthbook.median / tailor.median).toFixed(1)}× faster than GrowthBook and ${(jsonlogic.median / tailor.median).toFixed(1)}× faster than json-logic (goal ≥ 10×)`);
  };
  compare('visitors of many shapes (absent keys)', visitors, lowered);
  const same = makeVisitors(VISITORS, 2, true);
  const sameLowered = same.map(lowerCased);
  checkAgreement(defs, matchers, gb, jl, same, sameLowered);
  compare('same-shape visitors (missing = undefined)', same, sameLowered);
  const tailorAll = measure('Tailor compiled, all 100k visitors × 500 audiences', 3, 0, () => {
    for (const v of visitors) for (const m of matchers) if (m(v)) sink++;
    return VISITORS * AUDIENCES;
  });
  printTable('whole population (many shapes)', [tailorAll], tailorAll);

  let growthBookSixRules = NaN; // GrowthBook on audience A: the yardstick the goals were set with
  for (const h of HAND) {
    const m = compileDefinition(h.definition, CATALOG);
    const g = toGrowthBook(h.definition) as GbCondition;
    const j = toJsonLogic(h.definition);
    for (let v = 0; v < 2000; v++) {
      const vis = visitors[v] as VisitorContext;
      if (m(vis) !== h.fn(vis) || m(vis) !== evalCondition(lowered[v] as Attrs, g) || m(vis) !== Boolean(jsonLogic.apply(j, lowered[v]))) {
        throw new Error(`hand-written audience ${h.name} disagrees with the engine for visitor ${v}`);
      }
    }
    // Twice: over 1,000 visitors that stay in the CPU cache, repeated (the evaluators' own cost,
    // the comparison the figures describe), and over all 100,000 once, where every
    // visitor is a cache miss and memory latency dominates all four alike.
    const HOT = 1_000;
    const REPEAT = 100;
    const rounds = (vs: readonly VisitorContext[], low: readonly Attrs[], repeat: number) =>
      measureInterleaved(
        [
          { label: 'hand-written function', body: () => { for (let r = 0; r < repeat; r++) for (const v of vs) if (h.fn(v)) sink++; return vs.length * repeat; } },
          { label: 'Tailor compiled', body: () => { for (let r = 0; r < repeat; r++) for (const v of vs) if (m(v)) sink++; return vs.length * repeat; } },
          { label: 'GrowthBook evalCondition', body: () => { for (let r = 0; r < repeat; r++) for (const v of low) if (evalCondition(v, g)) sink++; return low.length * repeat; } },
          { label: 'json-logic-js apply', body: () => { for (let r = 0; r < repeat; r++) for (const v of low) if (jsonLogic.apply(j, v)) sink++; return low.length * repeat; } },
        ],
        RUNS,
        1,
      ) as [Sample, Sample, Sample, Sample];
    const cold = rounds(visitors, lowered, 1);
    const [hand, ours, gbs, jls] = rounds(visitors.slice(0, HOT), lowered.slice(0, HOT), REPEAT);
    if (Number.isNaN(growthBookSixRules)) growthBookSixRules = gbs.median;
    printTable(`6-rule audience ${h.name}, ${HOT} visitors in cache × ${REPEAT}`, [hand, ours, gbs, jls], hand);
    console.log(`  Tailor is ${(gbs.median / ours.median).toFixed(1)}× faster than GrowthBook and ${(jls.median / ours.median).toFixed(1)}× faster than json-logic`);
    printTable(`6-rule audience ${h.name.slice(0, 1)}, all ${VISITORS} visitors once (memory-bound)`, cold, cold[0]);
    console.log(`  Tailor is within ${(ours.median / hand.median).toFixed(2)}× of hand-written (goal ≤ 5×)`);
  }

  const exps = experiences(defs);
  const snapshot = buildSnapshot({
    attributeCatalog: CATALOG,
    audiences: defs.map((definition, i) => ({ uid: `aud${i}`, definition })),
    experiences: exps,
  });
  const uids = Array.from({ length: 20_000 }, (_, i) => `visitor-${i}-${(i * 2654435761) >>> 0}`);
  // The floor for decide(): every audience the snapshot references, evaluated once, standalone.
  const referenced = new Set<number>();
  for (const e of exps) {
    for (const v of e.active?.variants ?? []) for (const a of v.audiences ?? []) referenced.add(Number(a.slice(3)));
    for (const a of e.active?.targeting?.audiences ?? []) referenced.add(Number(a.slice(3)));
  }
  const floor = [...referenced].map((i) => matchers[i] as Matcher);
  const decided = new Int32Array(snapshot.outline.length);
  const [dec, into, base] = measureInterleaved(
    [
      {
        label: 'decide() with 100 experiences',
        body: (run) => {
          const s = slice(run);
          for (let k = 0; k < 5_000; k++) sink += decide(snapshot, uids[k] as string, visitors[(s + k) % VISITORS] as VisitorContext).experiences.length;
          return 5_000;
        },
      },
      {
        label: 'decideInto() (what the edge runs)',
        body: (run) => {
          const s = slice(run);
          for (let k = 0; k < 5_000; k++) {
            decideInto(snapshot, uids[k] as string, visitors[(s + k) % VISITORS] as VisitorContext, decided);
            sink += decided[0] as number;
          }
          return 5_000;
        },
      },
      {
        label: `${floor.length} referenced audiences, each once`,
        body: (run) => {
          const s = slice(run);
          for (let k = 0; k < 5_000; k++) {
            const v = visitors[(s + k) % VISITORS] as VisitorContext;
            for (const m of floor) if (m(v)) sink++;
          }
          return 5_000;
        },
      },
    ],
    RUNS,
    1,
  ) as [Sample, Sample, Sample];
  printTable('decide(): ns per visitor', [dec, into, base], base);
  console.log(`  decide() takes ${(dec.median / 1000).toFixed(2)} µs per visitor (goal < 10 µs), ${(dec.median / base.median).toFixed(2)}× the cost of evaluating its ${floor.length} audiences once`);
  // The issue set "< 10 µs" on a machine where GrowthBook took ≈ 350 ns on a 6-rule audience; in
  // those units the goal is ≈ 28.6 GrowthBook evaluations, which compares across machines.
  const units = dec.median / growthBookSixRules;
  console.log(
    `  in machine-independent units: decide() costs ${units.toFixed(1)} GrowthBook evaluations of audience A (${growthBookSixRules.toFixed(0)} ns each here); ` +
      `the issue's 10 µs at ≈ 350 ns per such evaluation is ${(10_000 / 350).toFixed(1)}, i.e. ${((units * 350) / 1000).toFixed(2)} µs on its machine`,
  );
  if (sink === -1) console.log('unreachable');
}
