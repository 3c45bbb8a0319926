import { describe, expect, it } from 'vitest';
import type { Version } from '@tailor/contract';
import { draftFromVersion, draftReducer, draftToRequest, equalSplit, isDraftChanged, trafficTotal, validateDraft, type VersionDraft } from './version-draft';

const audit = { createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', createdBy: 'u', updatedBy: 'u', createdByUserName: 'A', updatedByUserName: 'A' };
const baseVersion: Version = {
  uid: 'a'.repeat(24),
  _id: 'a'.repeat(24),
  experienceUid: 'b'.repeat(24),
  versionNumber: 1,
  status: 'DRAFT',
  variants: [],
  targeting: null,
  metrics: [],
  variantSplit: null,
  activatedAt: null,
  activatedBy: null,
  activatedByUserName: null,
  archivedAt: null,
  project: 'c'.repeat(24),
  version: 3,
  ...audit,
};

const abDraft = (): VersionDraft => draftFromVersion('AB_TEST', { ...baseVersion, variantSplit: 'EQUAL' });

describe('equalSplit', () => {
  it('gives the remainder to the first variants: 3 → 34/33/33', () => {
    expect(equalSplit(3)).toEqual([34, 33, 33]);
  });
  it('always sums to 100', () => {
    for (let n = 1; n <= 20; n++) expect(equalSplit(n).reduce((a, b) => a + b, 0)).toBe(100);
  });
  it('is empty without variants', () => {
    expect(equalSplit(0)).toEqual([]);
  });
});

describe('draftReducer', () => {
  it('re-splits equally as A/B variants are added and removed', () => {
    let draft = abDraft();
    draft = draftReducer(draft, { type: 'addVariant' });
    draft = draftReducer(draft, { type: 'addVariant' });
    draft = draftReducer(draft, { type: 'addVariant' });
    expect(draft.variants.map((v) => v.trafficDistribution)).toEqual([34, 33, 33]);
    draft = draftReducer(draft, { type: 'removeVariant', key: draft.variants[0]?.key ?? '' });
    expect(draft.variants.map((v) => v.trafficDistribution)).toEqual([50, 50]);
  });

  it('keeps custom percentages until the user returns to an equal split', () => {
    let draft = draftReducer(draftReducer(abDraft(), { type: 'addVariant' }), { type: 'addVariant' });
    draft = draftReducer(draft, { type: 'setSplit', split: 'CUSTOM' });
    draft = draftReducer(draft, { type: 'setTraffic', key: draft.variants[0]?.key ?? '', value: 70 });
    draft = draftReducer(draft, { type: 'addVariant' });
    expect(draft.variants.map((v) => v.trafficDistribution)).toEqual([70, 50, 0]);
    draft = draftReducer(draft, { type: 'setSplit', split: 'EQUAL' });
    expect(draft.variants.map((v) => v.trafficDistribution)).toEqual([34, 33, 33]);
  });

  it('reorders variants (variant priority) and gives new ones distinct keys', () => {
    let draft = draftFromVersion('SEGMENTED', baseVersion);
    draft = draftReducer(draft, { type: 'addVariant' });
    draft = draftReducer(draft, { type: 'addVariant' });
    draft = draftReducer(draft, { type: 'renameVariant', key: 'new1', name: 'First' });
    draft = draftReducer(draft, { type: 'renameVariant', key: 'new2', name: 'Second' });
    draft = draftReducer(draft, { type: 'moveVariant', from: 1, to: 0 });
    expect(draft.variants.map((v) => v.name)).toEqual(['Second', 'First']);
  });

  it('caps metrics at five distinct events', () => {
    const draft = draftReducer(abDraft(), { type: 'setMetrics', metrics: ['a', 'b', 'a', 'c', 'd', 'e', 'f'] });
    expect(draft.metrics).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('validateDraft', () => {
  it('flags percentages that do not sum to 100, live', () => {
    let draft = draftReducer(draftReducer(abDraft(), { type: 'addVariant' }), { type: 'addVariant' });
    expect(validateDraft(draft).trafficDistribution).toBeUndefined();
    draft = draftReducer(draft, { type: 'setSplit', split: 'CUSTOM' });
    draft = draftReducer(draft, { type: 'setTraffic', key: draft.variants[1]?.key ?? '', value: 40 });
    expect(validateDraft(draft).trafficDistribution).toBe('Traffic must add up to 100%; it adds up to 90%');
  });

  it('adds decimals without floating-point noise', () => {
    expect(trafficTotal([33.33, 33.33, 33.34])).toBe(100);
  });

  it('asks for a name and an audience per segmented variant', () => {
    const draft = draftReducer(draftFromVersion('SEGMENTED', baseVersion), { type: 'addVariant' });
    expect(validateDraft(draft)).toEqual({
      'variants[0].name': 'Please enter a variant name',
      'variants[0].audiences': 'Please select at least one audience',
    });
  });

  it('needs two variants for an A/B test and an audience for a selective target group', () => {
    const draft = draftReducer(abDraft(), { type: 'setTargetMode', mode: 'SELECTIVE' });
    expect(validateDraft(draft)).toMatchObject({
      variants: 'An A/B test needs at least 2 variants',
      'targeting.audiences': 'Select at least one audience, or target Everyone',
    });
  });
});

describe('draftToRequest', () => {
  it('sends A/B variants with traffic, the target group and the first metric as Primary', () => {
    let draft = draftReducer(draftReducer(abDraft(), { type: 'addVariant' }), { type: 'addVariant' });
    draft = draftReducer(draft, { type: 'setTargetMode', mode: 'SELECTIVE' });
    draft = draftReducer(draft, { type: 'setTargetAudiences', audiences: ['x'] });
    draft = draftReducer(draft, { type: 'setMetrics', metrics: ['e1', 'e2'] });
    expect(draftToRequest(draft, 'DRAFT', 3)).toEqual({
      status: 'DRAFT',
      variants: [
        { __type: 'ABTestVariant', name: 'Variant 1', trafficDistribution: 50 },
        { __type: 'ABTestVariant', name: 'Variant 2', trafficDistribution: 50 },
      ],
      targeting: { audience: { audiences: ['x'], audienceCombinationType: 'OR' } },
      metrics: [
        { __type: 'Primary', event: 'e1' },
        { __type: 'Secondary', event: 'e2' },
      ],
      variantSplit: 'EQUAL',
      version: 3,
    });
  });

  it('keeps the shortUids of saved segmented variants, so their CMS mapping survives', () => {
    const version: Version = {
      ...baseVersion,
      variants: [{ __type: 'SegmentedVariant', shortUid: '4', name: 'Gold', audiences: ['aud'], lyticsAudiences: [], audienceCombinationType: 'AND' }],
    };
    const draft = draftFromVersion('SEGMENTED', version);
    expect(draftToRequest(draft, 'ACTIVE').variants).toEqual([
      { __type: 'SegmentedVariant', shortUid: '4', name: 'Gold', audiences: ['aud'], audienceCombinationType: 'AND' },
    ]);
    expect(draftToRequest(draft, 'ACTIVE').targeting).toBeNull();
    expect(isDraftChanged(draft, draftFromVersion('SEGMENTED', version))).toBe(false);
    expect(isDraftChanged(draftReducer(draft, { type: 'setCombination', key: 'v4', combination: 'OR' }), draft)).toBe(true);
  });
});
