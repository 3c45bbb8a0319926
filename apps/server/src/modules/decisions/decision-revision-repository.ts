import { sql } from 'kysely';
import type { Db } from '../../db/create-db.js';

/**
 * Bumps a project's decision revision (creating it at 1) and returns the value this bump made:
 * a re-read could already see another process's bump and credit this change with it.
 */
export async function bumpDecisionRevision(db: Db, projectUid: string): Promise<number> {
  const row = await db.kysely
    .insertInto('decision_revisions')
    .values({ project_uid: projectUid, revision: 1 })
    .onConflict((oc) => oc.column('project_uid').doUpdateSet({ revision: sql<number>`decision_revisions.revision + 1` }))
    .returning('revision')
    .executeTakeFirstOrThrow();
  return Number(row.revision);
}

/** The current revisions of the given projects that still exist (0 before any change). */
export async function readDecisionRevisions(db: Db, projectUids: readonly string[]): Promise<Map<string, number>> {
  const revisions = new Map<string, number>();
  // Chunked: SQLite allows at most 32,766 bound parameters in one statement.
  for (let i = 0; i < projectUids.length; i += 500) {
    const rows = await db.kysely
      .selectFrom('projects')
      .leftJoin('decision_revisions', 'decision_revisions.project_uid', 'projects.uid')
      .select(['projects.uid', 'decision_revisions.revision'])
      .where('projects.uid', 'in', projectUids.slice(i, i + 500))
      .execute();
    for (const row of rows) revisions.set(row.uid, row.revision === null ? 0 : Number(row.revision));
  }
  return revisions;
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
