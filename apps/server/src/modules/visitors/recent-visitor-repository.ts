import type { Db } from '../../db/create-db.js';
import { fromJson, toIso, toJson } from '../../db/mappers.js';
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

/** Upserts sightings in one transaction, skipping projects deleted since they were buffered. Callers keep batches small. */
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

/** Drops sightings older than `cutoffIso`, then all but the `maxPerProject` most recent per project. */
export async function pruneRecentVisitors(db: Db, projectUids: readonly string[], cutoffIso: string, maxPerProject: number): Promise<void> {
  await db.kysely.deleteFrom('recent_visitors').where('last_seen_at', '<', cutoffIso).execute();
  for (const projectUid of projectUids) {
    const boundary = await db.kysely
      .selectFrom('recent_visitors')
      .select('last_seen_at')
      .where('project_uid', '=', projectUid)
      .orderBy('last_seen_at', 'desc')
      .offset(maxPerProject)
      .limit(1)
      .executeTakeFirst();
    if (boundary) {
      await db.kysely
        .deleteFrom('recent_visitors')
        .where('project_uid', '=', projectUid)
        .where('last_seen_at', '<=', toIso(boundary.last_seen_at))
        .execute();
    }
  }
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
