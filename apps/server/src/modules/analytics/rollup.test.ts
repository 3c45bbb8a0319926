import { describe, expect, it } from 'vitest';
import { applyBatch, type RawEvent, type RollupState } from './rollup.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-01T10:00:00.000Z');
let n = 0;

function impression(visitor: string, at: number, variant = '0', version = 'v1'): RawEvent {
  n += 1;
  return { uid: `i${String(n).padStart(6, '0')}`, projectUid: 'p', visitorUid: visitor, type: 'IMPRESSION', experienceUid: 'e', versionUid: version, variantShortUid: variant, eventUid: null, receivedAt: at };
}

function conversion(visitor: string, at: number, event = 'ev'): RawEvent {
  n += 1;
  return { uid: `c${String(n).padStart(6, '0')}`, projectUid: 'p', visitorUid: visitor, type: 'EVENT', experienceUid: null, versionUid: null, variantShortUid: null, eventUid: event, receivedAt: at };
}

const empty: RollupState = { impressions: [], conversionKeys: new Set(), metricsOf: () => new Set(['ev']) };

function dayTotals(delta: ReturnType<typeof applyBatch>) {
  const out: Record<string, number> = {};
  for (const b of delta.increments.filter((i) => i.granularity === 'day')) out[`${b.variantShortUid}|${b.eventUid}`] = (out[`${b.variantShortUid}|${b.eventUid}`] ?? 0) + b.total;
  return out;
}

describe('applyBatch', () => {
  it('counts a visitor once per variant however often the impression repeats', () => {
    const delta = applyBatch([impression('a', T0), impression('a', T0 + 1000), impression('a', T0 + HOUR), impression('b', T0)], empty);
    expect(delta.newImpressions).toHaveLength(2);
    expect(dayTotals(delta)).toEqual({ '0|': 2 });
    // Hour and day buckets move together.
    expect(delta.increments.filter((i) => i.granularity === 'hour').reduce((s, i) => s + i.total, 0)).toBe(2);
  });

  it('does not count a visitor already in the first-seen table', () => {
    const state: RollupState = {
      ...empty,
      impressions: [{ projectUid: 'p', experienceUid: 'e', versionUid: 'v1', variantShortUid: '0', visitorUid: 'a', firstAt: T0 - DAY, lastAt: T0 - DAY }],
    };
    const delta = applyBatch([impression('a', T0)], state);
    expect(delta.newImpressions).toEqual([]);
    expect(delta.increments).toEqual([]);
    expect(delta.refreshedImpressions).toMatchObject([{ visitorUid: 'a', lastAt: T0 }]);
  });

  it('attributes a conversion 29 days 23 hours after the impression', () => {
    const delta = applyBatch([impression('a', T0), conversion('a', T0 + 29 * DAY + 23 * HOUR)], empty);
    expect(dayTotals(delta)).toEqual({ '0|': 1, '0|ev': 1 });
  });

  it('does not attribute a conversion 30 days 1 hour after the impression', () => {
    const delta = applyBatch([impression('a', T0), conversion('a', T0 + 30 * DAY + HOUR)], empty);
    expect(dayTotals(delta)).toEqual({ '0|': 1 });
    expect(delta.newConversions).toEqual([]);
  });

  it('measures the window from the latest impression before the conversion', () => {
    const state: RollupState = {
      ...empty,
      impressions: [{ projectUid: 'p', experienceUid: 'e', versionUid: 'v1', variantShortUid: '0', visitorUid: 'a', firstAt: T0 - 40 * DAY, lastAt: T0 - 10 * DAY }],
    };
    expect(applyBatch([conversion('a', T0)], state).newConversions).toHaveLength(1);
  });

  it('ignores a conversion that arrives before any impression, and counts the next one', () => {
    const delta = applyBatch([conversion('a', T0 - HOUR), impression('a', T0), conversion('a', T0 + HOUR)], empty);
    expect(delta.newConversions).toMatchObject([{ firstAt: T0 + HOUR }]);
  });

  it('counts an impression and a conversion received in the same instant, whatever their order in the batch', () => {
    const c = conversion('a', T0);
    const i = impression('a', T0);
    expect(applyBatch([c, i], empty).newConversions).toHaveLength(1);
  });

  it('counts a converter once per metric event however often they convert', () => {
    const delta = applyBatch([impression('a', T0), conversion('a', T0 + 1), conversion('a', T0 + 2), conversion('a', T0 + DAY)], empty);
    expect(dayTotals(delta)).toEqual({ '0|': 1, '0|ev': 1 });
    const again = applyBatch([conversion('a', T0 + 2 * DAY)], { ...empty, impressions: delta.newImpressions, conversionKeys: new Set(['v1|ev|a']) });
    expect(again.increments).toEqual([]);
  });

  it("attributes to the variant of the visitor's first impression in the version", () => {
    const delta = applyBatch([impression('a', T0, '1'), impression('a', T0 + HOUR, '0'), conversion('a', T0 + 2 * HOUR)], empty);
    expect(dayTotals(delta)).toEqual({ '1|': 1, '0|': 1, '1|ev': 1 });
  });

  it('counts a conversion for every version the visitor saw whose metrics include the event', () => {
    const state: RollupState = { ...empty, metricsOf: (v) => (v === 'v2' ? new Set(['other']) : new Set(['ev'])) };
    const delta = applyBatch([impression('a', T0, '0', 'v1'), impression('a', T0, '0', 'v2'), impression('a', T0, '0', 'v3'), conversion('a', T0 + 1)], state);
    expect(delta.newConversions.map((c) => c.versionUid).sort()).toEqual(['v1', 'v3']);
  });

  it('skips impressions without a version and conversions of unknown events', () => {
    const orphan = { ...impression('a', T0), versionUid: null };
    const unknown = { ...conversion('a', T0 + 1), eventUid: null };
    expect(applyBatch([orphan, unknown], empty)).toEqual({ newImpressions: [], refreshedImpressions: [], newConversions: [], increments: [] });
  });

  it('buckets by the UTC hour and day of first sight', () => {
    const delta = applyBatch([impression('a', Date.parse('2026-11-01T23:59:59.999Z')), impression('b', Date.parse('2026-11-02T00:00:00.000Z'))], empty);
    const buckets = delta.increments.map((i) => `${i.granularity}:${new Date(i.bucketAt).toISOString()}`).sort();
    expect(buckets).toEqual(['day:2026-11-01T00:00:00.000Z', 'day:2026-11-02T00:00:00.000Z', 'hour:2026-11-01T23:00:00.000Z', 'hour:2026-11-02T00:00:00.000Z']);
  });
});
