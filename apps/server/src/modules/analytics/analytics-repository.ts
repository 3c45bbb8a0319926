import type { Kysely } from 'kysely';
import { toIso } from '../../db/mappers.js';
import type { Database } from '../../db/schema.js';

/** Reads of the rollups. Answers come from buckets only, never from raw events (ADR 0050). */

export interface CountRow {
  variantShortUid: string;
  /** '' for impressions. */
  eventUid: string;
  total: number;
}

/** Totals per variant and measure over the whole retained period, from the day buckets. */
export async function versionTotals(db: Kysely<Database>, versionUid: string): Promise<CountRow[]> {
  const rows = await db
    .selectFrom('analytics_rollups')
    .select((eb) => ['variant_short_uid', 'event_uid', eb.fn.sum<number | string>('total').as('total')])
    .where('version_uid', '=', versionUid)
    .where('granularity', '=', 'day')
    .groupBy(['variant_short_uid', 'event_uid'])
    .execute();
  return rows.map((r) => ({ variantShortUid: r.variant_short_uid, eventUid: r.event_uid, total: Number(r.total) }));
}

export interface BucketRow extends CountRow {
  bucketAt: number;
}

export async function versionBuckets(db: Kysely<Database>, versionUid: string, granularity: 'hour' | 'day', from: string, to: string): Promise<BucketRow[]> {
  const rows = await db
    .selectFrom('analytics_rollups')
    .select(['bucket_at', 'variant_short_uid', 'event_uid', 'total'])
    .where('version_uid', '=', versionUid)
    .where('granularity', '=', granularity)
    .where('bucket_at', '>=', from)
    .where('bucket_at', '<', to)
    .execute();
  return rows.map((r) => ({ bucketAt: Date.parse(toIso(r.bucket_at)), variantShortUid: r.variant_short_uid, eventUid: r.event_uid, total: Number(r.total) }));
}
