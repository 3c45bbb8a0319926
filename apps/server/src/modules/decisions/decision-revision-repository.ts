import { sql } from 'kysely';
import type { Db } from '../../db/create-db.js';

/** Bumps a project's decision revision (creating it at 1) and returns the new value. */
export async function bumpDecisionRevision(db: Db, projectUid: string): Promise<void> {
  await db.kysely
    .insertInto('decision_revisions')
    .values({ project_uid: projectUid, revision: 1 })
    .onConflict((oc) => oc.column('project_uid').doUpdateSet({ revision: sql<number>`decision_revisions.revision + 1` }))
    .execute();
}

/**
 * One indexed read: whether the project exists and its current revision (0 before any change).
 * undefined when the project does not exist.
 */
export async function readDecisionRevision(db: Db, projectUid: string): Promise<number | undefined> {
  const row = await db.kysely
    .selectFrom('projects')
    .leftJoin('decision_revisions', 'decision_revisions.project_uid', 'projects.uid')
    .select(['projects.uid', 'decision_revisions.revision'])
    .where('projects.uid', '=', projectUid)
    .executeTakeFirst();
  if (!row) return undefined;
  return row.revision === null ? 0 : Number(row.revision);
}
