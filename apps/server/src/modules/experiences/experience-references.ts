import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Reference, ReferenceSource } from '../references/index.js';

type Executor = Kysely<Database>;

async function referencesTo(
  db: Executor,
  projectUid: string,
  kind: 'audience' | 'event',
  uids: readonly string[],
): Promise<Map<string, Reference[]>> {
  const out = new Map<string, Reference[]>();
  if (uids.length === 0) return out;
  // The index (project_uid, target_kind, target_uid) answers this without reading other projects or version bodies.
  const rows = await db
    .selectFrom('experience_version_references as r')
    .innerJoin('experience_versions as v', 'v.uid', 'r.version_uid')
    .innerJoin('experiences as e', 'e.uid', 'r.experience_uid')
    .select(['r.target_uid', 'r.via', 'r.path', 'r.version_uid', 'v.status', 'v.number', 'e.uid as experience_uid', 'e.name'])
    .where('r.project_uid', '=', projectUid)
    .where('r.target_kind', '=', kind)
    .where('r.target_uid', 'in', [...uids])
    .orderBy('e.priority')
    .orderBy('v.number', 'desc')
    .orderBy('r.path')
    .execute();
  for (const row of rows) {
    const reference: Reference = {
      kind: 'experience',
      uid: row.experience_uid,
      name: row.name,
      versionUid: row.version_uid,
      versionStatus: row.status,
      via: row.via,
      path: row.path,
      // Archived versions keep their history but no longer run: they do not block a delete.
      blocking: row.status !== 'ARCHIVED',
    };
    const list = out.get(row.target_uid);
    if (list) list.push(reference);
    else out.set(row.target_uid, [reference]);
  }
  return out;
}

/** What experience versions contribute to the references of audiences and events (docs/api-conventions.md, "Extensions"). */
export const experienceReferenceSource: ReferenceSource = {
  audienceReferences: (db, projectUid, uids) => referencesTo(db, projectUid, 'audience', uids),
  eventReferences: (db, projectUid, uids) => referencesTo(db, projectUid, 'event', uids),
};
