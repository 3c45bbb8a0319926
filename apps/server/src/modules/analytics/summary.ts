import type { AnalysedVersion } from './analytics-read-model.js';
import type { CountRow } from './analytics-repository.js';
import { compareArms } from './stats/bayes.js';
import { sampleRatioMismatch, type SrmResult } from './stats/srm.js';
import { decideWinner, insightsAvailable } from './stats/verdict.js';

/** Pure assembly of a summary from a version's configuration and its rollup totals. */

export interface MetricResult {
  event: string;
  conversions: number;
  conversionRate: number;
  lift: { expected: number | null; lower: number; upper: number } | null;
  probabilityToBeBest: number | null;
}

export interface VariantResult {
  shortUid: string;
  name: string;
  impressions: number;
  metrics: MetricResult[];
}

export interface SummaryFigures {
  insightsAvailable: boolean;
  winner: { shortUid: string; name: string; probabilityToBeBest: number } | null;
  winnerReason: string | null;
  srm: SrmResult | null;
  variants: VariantResult[];
}

/** Configured variants in order (the first is the control), then any seen only in the data. */
export function variantsOf(version: AnalysedVersion, seen: Iterable<string>): Array<{ shortUid: string; name: string; trafficDistribution: number | null }> {
  const out = [...version.variants];
  const known = new Set(out.map((v) => v.shortUid));
  for (const shortUid of seen) {
    if (known.has(shortUid)) continue;
    known.add(shortUid);
    out.push({ shortUid, name: `Variant ${shortUid}`, trafficDistribution: null });
  }
  return out;
}

export function buildSummary(input: { type: 'SEGMENTED' | 'AB_TEST'; version: AnalysedVersion; totals: readonly CountRow[]; now: Date }): SummaryFigures {
  const { version, totals } = input;
  const count = new Map(totals.map((r) => [`${r.variantShortUid}|${r.eventUid}`, r.total]));
  const variants = variantsOf(version, totals.map((r) => r.variantShortUid));
  const impressions = variants.map((v) => count.get(`${v.shortUid}|`) ?? 0);
  const primary = version.metrics.find((m) => m.primary) ?? null;
  const totalImpressions = impressions.reduce((s, n) => s + n, 0);
  const primaryConversions = primary ? variants.reduce((s, v) => s + (count.get(`${v.shortUid}|${primary.eventUid}`) ?? 0), 0) : 0;
  const insights = insightsAvailable(totalImpressions, primaryConversions);

  const perMetric = version.metrics.map((metric) => {
    const arms = variants.map((v, i) => ({ impressions: impressions[i] ?? 0, conversions: count.get(`${v.shortUid}|${metric.eventUid}`) ?? 0 }));
    // The Monte-Carlo run is the costly part; before insights its figures would be noise anyway.
    const compared = insights && arms.length > 1 ? compareArms(arms) : null;
    return arms.map((arm, i): MetricResult => {
      const result = compared?.[i];
      return {
        event: metric.eventUid,
        conversions: arm.conversions,
        conversionRate: arm.impressions > 0 ? arm.conversions / arm.impressions : 0,
        lift: result?.lift ?? null,
        probabilityToBeBest: result ? result.probabilityToBeBest : null,
      };
    });
  });

  const results: VariantResult[] = variants.map((v, i) => ({
    shortUid: v.shortUid,
    name: v.name,
    impressions: impressions[i] ?? 0,
    metrics: perMetric.map((m) => m[i]!),
  }));

  const primaryIndex = primary ? version.metrics.indexOf(primary) : -1;
  const verdict = decideWinner({
    hasPrimaryMetric: input.type === 'AB_TEST' && primary !== null,
    insightsAvailable: insights,
    activatedAt: version.activatedAt ? new Date(version.activatedAt) : null,
    now: input.now,
    arms: results.map((r) => ({ shortUid: r.shortUid, probabilityToBeBest: r.metrics[primaryIndex]?.probabilityToBeBest ?? null })),
  });
  const winning = verdict.winner === null ? undefined : results.find((r) => r.shortUid === verdict.winner);
  const srm =
    input.type === 'AB_TEST' && variants.every((v) => v.trafficDistribution !== null)
      ? sampleRatioMismatch(
          impressions,
          variants.map((v) => v.trafficDistribution ?? 0),
        )
      : null;

  return {
    insightsAvailable: insights,
    winner: winning ? { shortUid: winning.shortUid, name: winning.name, probabilityToBeBest: winning.metrics[primaryIndex]?.probabilityToBeBest ?? 0 } : null,
    winnerReason: verdict.reason,
    srm,
    variants: results,
  };
}
