import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createAudience, createEvent, experienceClient, type VersionBody } from '../../test/test-experiences.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

type Errors = { errors: Record<string, string[]> };

describe('version routes: variants, target group, metrics, limits', () => {
  let t: TestApp;
  let project: TestProject;
  let api: ReturnType<typeof experienceClient>;
  let us: string;
  let fr: string;
  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t, { limits: { variantsPerExperience: 4, audiencesPerVariant: 2 } });
    api = experienceClient(t, project);
    us = await createAudience(t, project, 'US');
    fr = await createAudience(t, project, 'FR');
  });
  afterEach(async () => {
    await t.close();
  });

  it('splits A/B traffic evenly when asked (3 → 34/33/33) and requires 100 % on activation', async () => {
    const exp = await api.create({ name: 'AB', __type: 'AB_TEST' });
    const even = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variantSplit: 'EQUAL', variants: [{ name: 'A' }, { name: 'B', trafficDistribution: 90 }, { name: 'C' }] });
    expect(json<VersionBody>(even).variants.map((v) => v.trafficDistribution)).toEqual([34, 33, 33]);
    expect(json(even).variantSplit).toBe('EQUAL');
    const custom = await api.putVersion(exp.uid, exp.latestVersion, { status: 'ACTIVE', variants: [{ name: 'A', trafficDistribution: 50 }, { name: 'B', trafficDistribution: 40 }] });
    expect(custom.statusCode).toBe(400);
    expect(json<Errors>(custom).errors.variants?.[0]).toContain('sum to 100, received 90');
    const one = await api.putVersion(exp.uid, exp.latestVersion, { status: 'ACTIVE', variants: [{ name: 'A', trafficDistribution: 100 }] });
    expect(json<Errors>(one).errors.variants?.[0]).toContain('at least 2 variants');
    const decimals = await api.putVersion(exp.uid, exp.latestVersion, { status: 'ACTIVE', variants: [{ name: 'A', trafficDistribution: 33.33 }, { name: 'B', trafficDistribution: 66.67 }] });
    expect(decimals.statusCode).toBe(200);
    expect(json(decimals)).toMatchObject({ status: 'ACTIVE', variantSplit: 'CUSTOM' });
    const outOfRange = await api.postVersion(exp.uid, { status: 'DRAFT', variants: [{ name: 'A', trafficDistribution: 101 }] });
    expect(Object.keys(json<Errors>(outOfRange).errors)).toEqual(['variants[0].trafficDistribution']);
  });

  it('mints variant shortUids from the high-water mark, keeps sent ones, never reuses, and keeps _cms stable', async () => {
    const exp = await api.create({ name: 'AB', __type: 'AB_TEST' });
    const v1 = json<VersionBody>(await api.putVersion(exp.uid, exp.latestVersion, { status: 'ACTIVE', variants: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] }));
    expect(v1.variants.map((v) => v.shortUid)).toEqual(['0', '1', '2']);
    const cms1 = (await api.get(exp.uid))._cms;
    // Drop C, keep A and B by shortUid, add D: D gets 3, not 2.
    const draft = await api.postVersion(exp.uid, { status: 'DRAFT', variants: [{ shortUid: '1', name: 'B' }, { shortUid: 0, name: 'A' }, { name: 'D' }] });
    expect(draft.statusCode).toBe(201);
    expect(json<VersionBody>(draft).variants.map((v) => v.shortUid)).toEqual(['1', '0', '3']);
    const cms2 = (await api.get(exp.uid))._cms;
    expect(cms2?.variantGroup).toBe(cms1?.variantGroup);
    expect(cms2?.variants['0']).toBe(cms1?.variants['0']);
    expect(cms2?.variants['1']).toBe(cms1?.variants['1']);
    expect(Object.keys(cms2?.variants ?? {})).toEqual(['0', '1', '2', '3']);
    const unknown = await api.putVersion(exp.uid, json<VersionBody>(draft).uid, { status: 'DRAFT', variants: [{ shortUid: '7', name: 'X' }] });
    expect(unknown.statusCode).toBe(400);
    expect(Object.keys(json<Errors>(unknown).errors)).toEqual(['variants[0].shortUid']);
    const twice = await api.putVersion(exp.uid, json<VersionBody>(draft).uid, { status: 'DRAFT', variants: [{ shortUid: '0', name: 'X' }, { shortUid: '0', name: 'Y' }] });
    expect(Object.keys(json<Errors>(twice).errors)).toEqual(['variants[1].shortUid']);
  });

  it('checks audiences: this project’s only, at most the per-variant limit, with paths', async () => {
    const other = await createTestProject(t);
    const foreign = await createAudience(t, other, 'Theirs');
    const exp = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
    const res = await api.putVersion(exp.uid, exp.latestVersion, {
      status: 'DRAFT',
      variants: [
        { name: 'ok', audiences: [us], audienceCombinationType: 'OR' },
        { name: 'bad', audiences: [fr, foreign], audienceCombinationType: 'AND' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(json<Errors>(res).errors)).toEqual(['variants[1].audiences[1]']);
    const tooMany = await api.putVersion(exp.uid, exp.latestVersion, {
      status: 'DRAFT',
      variants: [{ name: 'many', audiences: [us, fr, '0123456789abcdef01234567'], audienceCombinationType: 'AND' }],
    });
    expect(json<Errors>(tooMany).errors['variants[0].audiences']?.[0]).toContain('at most 2 audiences');
    const malformed = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: [{ name: 'x', audiences: ['nope'], audienceCombinationType: 'AND' }] });
    expect(Object.keys(json<Errors>(malformed).errors)).toEqual(['variants[0].audiences[0]']);
    const lytics = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: [{ name: 'x', audiences: [us], lyticsAudiences: ['abc'], audienceCombinationType: 'AND' }] });
    expect(Object.keys(json<Errors>(lytics).errors)).toEqual(['variants[0].lyticsAudiences']);
    const wrongKind = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: [{ __type: 'ABTestVariant', name: 'x', trafficDistribution: 100 }] });
    expect(Object.keys(json<Errors>(wrongKind).errors)).toContain('variants[0].__type');
  });

  it('limits the number of variants per experience', async () => {
    const exp = await api.create({ name: 'AB', __type: 'AB_TEST' });
    const five = Array.from({ length: 5 }, (_, i) => ({ name: `V${i}` }));
    const res = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: five });
    expect(res.statusCode).toBe(400);
    expect(json<Errors>(res).errors.variants?.[0]).toContain('at most 4 variants');
  });

  it('stores a JSON payload up to 16 KB and refuses a larger one', async () => {
    const exp = await api.create({ name: 'AB', __type: 'AB_TEST' });
    const payload = { headline: 'Hi', items: [1, 2, { deep: true }] };
    const ok = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: [{ name: 'A', payload }, { name: 'B' }] });
    expect(ok.statusCode).toBe(200);
    expect(json<{ variants: Array<{ payload?: unknown }> }>(ok).variants[0]?.payload).toEqual(payload);
    expect(json<{ variants: Array<{ payload?: unknown }> }>(ok).variants[1]).not.toHaveProperty('payload');
    const big = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: [{ name: 'A', payload: { text: 'x'.repeat(17_000) } }] });
    expect(big.statusCode).toBe(400);
    expect(Object.keys(json<Errors>(big).errors)).toEqual(['variants[0].payload']);
  });

  it('accepts the A/B target group in the legacy, flat and emptied shapes and answers the legacy one', async () => {
    const exp = await api.create({ name: 'AB', __type: 'AB_TEST' });
    const variants = [{ name: 'A' }, { name: 'B' }];
    const legacy = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants, targeting: { audience: { audiences: [us, fr], audienceCombinationType: 'AND' } } });
    expect(json(legacy).targeting).toEqual({ audience: { audiences: [us, fr], audienceCombinationType: 'AND' } });
    const flat = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants, targeting: { audiences: [fr], audienceCombinationType: 'OR' } });
    expect(json(flat).targeting).toEqual({ audience: { audiences: [fr], audienceCombinationType: 'OR' } });
    expect((await api.get(exp.uid)).referredAudiences).toEqual([fr]);
    const emptied = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants, targeting: {} });
    expect(json(emptied).targeting).toBeNull();
    const everyone = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants, targeting: null });
    expect(json(everyone).targeting).toBeNull();
    const unknown = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants, targeting: { audience: { audiences: ['0123456789abcdef01234567'], audienceCombinationType: 'OR' } } });
    expect(Object.keys(json<Errors>(unknown).errors)).toEqual(['targeting.audience.audiences[0]']);
    const seg = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
    const segTargeting = await api.putVersion(seg.uid, seg.latestVersion, { status: 'DRAFT', variants: [], targeting: { audiences: [us], audienceCombinationType: 'OR' } });
    expect(Object.keys(json<Errors>(segTargeting).errors)).toEqual(['targeting']);
  });

  it('checks metrics: events of this project, Primary first, at most 5, A/B only', async () => {
    const events = await Promise.all(['signup', 'buy', 'click', 'scroll', 'share', 'like'].map((k) => createEvent(t, project, k)));
    const exp = await api.create({ name: 'AB', __type: 'AB_TEST' });
    const variants = [{ name: 'A' }, { name: 'B' }];
    const ok = await api.putVersion(exp.uid, exp.latestVersion, {
      status: 'DRAFT',
      variants,
      metrics: [{ __type: 'Primary', event: events[0], name: 'Signups' }, { __type: 'Secondary', event: events[1] }],
    });
    expect(ok.statusCode).toBe(200);
    expect(json(ok).metrics).toEqual([{ __type: 'Primary', event: events[0], name: 'Signups' }, { __type: 'Secondary', event: events[1] }]);
    const secondFirst = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants, metrics: [{ __type: 'Secondary', event: events[1] }, { __type: 'Primary', event: events[0] }] });
    expect(Object.keys(json<Errors>(secondFirst).errors)).toEqual(['metrics[1].__type']);
    const six = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants, metrics: events.map((e, i) => ({ __type: i === 0 ? 'Primary' : 'Secondary', event: e })) });
    expect(json<Errors>(six).errors.metrics?.[0]).toContain('at most 5');
    const unknown = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants, metrics: [{ __type: 'Primary', event: '0123456789abcdef01234567' }] });
    expect(Object.keys(json<Errors>(unknown).errors)).toEqual(['metrics[0].event']);
    const badType = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants, metrics: [{ __type: 'Tertiary', event: events[0] }] });
    expect(json<Errors>(badType).errors['metrics[0].__type']?.[0]).toMatch(/^NOT_VALID_ENUM/);
    const seg = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
    const segMetrics = await api.putVersion(seg.uid, seg.latestVersion, { status: 'DRAFT', variants: [], metrics: [{ __type: 'Primary', event: events[0] }] });
    expect(Object.keys(json<Errors>(segMetrics).errors)).toEqual(['metrics']);
  });

  it('replays a CLI import: whole exported objects, PUT without shortUids, POST with them, then _cms', async () => {
    const exported = {
      _id: '65f0c0ffee0000000000abcd',
      name: 'Imported',
      description: '',
      __type: 'SEGMENTED',
      shortUid: '4',
      status: 'ACTIVE',
      latestVersion: '65f0c0ffee0000000000abce',
      _cms: { variantGroup: 'old', variants: { '0': 'csold' } },
      project: '65f0c0ffee0000000000ffff',
      version: 3,
    };
    const exp = await api.create(exported);
    const activeVersion = {
      uid: '65f0c0ffee0000000000abce',
      _id: '65f0c0ffee0000000000abce',
      experienceUid: '65f0c0ffee0000000000abcd',
      status: 'ACTIVE',
      version: 5,
      activatedAt: '2020-01-01T00:00:00.000Z',
      variants: [
        { __type: 'SegmentedVariant', name: 'US', audiences: [us], lyticsAudiences: [], audienceCombinationType: 'OR' },
        { __type: 'SegmentedVariant', name: 'FR', audiences: [fr], lyticsAudiences: [], audienceCombinationType: 'AND' },
      ],
      createdAt: '2020-01-01T00:00:00.000Z',
    };
    const put = await api.putVersion(exp.uid, exp.latestVersion, activeVersion);
    expect(put.statusCode).toBe(200);
    expect(json<VersionBody>(put).variants.map((v) => v.shortUid)).toEqual(['0', '1']);
    const draftVersion = { ...activeVersion, uid: '65f0c0ffee0000000000abcf', status: 'DRAFT', variants: activeVersion.variants.map((v, i) => ({ ...v, shortUid: String(i) })) };
    const post = await api.postVersion(exp.uid, draftVersion);
    expect(post.statusCode).toBe(201);
    expect(json<VersionBody>(post).variants.map((v) => v.shortUid)).toEqual(['0', '1']);
    const polled = await api.get(exp.uid);
    expect(polled.status).toBe('ACTIVE');
    expect(polled._cms?.variantGroup).toBeTruthy();
    expect(Object.keys(polled._cms?.variants ?? {})).toEqual(['0', '1']);
    // A paused export is re-created by POST with the CLI's PAUSE key.
    const paused = await api.postVersion(exp.uid, { ...activeVersion, status: 'PAUSE' });
    expect(paused.statusCode).toBe(201);
    expect(json(paused).status).toBe('PAUSED');
    expect((await api.versions(exp.uid)).map((v) => v.status)).toEqual(['PAUSED', 'DRAFT', 'ARCHIVED']);
  });
});
