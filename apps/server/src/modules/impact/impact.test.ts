import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RuleCombination } from '@tailor/engine';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import { edgeSeed, type EdgeSeed } from '../edge/edge-test-seed.js';
import { upsertRecentVisitors } from '../visitors/recent-visitor-repository.js';

type Body = Record<string, unknown>;
interface Preview {
  sampleSize: number;
  available: number;
  window: { from: string | null; to: string | null };
  before: number;
  after: number;
  joined: number;
  left: number;
  unchanged: number;
  partial: boolean;
  message?: string;
  experiences: Array<{ uid: string; name: string; status: string; versionUid: string; variants: Array<{ shortUid: string; name: string }>; visitorsChangingVariant: number; transitions: Array<{ from: string | null; to: string | null; visitors: number }> }>;
  examples: {
    joined: Array<{ visitorUid: string; rules: Array<{ path: string; attribute: string; before: boolean | null; after: boolean | null }>; variants: Array<{ from: string | null; to: string | null }> }>;
    left: Array<{ visitorUid: string; rules: Array<{ path: string; attribute: string; before: boolean | null; after: boolean | null }>; variants: Array<{ from: string | null; to: string | null }> }>;
  };
}

const group = (combinationType: 'AND' | 'OR', rules: unknown[]) => ({ __type: 'RuleCombination', combinationType, rules }) as unknown as RuleCombination;
const custom = (ref: string) => ({ __type: 'CustomAttributeReference', ref });
const greaterThan = (ref: string, value: number, invertCondition = false) => ({
  __type: 'Rule',
  attribute: custom(ref),
  attributeMatchCondition: 'NUMBER_GREATER_THAN',
  attributeMatchOptions: { __type: 'NumberMatchOptions', value },
  invertCondition,
});
const equals = (ref: string, value: string, invertCondition = false) => ({
  __type: 'Rule',
  attribute: custom(ref),
  attributeMatchCondition: 'STRING_EQUALS',
  attributeMatchOptions: { __type: 'StringMatchOptions', value },
  invertCondition,
});

/** Six visitors with known attributes (see the table in each test). */
const VISITORS: Array<[string, Record<string, string | number>]> = [
  ['v1', { age: 20, plan: 'free' }],
  ['v2', { age: 30, plan: 'pro' }],
  ['v3', { age: 40, plan: 'pro' }],
  ['v4', { age: 50, plan: 'free' }],
  ['v5', { age: 60, plan: 'enterprise' }],
  ['v6', { plan: 'pro' }],
];

