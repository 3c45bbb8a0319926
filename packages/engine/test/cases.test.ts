import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  compileDefinition,
  decide,
  explainDecision,
  explainDefinition,
  hashToBucket,
  murmur3,
  pickVariantByTraffic,
  pickVariantIndexByTraffic,
  decideInto,
  LEFT_OUT,
  NO_VARIANT,
  utf8Bytes,
  validateDefinition,
  type AttributeCatalog,
  type Limits,
  type Manifest,
  type RuleCombination,
  type SnapshotInput,
  type VisitorContext,
} from '../src/index.js';

interface Cases {
  catalog: Record<string, { key: string; name?: string }>;
  evaluate: Array<[string, RuleCombination, VisitorContext, boolean]>;
  validation: Array<[string, unknown, Limits | null, { ok?: true; issues?: Array<[string, string]>; definition?: RuleCombination }]>;
  hash: {
    murmur3: Array<[string, number, number]>;
    buckets: Array<[string, string, number]>;
    pick: Array<[number, Array<{ shortUid: string; trafficDistribution: number }>, string | null]>;
  };
  decide: Array<[string, Omit<SnapshotInput, 'attributeCatalog'>, string, VisitorContext, string[] | null, Manifest]>;
}

const cases = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8')) as Cases;
const catalog: AttributeCatalog = { customAttributes: new Map(Object.entries(cases.catalog)) };

describe('cases.json', () => {
  it('holds at least 250 cases', () => {
    const n = cases.evaluate.length + cases.validation.length + cases.decide.length + cases.hash.murmur3.length + cases.hash.buckets.length + cases.hash.pick.length;
    expect(n).toBeGreaterThanOrEqual(250);
  });
});

describe('evaluate', () => {
  it.each(cases.evaluate)('%s', (_name, definition, visitor, expected) => {
    const v = validateDefinition(definition, catalog);
    if (!v.ok) throw new Error(`case definition is invalid: ${JSON.stringify(v.issues)}`);
    expect(compileDefinition(v.definition, catalog)(visitor)).toBe(expected);
    expect(explainDefinition(v.definition, catalog, visitor).matched).toBe(expected);
  });
});

describe('validation', () => {
  it.each(cases.validation)('%s', (_name, input, limits, expected) => {
    const result = validateDefinition(input, catalog, limits ?? undefined);
    if (expected.issues === undefined) {
      expect(result.ok ? [] : result.issues).toEqual([]);
      if (result.ok && expected.definition !== undefined) expect(result.definition).toEqual(expected.definition);
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const got = result.issues.map((i) => [i.path, i.code]);
    expect(got.sort()).toEqual([...expected.issues].sort());
    for (const issue of result.issues) {
      expect(issue.message).toMatch(/expected|not supported/);
    }
  });
});

describe('hash vectors', () => {
  it.each(cases.hash.murmur3)('murmur3(%j, seed %i) = %i', (text, seed, expected) => {
    expect(murmur3(utf8Bytes(text), seed)).toBe(expected);
  });
  it.each(cases.hash.buckets)('hashToBucket(%j, %j) = %i', (seed, uid, expected) => {
    expect(hashToBucket(seed, uid)).toBe(expected);
  });
  it.each(cases.hash.pick)('pickVariantByTraffic(%i, %j) = %j', (bucket, variants, expected) => {
    expect(pickVariantByTraffic(bucket, variants)).toBe(expected);
    const k = pickVariantIndexByTraffic(bucket, variants);
    expect(k < 0 ? null : variants[k]?.shortUid).toBe(expected);
  });
});

describe('decide', () => {
  it.each(cases.decide)('%s', (_name, input, visitorUid, visitor, tags, expected) => {
    const snapshot = buildSnapshot({ attributeCatalog: catalog, ...input });
    const options = tags === null ? undefined : { tags };
    expect(decide(snapshot, visitorUid, visitor, options)).toEqual(expected);
    const explained = explainDecision(snapshot, visitorUid, visitor, options).filter((e) => e.included);
    expect(explained.map((e) => ({ shortUid: e.shortUid, activeVariantShortUid: e.activeVariantShortUid }))).toEqual(expected.experiences);
  });

  it.each(cases.decide)('decideInto, into a reused buffer: %s', (_name, input, visitorUid, visitor, tags, expected) => {
    const snapshot = buildSnapshot({ attributeCatalog: catalog, ...input });
    const options = tags === null ? undefined : { tags };
    const into = new Int32Array(snapshot.outline.length + 3).fill(7);
    decideInto(snapshot, visitorUid, visitor, into, options);
    const got = snapshot.outline.flatMap((e, k) => {
      const v = into[k] as number;
      if (v === LEFT_OUT) return [];
      return [{ shortUid: e.shortUid, activeVariantShortUid: v === NO_VARIANT ? null : e.outcomes[v] }];
    });
    expect(got).toEqual(expected.experiences);
    expect([...into.subarray(snapshot.outline.length)]).toEqual([7, 7, 7]);
  });

  it('decideInto refuses a buffer shorter than the experience list', () => {
    const snapshot = buildSnapshot({
      attributeCatalog: catalog,
      audiences: [],
      experiences: [{ uid: 'e', shortUid: 'a', type: 'AB_TEST', tags: [], active: { versionUid: 'v', salt: 's', variants: [{ shortUid: '0' }] } }],
    });
    expect(() => decideInto(snapshot, 'u', { attributes: {}, presets: {}, now: 0 }, new Int32Array(0))).toThrow(RangeError);
  });
});
