import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import { edgeSeed, equalsRule, presetRule, type EdgeSeed } from './edge-test-seed.js';

interface ManifestBody {
  experiences: Array<{ shortUid: string; activeVariantShortUid: string | null; payload?: unknown }>;
  activeVariants: Record<string, string | null>;
}

let t: TestApp;
let project: TestProject;
let seed: EdgeSeed;
let plan: string;

beforeEach(async () => {
  t = await createTestApp({ env: { TRUST_PROXY: 'loopback, 10.0.0.0/8' } });
  project = await createTestProject(t);
  seed = edgeSeed(t, project);
  plan = await seed.attribute('plan');
});
afterEach(async () => t.close());

async function manifest(headers: Record<string, string> = {}, query = ''): Promise<ManifestBody> {
  const response = await t.app.inject({ method: 'GET', url: `/edge/manifest${query}`, headers: { 'x-project-uid': project.uid, ...headers } });
  expect(response.statusCode).toBe(200);
  return json<ManifestBody>(response);
}

function setAttributes(visitor: string, attributes: Record<string, unknown>) {
  return t.app.inject({
    method: 'PATCH',
    url: '/edge/user-attributes',
    headers: { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': visitor },
    payload: attributes,
  });
}

describe('manifest decisions', () => {
  it('decides segmented experiences from stored attributes, live attributes and presets, in priority order', async () => {
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    const us = await seed.audience('US', presetRule('COUNTRY', 'US'));
    const a = await seed.segmented('Gold offer', [{ name: 'Gold', audiences: [gold] }]);
    const b = await seed.segmented('US banner', [{ name: 'US', audiences: [us] }]);

    expect((await manifest({ 'x-cs-personalize-user-uid': 'v1' })).experiences).toEqual([
      { shortUid: a, activeVariantShortUid: null },
      { shortUid: b, activeVariantShortUid: null },
    ]);
    await setAttributes('v1', { plan: 'gold' });
    const body = await manifest({ 'x-cs-personalize-user-uid': 'v1', 'x-forwarded-for': '8.8.8.8' });
    expect(body).toEqual({
      experiences: [
        { shortUid: a, activeVariantShortUid: '0' },
        { shortUid: b, activeVariantShortUid: '0' },
      ],
      activeVariants: { [a]: '0', [b]: '0' },
    });
    // Live attributes override the stored profile for this request only.
    const live = await manifest({ 'x-cs-personalize-user-uid': 'v1', 'x-live-attributes': '{"plan":"silver"}' });
    expect(live.experiences[0]?.activeVariantShortUid).toBeNull();
    expect((await manifest({ 'x-cs-personalize-user-uid': 'v1' })).experiences[0]?.activeVariantShortUid).toBe('0');
  });

  it('reflects an audience edit in the very next manifest', async () => {
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    await seed.segmented('Gold offer', [{ name: 'Gold', audiences: [gold] }]);
    const visitor = { 'x-cs-personalize-user-uid': 'v1', 'x-live-attributes': '{"plan":"silver"}' };
    expect((await manifest(visitor)).experiences[0]?.activeVariantShortUid).toBeNull();
    await seed.updateAudience(gold, equalsRule(plan, 'silver'));
    expect((await manifest(visitor)).experiences[0]?.activeVariantShortUid).toBe('0');
  });

  it('filters by tags (OR, case-insensitive) and returns payloads on request', async () => {
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    const home = await seed.segmented('Home', [{ name: 'Gold', audiences: [gold], payload: { hero: 'gold.png' } }], ['home']);
    const promo = await seed.segmented('Promo', [{ name: 'Gold', audiences: [gold] }], ['promo']);
    await seed.segmented('Other', [{ name: 'Gold', audiences: [gold] }], ['other']);
    const live = { 'x-live-attributes': '{"plan":"gold"}' };
    const tagged = await manifest(live, '?tags[]=HOME&tags[]=promo');
    expect(tagged.experiences.map((e) => e.shortUid)).toEqual([home, promo]);
    const withPayload = await manifest(live, '?tags[]=home&include=payload');
    expect(withPayload.experiences).toEqual([{ shortUid: home, activeVariantShortUid: '0', payload: { hero: 'gold.png' } }]);
    const without = await manifest(live, '?tags[]=home');
    expect(without.experiences[0]).not.toHaveProperty('payload');
  });

  it('splits an A/B test evenly and keeps each visitor in the same variant', async () => {
    const ab = await seed.abTest('Split', [
      { name: 'A', trafficDistribution: 50 },
      { name: 'B', trafficDistribution: 50 },
    ]);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 400; i++) {
      const variant = (await manifest({ 'x-cs-personalize-user-uid': `visitor-${i}` })).activeVariants[ab] ?? 'none';
      counts[variant] = (counts[variant] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['0', '1']);
    expect(counts['0']).toBeGreaterThan(150);
    const first = (await manifest({ 'x-cs-personalize-user-uid': 'sticky' })).activeVariants[ab];
    for (let i = 0; i < 5; i++) expect((await manifest({ 'x-cs-personalize-user-uid': 'sticky' })).activeVariants[ab]).toBe(first);
  });
});

describe('impressions', () => {
  function impressions(visitor: string, items: unknown[]) {
    return t.app.inject({
      method: 'POST',
      url: '/edge/events',
      headers: { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': visitor },
      payload: JSON.stringify(items),
    });
  }

  it('stores an impression with the experience, active version and variant, once per visitor and variant', async () => {
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    const a = await seed.segmented('Gold offer', [{ name: 'Gold', audiences: [gold] }]);
    const item = { type: 'IMPRESSION', experienceShortUid: a, variantShortUid: '0' };
    expect((await impressions('v1', [item, item])).statusCode).toBe(200);
    expect((await impressions('v1', [item])).statusCode).toBe(200);
    expect((await impressions('v2', [item])).statusCode).toBe(200);
    const rows = await t.db.kysely.selectFrom('edge_events').selectAll().where('project_uid', '=', project.uid).execute();
    const experience = await t.db.kysely.selectFrom('experiences').select(['uid']).where('short_uid', '=', a).where('project_uid', '=', project.uid).executeTakeFirstOrThrow();
    const version = await t.db.kysely
      .selectFrom('experience_versions')
      .select('uid')
      .where('experience_uid', '=', experience.uid)
      .where('status', '=', 'ACTIVE')
      .executeTakeFirstOrThrow();
    expect(rows.map((r) => r.visitor_uid).sort()).toEqual(['v1', 'v2']);
    expect(rows[0]).toMatchObject({ type: 'IMPRESSION', experience_uid: experience.uid, version_uid: version.uid, variant_short_uid: '0' });
  });

  it('rejects impressions of unknown variants by index, storing the valid ones', async () => {
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    const a = await seed.segmented('Gold offer', [{ name: 'Gold', audiences: [gold] }]);
    const response = await impressions('v1', [
      { type: 'IMPRESSION', experienceShortUid: a, variantShortUid: '7' },
      { type: 'IMPRESSION', experienceShortUid: a, variantShortUid: '0' },
    ]);
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ accepted: 1, rejected: [{ index: 0, reason: `Unknown variant 7 of experience ${a}` }] });
    expect(await t.db.kysely.selectFrom('edge_events').selectAll().execute()).toHaveLength(1);
  });
});