describe('audience impact preview', () => {
  let t: TestApp;
  let project: TestProject;
  let seed: EdgeSeed;
  let age: string;
  let plan: string;
  /** "Adults, not enterprise": age > 25 AND plan ≠ enterprise → v2, v3, v4. */
  let adults: string;
  let pro: string;
  let segmentedUid: string;

  const post = (url: string, payload: unknown, headers = project.headersFor(t.owner)) =>
    t.app.inject({ method: 'POST', url, headers, payload: payload as Body });
  const preview = async (definition: RuleCombination): Promise<Preview> => {
    const res = await post(`/api/audiences/${adults}/impact`, { definition });
    expect(res.statusCode, res.body).toBe(200);
    return json<Preview>(res);
  };
  const segmentedImpact = (p: Preview) => p.experiences.find((e) => e.uid === segmentedUid);
  const transitions = (p: Preview) =>
    Object.fromEntries((segmentedImpact(p)?.transitions ?? []).map((x) => [`${x.from ?? 'none'}→${x.to ?? 'none'}`, x.visitors]));

  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t);
    seed = edgeSeed(t, project);
    age = await seed.attribute('age');
    plan = await seed.attribute('plan');
    adults = await seed.audience('Adults', group('AND', [greaterThan(age, 25), equals(plan, 'enterprise', true)]));
    pro = await seed.audience('Pro', group('AND', [equals(plan, 'pro')]));
    // The edited audience's variant comes first, so it wins over the later "pro" variant.
    const shortUid = await seed.segmented('Homepage', [
      { name: 'adults', audiences: [adults] },
      { name: 'pro', audiences: [pro] },
    ]);
    // Not using the edited audience: never part of the preview.
    await seed.segmented('Pricing', [{ name: 'pro only', audiences: [pro] }]);
    const list = json<Array<{ uid: string; shortUid: string }>>(await t.app.inject({ method: 'GET', url: '/api/experiences', headers: project.headersFor(t.owner) }));
    segmentedUid = list.find((e) => e.shortUid === shortUid)?.uid ?? '';
    const base = Date.parse('2026-11-29T11:00:00.000Z');
    await upsertRecentVisitors(
      t.db,
      VISITORS.map(([uid, attributes], i) => ({
        projectUid: project.uid,
        visitorUid: uid,
        lastSeenAt: new Date(base + i * 60_000).toISOString(),
        presets: { COUNTRY: 'US' },
        attributes,
      })),
    );
  });
  afterEach(async () => t.close());

  function variantNames(): Promise<Record<string, string>> {
    return t.app
      .inject({ method: 'GET', url: `/api/experiences/${segmentedUid}/versions`, headers: project.headersFor(t.owner) })
      .then((res) => {
        const versions = json<Array<{ status: string; variants: Array<{ shortUid: string; name: string }> }>>(res);
        const active = versions.find((v) => v.status === 'ACTIVE');
        return Object.fromEntries((active?.variants ?? []).map((v) => [v.shortUid, v.name]));
      });
  }

  /** Rewrites "shortUid→shortUid" keys with variant names for readable expectations. */
  async function named(p: Preview): Promise<Record<string, number>> {
    const names = await variantNames();
    return Object.fromEntries(
      Object.entries(transitions(p)).map(([k, n]) => [
        k
          .split('→')
          .map((s) => names[s] ?? s)
          .join('→'),
        n,
      ]),
    );
  }

  it('an unchanged definition moves nobody and reports the whole sample and its window', async () => {
    const p = await preview(group('AND', [greaterThan(age, 25), equals(plan, 'enterprise', true)]));
    expect(p).toMatchObject({ sampleSize: 6, available: 6, before: 3, after: 3, joined: 0, left: 0, unchanged: 6, partial: false });
    expect(p.window).toEqual({ from: '2026-11-29T11:00:00.000Z', to: '2026-11-29T11:05:00.000Z' });
    expect(p.experiences.map((e) => [e.name, e.status, e.visitorsChangingVariant])).toEqual([['Homepage', 'ACTIVE', 0]]);
    expect(p.experiences[0]?.variants.map((v) => v.name)).toEqual(['adults', 'pro']);
  });

  it('tightening a number bound: v2 and v3 leave and fall through to the later "pro" variant', async () => {
    const p = await preview(group('AND', [greaterThan(age, 45), equals(plan, 'enterprise', true)]));
    expect(p).toMatchObject({ before: 3, after: 1, joined: 0, left: 2, unchanged: 4 });
    expect(segmentedImpact(p)?.visitorsChangingVariant).toBe(2);
    expect(await named(p)).toEqual({ 'adults→pro': 2 });
    expect(p.examples.left.map((e) => e.visitorUid).sort()).toEqual(['v2', 'v3']);
    const example = p.examples.left[0];
    expect(example?.rules).toEqual([expect.objectContaining({ path: 'definition.rules[0]', attribute: 'age', before: true, after: false })]);
    expect(example?.variants).toHaveLength(1);
  });

  it('adding a group: the free-plan v4 leaves and gets no variant', async () => {
    const p = await preview(group('AND', [greaterThan(age, 25), equals(plan, 'enterprise', true), group('OR', [equals(plan, 'pro'), greaterThan(age, 55)])]));
    expect(p).toMatchObject({ before: 3, after: 2, joined: 0, left: 1, unchanged: 5 });
    expect(await named(p)).toEqual({ 'adults→none': 1 });
    expect(p.examples.left[0]?.visitorUid).toBe('v4');
    // The new group's rules, which did not exist before, are what moved v4.
    expect(p.examples.left[0]?.rules.map((r) => [r.path, r.before, r.after])).toEqual([
      ['definition.rules[2].rules[0]', null, false],
      ['definition.rules[2].rules[1]', null, false],
    ]);
  });

  it('inverting a rule: v1 and v6 (no age) join, v2–v4 leave; v6 moves up from the later variant', async () => {
    const p = await preview(group('AND', [greaterThan(age, 25, true), equals(plan, 'enterprise', true)]));
    expect(p).toMatchObject({ before: 3, after: 2, joined: 2, left: 3, unchanged: 1 });
    expect(segmentedImpact(p)?.visitorsChangingVariant).toBe(5);
    expect(await named(p)).toEqual({ 'adults→pro': 2, 'none→adults': 1, 'pro→adults': 1, 'adults→none': 1 });
    expect(p.examples.joined.map((e) => e.visitorUid).sort()).toEqual(['v1', 'v6']);
    const v6 = p.examples.joined.find((e) => e.visitorUid === 'v6');
    expect(v6?.rules).toEqual([expect.objectContaining({ path: 'definition.rules[0]', attribute: 'age', before: false, after: true })]);
  });

  it('changing Match All to Match Any: v1, v5 and v6 join', async () => {
    const p = await preview(group('OR', [greaterThan(age, 25), equals(plan, 'enterprise', true)]));
    expect(p).toMatchObject({ before: 3, after: 6, joined: 3, left: 0, unchanged: 3 });
    expect(await named(p)).toEqual({ 'none→adults': 2, 'pro→adults': 1 });
    // No rule flipped: the rules that now let each visitor in are shown.
    const v5 = p.examples.joined.find((e) => e.visitorUid === 'v5');
    expect(v5?.rules.map((r) => [r.path, r.attribute, r.after])).toEqual([['definition.rules[0]', 'age', true]]);
  });

  it('an A/B test targeting the audience: every visitor who leaves the target group loses their variant', async () => {
    const ab = await seed.abTest('Checkout', [{ name: 'A', trafficDistribution: 50 }, { name: 'B', trafficDistribution: 50 }], [adults]);
    const p = await preview(group('AND', [greaterThan(age, 45), equals(plan, 'enterprise', true)]));
    const list = json<Array<{ uid: string; shortUid: string }>>(await t.app.inject({ method: 'GET', url: '/api/experiences', headers: project.headersFor(t.owner) }));
    const test = p.experiences.find((e) => e.uid === list.find((x) => x.shortUid === ab)?.uid);
    expect(test?.visitorsChangingVariant).toBe(2);
    expect(test?.transitions.every((x) => x.from !== null && x.to === null)).toBe(true);
    expect(test?.transitions.reduce((n, x) => n + x.visitors, 0)).toBe(2);
  });

  it('the time of each visit drives DATE_AND_TIME', async () => {
    const after = (value: string) => ({
      __type: 'Rule',
      attribute: { __type: 'PresetAttributeReference', ref: 'DATE_AND_TIME' },
      attributeMatchCondition: 'AFTER_TIME',
      attributeMatchOptions: { __type: 'DateTimeMatchOptions', value },
      invertCondition: false,
    });
    // Visitors were seen at 11:00, 11:01, … 11:05: v4–v6 after 11:02:30. Before: v2–v4.
    const p = await preview(group('AND', [after('2026-11-29T11:02:30Z')]));
    expect(p).toMatchObject({ before: 3, after: 3, joined: 2, left: 2, unchanged: 2 });
    expect(p.examples.joined.map((e) => e.visitorUid).sort()).toEqual(['v5', 'v6']);
    expect(p.examples.left.map((e) => e.visitorUid).sort()).toEqual(['v2', 'v3']);
  });

  it('previews a new audience without experiences', async () => {
    const res = await post('/api/audiences/impact', { name: 'Pro plan', definition: group('AND', [equals(plan, 'pro')]) });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<Preview>(res)).toMatchObject({ audienceUid: null, sampleSize: 6, before: 0, after: 3, joined: 3, left: 0, experiences: [] });
  });

  it('successive previews of one audience (reusing what does not depend on the proposal) answer as fresh ones do', async () => {
    const tighten = group('AND', [greaterThan(age, 45), equals(plan, 'enterprise', true)]);
    const first = await preview(tighten);
    const inverted = await preview(group('AND', [greaterThan(age, 25, true), equals(plan, 'enterprise', true)]));
    expect(inverted).toMatchObject({ joined: 2, left: 3 });
    expect(await named(inverted)).toEqual({ 'adults→pro': 2, 'none→adults': 1, 'pro→adults': 1, 'adults→none': 1 });
    const again = await preview(tighten);
    expect({ ...again, elapsedMs: 0 }).toEqual({ ...first, elapsedMs: 0 });
  });

  it('a definition left out keeps the saved one', async () => {
    const res = await post(`/api/audiences/${adults}/impact`, { name: 'Renamed' });
    expect(json<Preview>(res)).toMatchObject({ joined: 0, left: 0, before: 3, after: 3 });
  });
});
