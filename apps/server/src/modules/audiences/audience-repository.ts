import type { RuleCombination } from '@tailor/engine';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, toIso, toJson } from '../../db/mappers.js';
import type { AudienceRevisionsTable, AudiencesTable, Database } from '../../db/schema.js';
import { metaFromRow, newMetaColumns, touchedMetaColumns } from '../resources/index.js';
import type { Audience, AudienceRevision, ChangeSummary } from './audience.js';

type Actor = { userUid: string; name: string };

function fromRow(row: Selectable<AudiencesTable>): Audience {
  return {
    uid: row.uid,
    projectUid: row.project_uid,
    name: row.name,
    description: row.description,
    definition: fromJson<RuleCombination>(row.definition),
    ...metaFromRow(row),
  };
}

function revisionFromRow(row: Selectable<AudienceRevisionsTable>): AudienceRevision {
  return {
    audienceUid: row.audience_uid,
    projectUid: row.project_uid,
    number: Number(row.number),
    action: row.action,
    restoredFrom: row.restored_from === null ? null : Number(row.restored_from),
    name: row.name,
    description: row.description,
    definition: fromJson<RuleCombination>(row.definition),
    summary: fromJson<ChangeSummary>(row.summary),
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    createdByUserName: row.created_by_user_name,
  };
}

export async function listAudienceRows(db: Kysely<Database>, projectUid: string, uids?: readonly string[]): Promise<Audience[]> {
  let query = db.selectFrom('audiences').selectAll().where('project_uid', '=', projectUid);
  if (uids) {
    if (uids.length === 0) return [];
    query = query.where('uid', 'in', [...uids]);
  }
  const rows = await query.orderBy('created_at').orderBy('uid').execute();
  return rows.map(fromRow);
}

export async function findAudienceRow(db: Kysely<Database>, projectUid: string, uid: string): Promise<Audience | undefined> {
  const row = await db.selectFrom('audiences').selectAll().where('project_uid', '=', projectUid).where('uid', '=', uid).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function countAudienceRows(db: Kysely<Database>, projectUid: string): Promise<number> {
  const row = await db.selectFrom('audiences').select((eb) => eb.fn.countAll().as('n')).where('project_uid', '=', projectUid).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countAudiencesByProject(db: Kysely<Database>, projectUids: readonly string[]): Promise<Map<string, number>> {
  if (projectUids.length === 0) return new Map();
  const rows = await db
    .selectFrom('audiences')
    .select(['project_uid', (eb) => eb.fn.countAll().as('n')])
    .where('project_uid', 'in', [...projectUids])
    .groupBy('project_uid')
    .execute();
  return new Map(rows.map((r) => [r.project_uid, Number(r.n)]));
}

export async function isAudienceNameTaken(db: Kysely<Database>, projectUid: string, name: string, exceptUid?: string): Promise<boolean> {
  let query = db.selectFrom('audiences').select('uid').where('project_uid', '=', projectUid).where('name_key', '=', name.toLowerCase());
  if (exceptUid) query = query.where('uid', '!=', exceptUid);
  return (await query.executeTakeFirst()) !== undefined;
}

export interface AudienceContent {
  name: string;
  description: string;
  definition: RuleCombination;
}

export async function insertAudienceRow(db: Kysely<Database>, uid: string, projectUid: string, content: AudienceContent, actor: Actor, at: string): Promise<Audience> {
  const row = await db
    .insertInto('audiences')
    .values({
      uid,
      project_uid: projectUid,
      name: content.name,
      name_key: content.name.toLowerCase(),
      description: content.description,
      definition: toJson(content.definition),
      ...newMetaColumns(actor, at),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return fromRow(row);
}

/** One conditional UPDATE … WHERE version = expected: of concurrent writers exactly one gets a row (ADR 0020). */
export async function updateAudienceRow(
  db: Kysely<Database>,
  projectUid: string,
  uid: string,
  expectedVersion: number | undefined,
  content: AudienceContent,
  actor: Actor,
  at: string,
): Promise<Audience | undefined> {
  let query = db
    .updateTable('audiences')
    .set((eb) => ({
      name: content.name,
      name_key: content.name.toLowerCase(),
      description: content.description,
      definition: toJson(content.definition),
      ...touchedMetaColumns(actor, at),
      version: eb('version', '+', 1),
    }))
    .where('project_uid', '=', projectUid)
    .where('uid', '=', uid);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const row = await query.returningAll().executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function deleteAudienceRow(db: Kysely<Database>, projectUid: string, uid: string, expectedVersion: number | undefined): Promise<boolean> {
  let query = db.deleteFrom('audiences').where('project_uid', '=', projectUid).where('uid', '=', uid);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  return Number((await query.executeTakeFirst()).numDeletedRows) > 0;
}

export async function insertRevisionRow(db: Kysely<Database>, revision: AudienceRevision): Promise<void> {
  await db
    .insertInto('audience_revisions')
    .values({
      audience_uid: revision.audienceUid,
      project_uid: revision.projectUid,
      number: revision.number,
      action: revision.action,
      restored_from: revision.restoredFrom,
      name: revision.name,
      description: revision.description,
      definition: toJson(revision.definition),
      summary: toJson(revision.summary),
      created_at: revision.createdAt,
      created_by: revision.createdBy,
      created_by_user_name: revision.createdByUserName,
    })
    .execute();
}

/** Newest first. */
export async function listRevisionRows(db: Kysely<Database>, projectUid: string, audienceUid: string): Promise<AudienceRevision[]> {
  const rows = await db
    .selectFrom('audience_revisions')
    .selectAll()
    .where('project_uid', '=', projectUid)
    .where('audience_uid', '=', audienceUid)
    .orderBy('number', 'desc')
    .execute();
  return rows.map(revisionFromRow);
}

export async function findRevisionRow(db: Kysely<Database>, projectUid: string, audienceUid: string, number: number): Promise<AudienceRevision | undefined> {
  const row = await db
    .selectFrom('audience_revisions')
    .selectAll()
    .where('project_uid', '=', projectUid)
    .where('audience_uid', '=', audienceUid)
    .where('number', '=', number)
    .executeTakeFirst();
  return row ? revisionFromRow(row) : undefined;
}

export async function hasRevisions(db: Kysely<Database>, projectUid: string, audienceUid: string): Promise<boolean> {
  const row = await db
    .selectFrom('audience_revisions')
    .select('number')
    .where('project_uid', '=', projectUid)
    .where('audience_uid', '=', audienceUid)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
