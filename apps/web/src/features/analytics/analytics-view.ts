import type { AnalyticsSummary, AnalyticsTimeSeries, AudienceEditAnnotation, Version } from '@tailor/contract';

/** Pure shaping of analytics answers for the charts, cards and tables; unit-tested with fixtures. */

export type Metric = AnalyticsSummary['metrics'][number];
type Lift = NonNullable<AnalyticsSummary['variants'][number]['metrics'][number]['lift']>;

export function primaryMetric(metrics: Metric[]): Metric | undefined {
  return metrics.find((m) => m.primary) ?? metrics[0];
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return `${(value * 100).toFixed(digits)}%`;
}

function signedPercent(value: number): string {
  const text = `${(Math.abs(value) * 100).toFixed(1)}%`;
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

/** "+12.3%" and "95% CI −4.1% to +30.2%"; the control and pre-insight variants have no lift. */
export function formatLift(lift: Lift | null): { expected: string; interval: string } | null {
  if (lift === null) return null;
  return {
    expected: lift.expected === null ? 'n/a' : signedPercent(lift.expected),
    interval: `95% CI ${signedPercent(lift.lower)} to ${signedPercent(lift.upper)}`,
  };
}

export interface Headline {
  kind: 'winner' | 'waiting' | 'impressions-only';
  title: string;
  detail: string;
}

const reasonDetails: Record<string, string> = {
  'not enough data yet': 'Insights appear once the test has 1,000 impressions or 30 conversions of the primary metric.',
  'needs 14 days': 'A winner is declared only after 14 full days since activation, so that weekly cycles even out.',
  'no variant is 95% likely to be best': 'No variant has reached a 95% probability to be best yet; keep the test running.',
  'no primary metric': 'Add an event as the Primary metric (in a new draft) to measure conversions.',
};

export function headline(summary: AnalyticsSummary): Headline {
  if (summary.type === 'SEGMENTED') {
    return { kind: 'impressions-only', title: 'Impressions per variant', detail: 'Segmented experiences count unique impressions; A/B tests also measure conversions.' };
  }
  if (summary.winner !== null) {
    return {
      kind: 'winner',
      title: `${summary.winner.name} is the winner`,
      detail: `${formatPercent(summary.winner.probabilityToBeBest)} probability to be best on the primary metric.`,
    };
  }
  const reason = summary.winnerReason ?? 'not enough data yet';
  return { kind: 'waiting', title: `No winner yet: ${reason}`, detail: reasonDetails[reason] ?? '' };
}

/** One chart row per bucket: `t` (ms) plus `imp:<shortUid>` and `cr:<shortUid>` per variant. */
export type ChartRow = { t: number } & Record<string, number>;

export function chartRows(series: AnalyticsTimeSeries, event: string | undefined): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  for (const variant of series.variants) {
    for (const point of variant.points) {
      const t = Date.parse(point.at);
      const row = rows.get(t) ?? { t };
      row[`imp:${variant.shortUid}`] = point.impressions;
      const metric = event === undefined ? undefined : point.metrics.find((m) => m.event === event);
      if (metric !== undefined) row[`cr:${variant.shortUid}`] = metric.cumulativeConversionRate;
      rows.set(t, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

export interface Marker extends AudienceEditAnnotation {
  /** 1-based, in time order: the number drawn on the chart and in the list below it. */
  number: number;
  t: number;
}

export function markers(annotations: AudienceEditAnnotation[]): Marker[] {
  return [...annotations]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((a, i) => ({ ...a, number: i + 1, t: Date.parse(a.at) }));
}

/**
 * Vertical slot of each marker's flag: markers closer than 3% of the visible span would draw on
 * top of each other (several edits in one hour), so they stack instead.
 */
export function markerStacks(list: Marker[], domainStart: number, domainEnd: number): number[] {
  const near = Math.max(1, (domainEnd - domainStart) * 0.03);
  const stacks: number[] = [];
  list.forEach((m, i) => {
    const prev = list[i - 1];
    stacks.push(prev !== undefined && m.t - prev.t < near ? (stacks[i - 1] ?? 0) + 1 : 0);
  });
  return stacks;
}

/** Versions that have (had) an analytics period: activated at least once. */
export function analyzableVersions(versions: Version[]): Version[] {
  return versions.filter((v) => v.activatedAt !== null).sort((a, b) => b.versionNumber - a.versionNumber);
}

export function versionOptionLabel(v: Pick<Version, 'status' | 'versionNumber'>): string {
  const status = v.status.charAt(0) + v.status.slice(1).toLowerCase();
  return `${status} (Version ${String(v.versionNumber)})`;
}

/** Hours for short ranges (≤ 3 days), days otherwise; keeps well under the 10,000-point cap. */
export function defaultInterval(fromMs: number, toMs: number): 'day' | 'hour' {
  return toMs - fromMs <= 3 * 24 * 3600 * 1000 ? 'hour' : 'day';
}

export const variantColors = ['violet', 'teal', 'orange', 'blue', 'pink', 'lime', 'cyan', 'grape', 'red', 'indigo'];
export function variantColor(index: number): string {
  return `var(--mantine-color-${variantColors[index % variantColors.length] ?? 'gray'}-6)`;
}
