/**
 * The pure half of the rollup worker (ADR 0050): given a batch of raw events in arrival order
 * and what the first-seen tables already hold for the batch's visitors, decide which first
 * sightings are new and which hour/day buckets they increment. Counting only first sightings
 * is what keeps unique counts exact and makes re-processing an event harmless.
 */

export const ATTRIBUTION_WINDOW_MS = 30 * 86_400_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/**
 * `last_at` is refreshed only when it moves by at least this much: repeated page views would
 * otherwise cost a write each, and a minute is far below the 30-day window's resolution.
 */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface RawEvent {
  uid: string;
  projectUid: string;
  visitorUid: string;
  type: 'IMPRESSION' | 'EVENT';
  experienceUid: string | null;
  versionUid: string | null;
  variantShortUid: string | null;
  eventUid: string | null;
  receivedAt: number;
}

export interface ImpressionRow {
  projectUid: string;
  experienceUid: string;
  versionUid: string;
  variantShortUid: string;
  visitorUid: string;
  firstAt: number;
  lastAt: number;
}

export interface ConversionRow {
  projectUid: string;
  experienceUid: string;
  versionUid: string;
  eventUid: string;
  visitorUid: string;
  variantShortUid: string;
  firstAt: number;
}

export interface BucketIncrement {
  projectUid: string;
  experienceUid: string;
  versionUid: string;
  granularity: 'hour' | 'day';
  bucketAt: number;
  variantShortUid: string;
  /** '' for impressions. */
  eventUid: string;
  total: number;
}

export interface RollupDelta {
  newImpressions: ImpressionRow[];
  /** Existing rows whose last_at moved forward. */
  refreshedImpressions: ImpressionRow[];
  newConversions: ConversionRow[];
  increments: BucketIncrement[];
}

export interface RollupState {
  /** Every stored impression row of the batch's visitors. */
  impressions: readonly ImpressionRow[];
  /** Keys `version|event|visitor` of stored conversions of the batch's visitors. */
  conversionKeys: ReadonlySet<string>;
  /** Metric event uids per version; conversions count only for a version's metrics. */
  metricsOf(versionUid: string): ReadonlySet<string> | undefined;
}

export function floorTo(ms: number, granularity: 'hour' | 'day'): number {
  const size = granularity === 'hour' ? HOUR_MS : DAY_MS;
  return Math.floor(ms / size) * size;
}

/** Impressions first at equal times, so an impression and a conversion sent together attribute. */
function arrivalOrder(a: RawEvent, b: RawEvent): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt - b.receivedAt;
  if (a.type !== b.type) return a.type === 'IMPRESSION' ? -1 : 1;
  return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}

export function applyBatch(events: readonly RawEvent[], state: RollupState): RollupDelta {
  const impressionsByKey = new Map<string, ImpressionRow>();
  const impressionsByVisitor = new Map<string, ImpressionRow[]>();
  const index = (row: ImpressionRow) => {
    impressionsByKey.set(`${row.versionUid}|${row.variantShortUid}|${row.visitorUid}`, row);
    const visitorKey = `${row.projectUid}|${row.visitorUid}`;
    const list = impressionsByVisitor.get(visitorKey);
    if (list) list.push(row);
    else impressionsByVisitor.set(visitorKey, [row]);
  };
  // Copies: the caller's state stays untouched, and refreshed rows are compared against it.
  const stored = new Map<ImpressionRow, number>();
  for (const row of state.impressions) {
    const copy = { ...row };
    stored.set(copy, row.lastAt);
    index(copy);
  }
  const conversionKeys = new Set(state.conversionKeys);
  const newImpressions: ImpressionRow[] = [];
  const newConversions: ConversionRow[] = [];
  const increments = new Map<string, BucketIncrement>();
  const bump = (row: Omit<BucketIncrement, 'granularity' | 'bucketAt' | 'total'>, at: number) => {
    for (const granularity of ['hour', 'day'] as const) {
      const bucketAt = floorTo(at, granularity);
      const key = `${row.versionUid}|${granularity}|${bucketAt}|${row.variantShortUid}|${row.eventUid}`;
      const existing = increments.get(key);
      if (existing) existing.total += 1;
      else increments.set(key, { ...row, granularity, bucketAt, total: 1 });
    }
  };

  for (const event of [...events].sort(arrivalOrder)) {
    const t = event.receivedAt;
    if (event.type === 'IMPRESSION') {
      // Impressions of experiences without an active version are not analysed (no period).
      if (!event.experienceUid || !event.versionUid || event.variantShortUid === null) continue;
      const key = `${event.versionUid}|${event.variantShortUid}|${event.visitorUid}`;
      const row = impressionsByKey.get(key);
      if (row) {
        if (t > row.lastAt) row.lastAt = t;
        continue;
      }
      const created: ImpressionRow = {
        projectUid: event.projectUid,
        experienceUid: event.experienceUid,
        versionUid: event.versionUid,
        variantShortUid: event.variantShortUid,
        visitorUid: event.visitorUid,
        firstAt: t,
        lastAt: t,
      };
      index(created);
      newImpressions.push(created);
      bump({ ...created, eventUid: '' }, t);
      continue;
    }
    if (!event.eventUid) continue;
    // Per version the visitor saw: the variant of the first impression, and the latest impression not after t.
    const perVersion = new Map<string, { first: ImpressionRow; latestAt: number }>();
    for (const row of impressionsByVisitor.get(`${event.projectUid}|${event.visitorUid}`) ?? []) {
      if (row.firstAt > t) continue;
      const latest = row.lastAt <= t ? row.lastAt : row.firstAt;
      const seen = perVersion.get(row.versionUid);
      if (!seen) perVersion.set(row.versionUid, { first: row, latestAt: latest });
      else {
        if (row.firstAt < seen.first.firstAt) seen.first = row;
        if (latest > seen.latestAt) seen.latestAt = latest;
      }
    }
    for (const [versionUid, { first, latestAt }] of perVersion) {
      if (t - latestAt > ATTRIBUTION_WINDOW_MS) continue;
      if (!state.metricsOf(versionUid)?.has(event.eventUid)) continue;
      const key = `${versionUid}|${event.eventUid}|${event.visitorUid}`;
      if (conversionKeys.has(key)) continue;
      conversionKeys.add(key);
      const created: ConversionRow = {
        projectUid: event.projectUid,
        experienceUid: first.experienceUid,
        versionUid,
        eventUid: event.eventUid,
        visitorUid: event.visitorUid,
        variantShortUid: first.variantShortUid,
        firstAt: t,
      };
      newConversions.push(created);
      bump(created, t);
    }
  }

  const refreshedImpressions = [...stored].filter(([row, before]) => row.lastAt - before >= LAST_SEEN_RESOLUTION_MS).map(([row]) => row);
  return { newImpressions, refreshedImpressions, newConversions, increments: [...increments.values()] };
}
