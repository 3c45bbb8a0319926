import type { AnalysedVersion } from './analytics-read-model.js';
import type { BucketRow } from './analytics-repository.js';
import { floorTo } from './rollup.js';
import { variantsOf } from './summary.js';

/** Pure assembly of zero-filled series, one per variant, from bucket rows. */

export const MAX_POINTS = 10_000;
export const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;

/** Bucket starts from floor(from) up to (excluding) to. */
export function bucketStarts(from: number, to: number, interval: 'hour' | 'day'): number[] {
  const out: number[] = [];
  for (let at = floorTo(from, interval); at < to; at += BUCKET_MS[interval]) out.push(at);
  return out;
}

export function countBuckets(from: number, to: number, interval: 'hour' | 'day'): number {
  const start = floorTo(from, interval);
  return to <= start ? 0 : Math.ceil((to - start) / BUCKET_MS[interval]);
}

/** Six decimals are plenty for a chart and keep an hourly series of 60 days near half its size. */
const round = (value: number): number => Math.round(value * 1e6) / 1e6;

export function buildSeries(version: AnalysedVersion, rows: readonly BucketRow[], starts: readonly number[]) {
  const cell = new Map(rows.map((r) => [`${r.bucketAt}|${r.variantShortUid}|${r.eventUid}`, r.total]));
  return variantsOf(version, rows.map((r) => r.variantShortUid)).map((variant) => {
    let cumulativeImpressions = 0;
    const cumulative = new Map<string, number>();
    const points = starts.map((at) => {
      const impressions = cell.get(`${at}|${variant.shortUid}|`) ?? 0;
      cumulativeImpressions += impressions;
      return {
        at: new Date(at).toISOString(),
        impressions,
        metrics: version.metrics.map(({ eventUid }) => {
          const conversions = cell.get(`${at}|${variant.shortUid}|${eventUid}`) ?? 0;
          const total = (cumulative.get(eventUid) ?? 0) + conversions;
          cumulative.set(eventUid, total);
          return {
            event: eventUid,
            conversions,
            conversionRate: impressions > 0 ? round(conversions / impressions) : 0,
            cumulativeConversionRate: cumulativeImpressions > 0 ? round(total / cumulativeImpressions) : 0,
          };
        }),
      };
    });
    return { shortUid: variant.shortUid, name: variant.name, points };
  });
}
