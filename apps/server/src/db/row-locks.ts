import { sql, type Kysely } from 'kysely';
import type { DialectName } from './create-db.js';
import type { Database } from './schema.js';

/** Project-scoped resources that experience versions reference and that refuse deletion while referenced. */
type ReferencedTable = 'audiences' | 'events';

/**
 * Locks one row until the transaction ends (PostgreSQL only: SQLite runs one writing transaction
 * at a time). A delete takes it before reading references, so that a concurrent version save,
 * which reads what it references with shareLockRows, either commits first (and its references
 * are then seen) or waits and finds the row gone (ADR 0032, 0073).
 */
export async function lockRowForDelete(db: Kysely<Database>, dialect: DialectName, table: ReferencedTable, projectUid: string, uid: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await db.selectFrom(table).select('uid').where('project_uid', '=', projectUid).where('uid', '=', uid).forUpdate().execute();
}

/** The given rows that exist, locked against deletion until the transaction ends (PostgreSQL; see lockRowForDelete). */
export async function shareLockRows(db: Kysely<Database>, dialect: DialectName, table: ReferencedTable, projectUid: string, uids: readonly string[]): Promise<string[]> {
  if (uids.length === 0) return [];
  const rows = await db
    .selectFrom(table)
    .select('uid')
    .where('project_uid', '=', projectUid)
    .where('uid', 'in', [...uids])
    .$if(dialect === 'postgres', (q) => q.forKeyShare())
    .execute();
  return rows.map((r) => r.uid);
}

/**
 * Serializes start-up bootstraps of one installation until the transaction ends: a transaction
 * advisory lock keyed by schema on PostgreSQL; on SQLite a write that matches nothing, which
 * takes the database's write lock at once (waiting out busy_timeout), so no other process can
 * read "no organization yet" in between.
 */
export async function lockInstallationForBootstrap(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('tailor.bootstrap.' || current_schema()))`.execute(db);
  else await db.updateTable('organizations').set({ name: sql`name` }).where(sql<boolean>`0`).execute();
}
