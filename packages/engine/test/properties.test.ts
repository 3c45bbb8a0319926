import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  compileDefinition,
  countRules,
  decide,
  definitionDepth,
  explainDefinition,
  hashToBucket,
  pickVariantByTraffic,
  summarizeDefinition,
  validateDefinition,
  type Rule,
  type RuleCombination,
} from '../src/index.js';
import { compileSafeRegex } from '../src/regex/nfa.js';
import { CATALOG, definitionArb, ruleArb, visitorArb } from './arbitraries.js';
import { referenceEvaluate } from './reference-interpreter.js';

const group = (combinationType: 'AND' | 'OR', ...rules: Array<Rule | RuleCombination>): RuleCombination => ({ __type: 'RuleCombination', combinationType, rules });
const run = (d: RuleCombination, v: Parameters<ReturnType<typeof compileDefinition>>[0]): boolean => compileDefinition(d, CATALOG)(v);

describe('rule semantics', () => {
  it('invertCondition negates the rule for every visitor', () => {
    fc.assert(
      fc.property(ruleArb, visitorArb, (rule, v) => {
        const flipped = { ...rule, invertCondition: !rule.invertCondition };
        expect(run(group('AND', flipped), v)).toBe(!run(group('AND', rule), v));
      }),
    );
  });

  it('a group with one child evaluates like the child, for AND and OR', () => {
    fc.assert(
      fc.property(definitionArb, visitorArb, (d, v) => {
        const direct = run(d, v);
        expect(run(group('AND', d), v)).toBe(direct);
        expect(run(group('OR', d), v)).toBe(direct);
      }),
    );
  });

  it('the compiled matcher agrees with the reference interpreter and with explain', () => {
    fc.assert(
      fc.property(definitionArb, visitorArb, (d, v) => {
        const expected = referenceEvaluate(d, CATALOG, v);
        expect(run(d, v)).toBe(expected);
        expect(explainDefinition(d, CATALOG, v).matched).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('decide memoization gives the same membership as compiling each audience alone', () => {
    fc.assert(
      fc.property(fc.array(definitionArb, { minLength: 1, maxLength: 4 }), visitorArb, (defs, v) => {
        const snapshot = buildSnapshot({
          attributeCatalog: CATALOG,
          audiences: defs.map((definition, i) => ({ uid: `a${i}`, definition })),
          experiences: defs.map((_, i) => ({
            uid: `e${i}`, shortUid: String(i), type: 'SEGMENTED' as const, tags: [],
            active: { versionUid: 'v', salt: 's', variants: [{ shortUid: '0', audiences: [`a${i}`] }, { shortUid: '1', audiences: defs.map((__, k) => `a${k}`), audienceCombinationType: 'OR' as const }] },
          })),
        });
        const got = decide(snapshot, 'u', v).experiences.map((e) => e.activeVariantShortUid);
        const someMatch = defs.some((d) => run(d, v));
        expect(got).toEqual(defs.map((d) => (run(d, v) ? '0' : someMatch ? '1' : null)));
      }),
    );
  });
});

describe('snapshot reuse', () => {
  it('a snapshot reused across visitors gives each the manifest a fresh snapshot gives', () => {
    fc.assert(
      fc.property(fc.array(definitionArb, { minLength: 1, maxLength: 3 }), fc.array(visitorArb, { minLength: 2, maxLength: 5 }), (defs, visitors) => {
        const input = {
          attributeCatalog: CATALOG,
          audiences: defs.map((definition, i) => ({ uid: `a${i}`, definition })),
          experiences: defs.map((_, i) => ({
            uid: `e${i}`, shortUid: String(i), type: 'SEGMENTED' as const, tags: [],
            active: { versionUid: 'v', salt: 's', variants: [{ shortUid: '0', audiences: [`a${i}`] }] },
          })),
        };
        const shared = buildSnapshot(input);
        for (const v of visitors) expect(decide(shared, 'u', v)).toEqual(decide(buildSnapshot(input), 'u', v));
      }),
    );
  });
});

describe('validation', () => {
  it('accepts random valid definitions and returns them unchanged, key order included', () => {
    fc.assert(
      fc.property(definitionArb, (d) => {
        const result = validateDefinition(d, CATALOG, { maxRules: 1000 });
        expect(result.ok ? [] : result.issues).toEqual([]);
        if (result.ok) {
          expect(JSON.stringify(result.definition)).toBe(JSON.stringify(d));
          expect(result.definition).not.toBe(d);
          expect(countRules(result.definition)).toBe(countRules(d));
        }
      }),
    );
  });

  it('reports RULE_COUNT_EXCEEDED exactly when the tree has more rules than the limit', () => {
    fc.assert(
      fc.property(definitionArb, fc.integer({ min: 1, max: 40 }), (d, maxRules) => {
        const result = validateDefinition(d, CATALOG, { maxRules });
        const exceeded = !result.ok && result.issues.some((i) => i.code === 'RULE_COUNT_EXCEEDED');
        expect(exceeded).toBe(countRules(d) > maxRules);
      }),
    );
  });

  it('reports DEPTH_EXCEEDED exactly when the tree is deeper than the limit', () => {
    fc.assert(
      fc.property(definitionArb, fc.integer({ min: 1, max: 5 }), (d, maxDepth) => {
        const result = validateDefinition(d, CATALOG, { maxRules: 1000, maxDepth });
        const exceeded = !result.ok && result.issues.some((i) => i.code === 'DEPTH_EXCEEDED');
        expect(exceeded).toBe(definitionDepth(d) > maxDepth);
      }),
    );
  });

  it('never throws on arbitrary input and always returns issues with string paths', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), definitionArb.map((d) => JSON.parse(JSON.stringify(d).replace(/"(AND|Rule|value)"/g, '"x"')) as unknown)), (input) => {
        const result = validateDefinition(input, CATALOG);
        if (!result.ok) for (const i of result.issues) expect(typeof i.path).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });

  it('stays bounded on a huge tree and reports the count once', () => {
    const rule = { __type: 'Rule', attribute: { __type: 'PresetAttributeReference', ref: 'COUNTRY' }, attributeMatchCondition: 'HAS_ANY_VALUE', invertCondition: false };
    const huge = { __type: 'RuleCombination', combinationType: 'AND', rules: Array.from({ length: 200_000 }, () => rule) };
    const result = validateDefinition(huge, CATALOG);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.filter((i) => i.code === 'RULE_COUNT_EXCEEDED')).toHaveLength(1);
  });

  it('rejects a tree that contains itself instead of looping', () => {
    const cyclic: { __type: string; combinationType: string; rules: unknown[] } = { __type: 'RuleCombination', combinationType: 'AND', rules: [] };
    cyclic.rules.push(cyclic);
    const result = validateDefinition(cyclic, CATALOG);
    expect(result.ok).toBe(false);
  });

  it('summarizes every valid definition into a sentence naming its attributes', () => {
    fc.assert(
      fc.property(definitionArb, (d) => {
        const s = summarizeDefinition(d, CATALOG);
        expect(s.length).toBeGreaterThan(0);
        if (d.rules.length > 1) expect(s).toMatch(d.combinationType === 'AND' ? / and / : / or /);
      }),
    );
  });
});

describe('bucketing', () => {
  const uids = Array.from({ length: 100_000 }, (_, i) => `visitor-${i}-${(i * 2654435761) >>> 0}`);

  it('spreads 100k visitors over four 25 % variants within 1 %', () => {
    const variants = ['0', '1', '2', '3'].map((shortUid) => ({ shortUid, trafficDistribution: 25 }));
    const counts = new Map<string | null, number>();
    for (const uid of uids) {
      const v = pickVariantByTraffic(hashToBucket('exp:salt:variant', uid), variants);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect(counts.get(null)).toBeUndefined();
    for (const v of variants) expect(Math.abs((counts.get(v.shortUid) ?? 0) / uids.length - 0.25)).toBeLessThan(0.01);
  });

  it('spreads 100k visitors evenly over the ten bucket deciles', () => {
    const deciles = new Array<number>(10).fill(0);
    for (const uid of uids) deciles[Math.floor(hashToBucket('another-seed', uid) / 1000)]! += 1;
    for (const d of deciles) expect(Math.abs(d / uids.length - 0.1)).toBeLessThan(0.01);
  });

  it('gives the same bucket for the same seed and uid, and different seeds decorrelate', () => {
    let same = 0;
    for (const uid of uids.slice(0, 10_000)) {
      expect(hashToBucket('s1', uid)).toBe(hashToBucket('s1', uid));
      if (hashToBucket('s1', uid) === hashToBucket('s2', uid)) same++;
    }
    expect(same).toBeLessThan(50);
  });

  it('ramping the traffic allocation up never moves a visitor to another variant', () => {
    const snap = (alloc: number) =>
      buildSnapshot({
        attributeCatalog: CATALOG,
        audiences: [],
        experiences: [{ uid: 'e', shortUid: '0', type: 'AB_TEST', tags: [], active: { versionUid: 'v', salt: 's', variants: [{ shortUid: '0', trafficDistribution: 50 }, { shortUid: '1', trafficDistribution: 50 }], trafficAllocation: alloc } }],
      });
    const [s10, s50, s100] = [snap(10), snap(50), snap(100)];
    const v = { attributes: {}, presets: {}, now: 0 };
    let inSmall = 0;
    for (const uid of uids.slice(0, 5_000)) {
      const a = decide(s10, uid, v).experiences[0]?.activeVariantShortUid ?? null;
      const b = decide(s50, uid, v).experiences[0]?.activeVariantShortUid ?? null;
      const c = decide(s100, uid, v).experiences[0]?.activeVariantShortUid ?? null;
      if (a !== null) {
        inSmall++;
        expect(b).toBe(a);
      }
      if (b !== null) expect(c).toBe(b);
      expect(c).not.toBeNull();
    }
    expect(inSmall / 5_000).toBeGreaterThan(0.07);
    expect(inSmall / 5_000).toBeLessThan(0.13);
  });
});

describe('safe regex', () => {
  const patterns = ['^go', 'ld$', 'o{1,2}d', '^[0-9]+$', '^(gold|abc)$', '\\d\\w', 'a|b', '(a+)+$', '^[^x]*$', 'a.c', '^(ab|a)*c$', '[a-c]{2,}', 'x?y+z*$', '^$', '(?:ab){2}', '[\\d.-]+'];
  it('agrees with the native engine on its subset', () => {
    fc.assert(
      fc.property(fc.constantFrom(...patterns), fc.boolean(), fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x', 'y', 'z', 'g', 'o', 'l', 'd', '1', '.', '-', 'A', 'G', '\n') }), (p, ci, s) => {
        expect(compileSafeRegex(p, ci).test(s)).toBe(new RegExp(p, ci ? 'i' : '').test(s));
      }),
      { numRuns: 3000 },
    );
  });
});
