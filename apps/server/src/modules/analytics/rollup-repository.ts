import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../../db/create-db.js';
import { fromJson, toIso } from '../../db/mappers.js';
import type { Database } from '../../db/schema.js';
import type { ConversionRow, ImpressionRow, RawEvent, RollupDelta, RollupState } from './rollup.js';

/** SQL of the rollup worker. Every function takes the worker's transaction. */

const CURSOR = 'rollup';
const EPOCH = '1970-01-01T00:00:00.000Z';
/** Rows per multi-row statement: 9 columns × 500 stays far below both dialects' parameter limits. */
const CHUNK = 500;

export interface Cursor {
  receivedAt: string;
  eventUid: string;
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const ms = (value: string | Date): number => (typeof value === 'string' ? Date.parse(value) : value.getTime());
const iso = (value: number): string => new Date(value).toISOString();

/**
 * Reads the cursor, creating it on first use. On PostgreSQL the row is locked for the rest of the
 * transaction so two processes never roll up the same events at once; SQLite has one writer.
 */
export async function lockCursor(trx: Kysely<Database>, dialect: DialectName, now: string): Promise<Cursor> {
  const select = () =>
    trx
      .selectFrom('analytics_cursors')
      .select(['received_at', 'event_uid'])
      .where('name', '=', CURSOR)
      .$if(dialect === 'postgres', (qb) => qb.forUpdate())
      .executeTakeFirst();
  // Select first: an idle tick then writes nothing, which matters to SQLite's single writer.
  let row = await select();
  if (!row) {
    await trx
      .insertInto('analytics_cursors')
      .values({ name: CURSOR, received_at: EPOCH, event_uid: '', updated_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    row = await select();
  }
  if (!row) throw new Error('analytics cursor row missing after insert');
  return { receivedAt: toIso(row.received_at), eventUid: row.event_uid };
}

export async function readCursor(db: Kysely<Database>): Promise<Cursor | undefined> {
  const row = await db.selectFrom('analytics_cursors').select(['received_at', 'event_uid']).where('name', '=', CURSOR).executeTakeFirst();
  return row && { receivedAt: toIso(row.received_at), eventUid: row.event_uid };
}

/**
 * The events not yet rolled up, counted up to `cap` (a backlog of millions must not make this a
 * long scan, which on SQLite would block the event loop), and when the oldest of them arrived.
 */
export async function readBacklog(db: Kysely<Database>, cap: number): Promise<{ events: number; oldestReceivedAt: string | null }> {
  const cursor = (await readCursor(db)) ?? { receivedAt: EPOCH, eventUid: '' };
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('edge_events')
        .select('received_at')
        .where('received_at', '>=', cursor.receivedAt)
        .where((w) => w.or([w('received_at', '>', cursor.receivedAt), w('uid', '>', cursor.eventUid)]))
        .orderBy('received_at')
        .orderBy('uid')
        .limit(cap)
        .as('backlog'),
    )
    .select((eb) => [eb.fn.countAll().as('events'), eb.fn.min('received_at').as('oldest')])
    .executeTakeFirst();
  const oldest = row?.oldest ?? null;
  return { events: Number(row?.events ?? 0), oldestReceivedAt: oldest === null ? null : toIso(oldest) };
}

export async function saveCursor(trx: Kysely<Database>, cursor: Cursor, now: string): Promise<void> {
  await trx
    .updateTable('analytics_cursors')
    .set({ received_at: cursor.receivedAt, event_uid: cursor.eventUid, updated_at: now })
    .where('name', '=', CURSOR)
    .execute();
}

const EVENT_COLUMNS = [
  'uid',
  'project_uid',
  'visitor_uid',
  'type',
  'experience_uid',
  'version_uid',
  'variant_short_uid',
  'event_uid',
  'received_at',
] as const;

function toRawEvent(row: {
  uid: string;
  project_uid: string;
  visitor_uid: string;
  type: 'IMPRESSION' | 'EVENT';
  experience_uid: string | null;
  version_uid: string | null;
  variant_short_uid: string | null;
  event_uid: string | null;
  received_at: string | Date;
}): RawEvent {
  return {
    uid: row.uid,
    projectUid: row.project_uid,
    visitorUid: row.visitor_uid,
    type: row.type,
    experienceUid: row.experience_uid,
    versionUid: row.version_uid,
    variantShortUid: row.variant_short_uid,
    eventUid: row.event_uid,
    // Stored as toISOString() text (SQLite) or a Date (pg): no normalising round trip per row.
    receivedAt: typeof row.received_at === 'string' ? Date.parse(row.received_at) : row.received_at.getTime(),
  };
}

/**
 * The next `limit` events after the cursor and not after `horizon`, in (received_at, uid) order,
 * extended to the end of the last timestamp so events received together land in one batch.
 */
export async function readEventsAfter(trx: Kysely<Database>, cursor: Cursor, horizon: string, limit: number) {
  const rows = await trx
    .selectFrom('edge_events')
    .select(EVENT_COLUMNS)
    .where('received_at', '>=', cursor.receivedAt)
    .where((eb) => eb.or([eb('received_at', '>', cursor.receivedAt), eb('uid', '>', cursor.eventUid)]))
    .where('received_at', '<=', horizon)
    .orderBy('received_at')
    .orderBy('uid')
    .limit(limit)
    .execute();
  const events = rows.map(toRawEvent);
  const last = events[events.length - 1];
  if (last && events.length === limit) {
    const ties = await trx
      .selectFrom('edge_events')
      .select(EVENT_COLUMNS)
      .where('received_at', '=', iso(last.receivedAt))
      .where('uid', '>', last.uid)
      .orderBy('uid')
      .execute();
    events.push(...ties.map(toRawEvent));
  }
  return events;
}

function groupVisitors(events: readonly RawEvent[], only?: RawEvent['type']): Map<string, string[]> {
  const byProject = new Map<string, Set<string>>();
  for (const e of events) {
    if (only && e.type !== only) continue;
    const set = byProject.get(e.projectUid) ?? new Set<string>();
    set.add(e.visitorUid);
    byProject.set(e.projectUid, set);
  }
  return new Map([...byProject].map(([p, s]) => [p, [...s]]));
}

/** What the first-seen tables hold for the batch's visitors, and the metrics of the versions they saw. */
export async function loadState(trx: Kysely<Database>, events: readonly RawEvent[]): Promise<RollupState> {
  const impressions: ImpressionRow[] = [];
  for (const [projectUid, visitors] of groupVisitors(events)) {
    for (const part of chunks(visitors)) {
      const rows = await trx.selectFrom('analytics_impressions').selectAll().where('project_uid', '=', projectUid).where('visitor_uid', 'in', part).execute();
      for (const r of rows) {
        impressions.push({
          projectUid: r.project_uid,
          experienceUid: r.experience_uid,
          versionUid: r.version_uid,
          variantShortUid: r.variant_short_uid,
          visitorUid: r.visitor_uid,
          firstAt: ms(r.first_at),
          lastAt: ms(r.last_at),
        });
      }
    }
  }
  const conversionKeys = new Set<string>();
  for (const [projectUid, visitors] of groupVisitors(events, 'EVENT')) {
    for (const part of chunks(visitors)) {
      const rows = await trx
        .selectFrom('analytics_conversions')
        .select(['version_uid', 'event_uid', 'visitor_uid'])
        .where('project_uid', '=', projectUid)
        .where('visitor_uid', 'in', part)
        .execute();
      for (const r of rows) conversionKeys.add(`${r.version_uid}|${r.event_uid}|${r.visitor_uid}`);
    }
  }
  const metrics = new Map<string, Set<string>>();
  const hasConversions = events.some((e) => e.type === 'EVENT');
  const versions = hasConversions ? [...new Set([...impressions.map((i) => i.versionUid), ...events.flatMap((e) => (e.versionUid ? [e.versionUid] : []))])] : [];
  for (const part of chunks(versions)) {
    const rows = await trx.selectFrom('experience_versions').select(['uid', 'metrics']).where('uid', 'in', part).execute();
    for (const r of rows) metrics.set(r.uid, new Set((fromJson<Array<{ event?: unknown }> | null>(r.metrics) ?? []).flatMap((m) => (typeof m.event === 'string' ? [m.event] : []))));
  }
  return { impressions, conversionKeys, metricsOf: (versionUid) => metrics.get(versionUid) };
}

export async function writeDelta(trx: Kysely<Database>, delta: RollupDelta): Promise<void> {
  for (const part of chunks(delta.newImpressions)) {
    await trx
      .insertInto('analytics_impressions')
      .values(
        part.map((r) => ({
          project_uid: r.projectUid,
          experience_uid: r.experienceUid,
          version_uid: r.versionUid,
          variant_short_uid: r.variantShortUid,
          visitor_uid: r.visitorUid,
          first_at: iso(r.firstAt),
          last_at: iso(r.lastAt),
        })),
      )
      .execute();
  }
  for (const r of delta.refreshedImpressions) {
    await trx
      .updateTable('analytics_impressions')
      .set({ last_at: iso(r.lastAt) })
      .where('version_uid', '=', r.versionUid)
      .where('variant_short_uid', '=', r.variantShortUid)
      .where('visitor_uid', '=', r.visitorUid)
      .execute();
  }
  for (const part of chunks(delta.newConversions)) {
    await trx.insertInto('analytics_conversions').values(part.map(conversionValues)).execute();
  }
  for (const part of chunks(delta.increments)) {
    await trx
      .insertInto('analytics_rollups')
      .values(
        part.map((b) => ({
          project_uid: b.projectUid,
          experience_uid: b.experienceUid,
          version_uid: b.versionUid,
          granularity: b.granularity,
          bucket_at: iso(b.bucketAt),
          variant_short_uid: b.variantShortUid,
          event_uid: b.eventUid,
          total: b.total,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['version_uid', 'granularity', 'bucket_at', 'variant_short_uid', 'event_uid'])
          .doUpdateSet({ total: sql<number>`analytics_rollups.total + excluded.total` }),
      )
      .execute();
  }
}

function conversionValues(r: ConversionRow) {
  return {
    project_uid: r.projectUid,
    experience_uid: r.experienceUid,
    version_uid: r.versionUid,
    event_uid: r.eventUid,
    visitor_uid: r.visitorUid,
    variant_short_uid: r.variantShortUid,
    first_at: iso(r.firstAt),
  };
}
