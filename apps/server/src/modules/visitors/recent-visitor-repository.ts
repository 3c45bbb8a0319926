import type { SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/create-db.js';
import { fromJson, toIso, toJson } from '../../db/mappers.js';
import type { Database } from '../../db/schema.js';
import type { VisitorAttributes, VisitorPresets } from './visitor.js';

export interface RecentVisitorRow {
  projectUid: string;
  visitorUid: string;
  lastSeenAt: string;
  presets: VisitorPresets;
  attributes: Readonly<VisitorAttributes>;
}

// 5 bound values per row; stays far below SQLite's and PostgreSQL's parameter limits.
const CHUNK = 500;

/** Upserts sightings in one transaction, skipping projects deleted since they were buffered. Callers keep batches small: this holds the event loop on SQLite. */
export async function upsertRecentVisitors(db: Db, rows: readonly RecentVisitorRow[]): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    const projectUids = [...new Set(rows.map((r) => r.projectUid))];
    const existing = new Set(
      (await trx.selectFrom('projects').select('uid').where('uid', 'in', projectUids).execute()).map((p) => p.uid),
    );
    const live = rows.filter((r) => existing.has(r.projectUid));
    for (let i = 0; i < live.length; i += CHUNK) {
      await trx
        .insertInto('recent_visitors')
        .values(
          live.slice(i, i + CHUNK).map((r) => ({
            project_uid: r.projectUid,
            visitor_uid: r.visitorUid,
            last_seen_at: r.lastSeenAt,
            presets: toJson(r.presets),
            attributes: toJson(r.attributes),
          })),
        )
        .onConflict((oc) =>
          oc.columns(['project_uid', 'visitor_uid']).doUpdateSet((eb) => ({
            last_seen_at: eb.ref('excluded.last_seen_at'),
            presets: eb.ref('excluded.presets'),
            attributes: eb.ref('excluded.attributes'),
          })),
        )
        .execute();
    }
  });
}

type SightingQuery = SelectQueryBuilder<Database, 'recent_visitors', { project_uid: string; visitor_uid: string }>;

/**
 * Deletes at most `limit` sightings that `pick` selects; returns how many. Bounded so that one
 * statement never holds the database (and so every manifest) for long (ADR 0072).
 */
async function deleteBounded(db: Db, limit: number, pick: (q: SightingQuery) => SightingQuery): Promise<number> {
  const result = await db.kysely
    .deleteFrom('recent_visitors')
    .where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple('project_uid', 'visitor_uid'),
        'in',
        pick(selectFrom('recent_visitors').select(['project_uid', 'visitor_uid']))
          .limit(limit)
          .$asTuple('project_uid', 'visitor_uid'),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes at most `limit` sightings older than `cutoffIso` (any project); returns how many. */
export function deleteExpiredRecentVisitors(db: Db, cutoffIso: string, limit: number): Promise<number> {
  return deleteBounded(db, limit, (q) => q.where('last_seen_at', '<', cutoffIso));
}

/** The `last_seen_at` of the project's sighting just past its `keep` most recent (through the (project_uid, last_seen_at) index), if any. */
export async function findRecentVisitorCutoff(db: Db, projectUid: string, keep: number): Promise<string | undefined> {
  const row = await db.kysely
    .selectFrom('recent_visitors')
    .select('last_seen_at')
    .where('project_uid', '=', projectUid)
    .orderBy('last_seen_at', 'desc')
    .offset(keep)
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toIso(row.last_seen_at);
}

/** Deletes at most `limit` of the project's sightings seen at or before `lastSeenIso`; returns how many. */
export function deleteRecentVisitorsSeenBy(db: Db, projectUid: string, lastSeenIso: string, limit: number): Promise<number> {
  return deleteBounded(db, limit, (q) => q.where('project_uid', '=', projectUid).where('last_seen_at', '<=', lastSeenIso));
}

/** The most recently seen visitors of a project, newest first (the impact preview's sample). */
export async function listRecentVisitors(db: Db, projectUid: string, limit: number): Promise<RecentVisitorRow[]> {
  const rows = await db.kysely
    .selectFrom('recent_visitors')
    .selectAll()
    .where('project_uid', '=', projectUid)
    .orderBy('last_seen_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    projectUid: r.project_uid,
    visitorUid: r.visitor_uid,
    lastSeenAt: toIso(r.last_seen_at),
    presets: fromJson<VisitorPresets>(r.presets),
    attributes: fromJson<VisitorAttributes>(r.attributes),
  }));
}
