import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type PersonalizeModule from '@contentstack/personalize-edge-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newUid } from '../../shared/ids.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import { edgeSeed, equalsRule, type EdgeSeed } from './edge-test-seed.js';

/**
 * The real, unmodified @contentstack/personalize-edge-sdk (pinned in the root package.json)
 * against a listening server: the contract of real-clients.md §1. The SDK ignores the answers
 * to events and attribute calls, so their effects are checked in the server's state.
 */
const Personalize = createRequire(import.meta.url)('@contentstack/personalize-edge-sdk') as typeof PersonalizeModule;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let t: TestApp;
let project: TestProject;
let seed: EdgeSeed;
let plan: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  // Module-global in the SDK: one base URL for this whole file.
  Personalize.setEdgeApiUrl(`http://127.0.0.1:${port}/edge`);
});
afterAll(async () => t.close());

beforeEach(async () => {
  project = await createTestProject(t);
  seed = edgeSeed(t, project);
  plan = await seed.attribute('plan');
});

async function storedEvents(visitor: string) {
  return t.db.kysely
    .selectFrom('edge_events')
    .select(['type', 'variant_short_uid', 'event_key', 'experience_uid'])
    .where('project_uid', '=', project.uid)
    .where('visitor_uid', '=', visitor)
    .orderBy('type')
    .orderBy('variant_short_uid')
    .execute();
}

describe('@contentstack/personalize-edge-sdk against Tailor', () => {
  it('initializes without a user id and receives one from the server', async () => {
    const sdk = await Personalize.init(project.uid);
    expect(sdk.getUserId()).toMatch(UUID);
    expect(sdk.getExperiences()).toEqual([]);
  });

  it('keeps the user id it was given', async () => {
    const sdk = await Personalize.init(project.uid, { userId: 'customer-42' });
    expect(sdk.getUserId()).toBe('customer-42');
  });

  it('flips the aliases of a segmented experience when set() changes an attribute', async () => {
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    const a = await seed.segmented('Gold offer', [{ name: 'Gold', audiences: [gold] }]);
    const sdk = await Personalize.init(project.uid);
    const uid = sdk.getUserId() as string;
    expect(sdk.getVariantAliases()).toEqual([]);
    expect(sdk.getExperiences()).toEqual([{ shortUid: a, activeVariantShortUid: null }]);

    await sdk.set({ plan: 'gold' });
    const gold2 = await Personalize.init(project.uid, { userId: uid });
    expect(gold2.getVariantAliases()).toEqual([`cs_personalize_${a}_0`]);
    expect(gold2.getVariantParam()).toBe(`${a}_0`);

    await gold2.set({ plan: 'silver' });
    expect((await Personalize.init(project.uid, { userId: uid })).getVariantAliases()).toEqual([]);
  });

  it('decides with live attributes without storing them', async () => {
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    const a = await seed.segmented('Gold offer', [{ name: 'Gold', audiences: [gold] }]);
    const sdk = await Personalize.init(project.uid, { userId: 'live-1', liveAttributes: { plan: 'gold' } });
    expect(sdk.getVariantAliases()).toEqual([`cs_personalize_${a}_0`]);
    expect((await Personalize.init(project.uid, { userId: 'live-1' })).getVariantAliases()).toEqual([]);
  });

  it('filters experiences by tags', async () => {
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    const home = await seed.segmented('Home', [{ name: 'Gold', audiences: [gold] }], ['home-page']);
    await seed.segmented('Checkout', [{ name: 'Gold', audiences: [gold] }], ['checkout']);
    const sdk = await Personalize.init(project.uid, { tags: ['Home-Page'], liveAttributes: { plan: 'gold' } });
    expect(sdk.getExperiences()).toEqual([{ shortUid: home, activeVariantShortUid: '0' }]);
  });

  it('keeps an A/B assignment across inits and spreads 2,000 visitors evenly (±5 %)', async () => {
    const ab = await seed.abTest('Split', [
      { name: 'A', trafficDistribution: 50 },
      { name: 'B', trafficDistribution: 50 },
    ]);
    const first = await Personalize.init(project.uid, { userId: 'sticky' });
    for (let i = 0; i < 3; i++) {
      expect((await Personalize.init(project.uid, { userId: 'sticky' })).getActiveVariant(ab)).toBe(first.getActiveVariant(ab));
    }
    const counts = { '0': 0, '1': 0 } as Record<string, number>;
    for (let i = 0; i < 2000; i++) {
      const sdk = await Personalize.init(project.uid);
      const variant = sdk.getActiveVariant(ab);
      if (variant !== null) counts[variant] = (counts[variant] ?? 0) + 1;
    }
    expect((counts['0'] ?? 0) + (counts['1'] ?? 0)).toBe(2000);
    expect(counts['0']).toBeGreaterThanOrEqual(900);
    expect(counts['0']).toBeLessThanOrEqual(1100);
  }, 60_000);

  it('stores impressions and conversion events the SDK triggers', async () => {
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    const a = await seed.segmented('Gold offer', [{ name: 'Gold', audiences: [gold] }]);
    const b = await seed.abTest('Split', [
      { name: 'A', trafficDistribution: 50 },
      { name: 'B', trafficDistribution: 50 },
    ]);
    await seed.event('clickCTA');
    const sdk = await Personalize.init(project.uid, { userId: 'buyer', liveAttributes: { plan: 'gold' } });
    await sdk.triggerImpression(a);
    await sdk.triggerImpressions({ experienceShortUids: [a, b] });
    await sdk.triggerEvent('clickCTA');
    const bVariant = sdk.getActiveVariant(b);
    const rows = await storedEvents('buyer');
    // The repeated impression of a/0 is stored once.
    expect(rows.filter((r) => r.type === 'IMPRESSION').map((r) => r.variant_short_uid).sort()).toEqual(['0', bVariant].sort());
    expect(rows.filter((r) => r.type === 'EVENT')).toEqual([{ type: 'EVENT', variant_short_uid: null, event_key: 'clickCTA', experience_uid: null }]);
  });

  it('stores impressions sent by alias', async () => {
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    const a = await seed.segmented('Gold offer', [{ name: 'Gold', audiences: [gold] }]);
    const sdk = await Personalize.init(project.uid, { userId: 'alias-user', liveAttributes: { plan: 'gold' } });
    await sdk.triggerImpressions({ aliases: sdk.getVariantAliases() });
    expect(sdk.getVariantAliases()).toEqual([`cs_personalize_${a}_0`]);
    expect(await storedEvents('alias-user')).toHaveLength(1);
  });

  it('merges the anonymous profile into the known one on setUserId(…, { preserveUserAttributes: true })', async () => {
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    const a = await seed.segmented('Gold offer', [{ name: 'Gold', audiences: [gold] }]);
    const anonymous = await Personalize.init(project.uid);
    await anonymous.set({ plan: 'gold' });
    await anonymous.setUserId('known-7', { preserveUserAttributes: true });
    expect(anonymous.getUserId()).toBe('known-7');
    expect(await t.app.services.visitorProfiles.getAttributes(project.uid, 'known-7')).toEqual({ plan: 'gold' });
    expect((await Personalize.init(project.uid, { userId: 'known-7' })).getVariantAliases()).toEqual([`cs_personalize_${a}_0`]);
  });

  it('rejects init for an unknown project with "Project not found"', async () => {
    const unknown = newUid();
    await expect(Personalize.init(unknown)).rejects.toThrow(`Project not found: ${unknown}`);
  });
});
