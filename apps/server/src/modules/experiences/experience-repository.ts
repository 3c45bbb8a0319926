import type { Kysely, Selectable } from 'kysely';
import { fromJson, toIso, toJson } from '../../db/mappers.js';
import type { Database, ExperiencesTable } from '../../db/schema.js';
import type { AuditStamp, ExperienceRecord } from './experience.js';

type Executor = Kysely<Database>;

function toRecord(row: Selectable<ExperiencesTable>): ExperienceRecord {
  return {
    uid: row.uid,
    projectUid: row.project_uid,
    shortUid: row.short_uid,
    name: row.name,
    description: row.description,
    type: row.type,
    tags: fromJson<string[]>(row.tags) ?? [],
    priority: row.priority,
    variantGroup: row.variant_group,
    variantCounter: row.variant_counter,
    cmsVariants: fromJson<Record<string, string>>(row.cms_variants) ?? {},
    version: row.version,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdByUserName: row.created_by_user_name,
    updatedByUserName: row.updated_by_user_name,
  };
}

/** Experiences of a project in priority order (ties by creation), highest priority first. */
export async function listExperiences(db: Executor, projectUid: string): Promise<ExperienceRecord[]> {
  const rows = await db
    .selectFrom('experiences')
    .selectAll()
    .where('project_uid', '=', projectUid)
    .orderBy('priority')
    .orderBy('created_at')
    .orderBy('uid')
    .execute();
  return rows.map(toRecord);
}

export async function findExperience(db: Executor, projectUid: string, uid: string): Promise<ExperienceRecord | undefined> {
  const row = await db.selectFrom('experiences').selectAll().where('project_uid', '=', projectUid).where('uid', '=', uid).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/**
 * Takes the experience's row lock (PostgreSQL) before a version write, so two concurrent
 * activations or shortUid mints of one experience are serialized. SQLite serializes writers anyway.
 */
export async function lockExperience(trx: Executor, projectUid: string, uid: string): Promise<ExperienceRecord | undefined> {
  const row = await trx
    .updateTable('experiences')
    .set((eb) => ({ variant_counter: eb.ref('variant_counter') }))
    .where('project_uid', '=', projectUid)
    .where('uid', '=', uid)
    .returningAll()
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function countExperiences(db: Executor, projectUid: string): Promise<number> {
  const row = await db
    .selectFrom('experiences')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('project_uid', '=', projectUid)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Atomically takes the project's next experience counter value; also serializes creates per project. */
export async function nextExperienceCounter(trx: Executor, projectUid: string): Promise<number> {
  const row = await trx
    .updateTable('projects')
    .set((eb) => ({ experience_counter: eb('experience_counter', '+', 1) }))
    .where('uid', '=', projectUid)
    .returning('experience_counter')
    .executeTakeFirstOrThrow();
  // The counter starts at 0 and the first experience gets shortUid "0".
  return row.experience_counter - 1;
}

export async function maxPriority(db: Executor, projectUid: string): Promise<number> {
  const row = await db
    .selectFrom('experiences')
    .select((eb) => eb.fn.max('priority').as('p'))
    .where('project_uid', '=', projectUid)
    .executeTakeFirst();
  return row?.p === null || row?.p === undefined ? 0 : Number(row.p);
}

export interface NewExperience {
  uid: string;
  projectUid: string;
  shortUid: string;
  name: string;
  description: string;
  type: ExperienceRecord['type'];
  tags: string[];
  priority: number;
  variantGroup: string;
  stamp: AuditStamp;
}

export async function insertExperience(trx: Executor, e: NewExperience): Promise<void> {
  await trx
    .insertInto('experiences')
    .values({
      uid: e.uid,
      project_uid: e.projectUid,
      short_uid: e.shortUid,
      name: e.name,
      description: e.description,
      type: e.type,
      tags: toJson(e.tags),
      priority: e.priority,
      variant_group: e.variantGroup,
      variant_counter: 0,
      cms_variants: toJson({}),
      version: 1,
      created_at: e.stamp.createdAt,
      updated_at: e.stamp.updatedAt,
      created_by: e.stamp.createdBy,
      updated_by: e.stamp.updatedBy,
      created_by_user_name: e.stamp.createdByUserName,
      updated_by_user_name: e.stamp.updatedByUserName,
    })
    .execute();
}

export interface ExperienceFieldsUpdate {
  name: string;
  description: string;
  type: ExperienceRecord['type'];
  tags: string[];
  updatedAt: string;
  updatedBy: string;
  updatedByUserName: string;
}

/** Compare-and-set on `version`: returns false when another write got there first. */
export async function updateExperienceFields(
  trx: Executor,
  projectUid: string,
  uid: string,
  expectedVersion: number,
  u: ExperienceFieldsUpdate,
): Promise<boolean> {
  const result = await trx
    .updateTable('experiences')
    .set({
      name: u.name,
      description: u.description,
      type: u.type,
      tags: toJson(u.tags),
      version: expectedVersion + 1,
      updated_at: u.updatedAt,
      updated_by: u.updatedBy,
      updated_by_user_name: u.updatedByUserName,
    })
    .where('project_uid', '=', projectUid)
    .where('uid', '=', uid)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateVariantBookkeeping(
  trx: Executor,
  uid: string,
  variantCounter: number,
  cmsVariants: Record<string, string>,
): Promise<void> {
  await trx
    .updateTable('experiences')
    .set({ variant_counter: variantCounter, cms_variants: toJson(cmsVariants) })
    .where('uid', '=', uid)
    .execute();
}

export async function deleteExperience(trx: Executor, projectUid: string, uid: string): Promise<boolean> {
  const result = await trx.deleteFrom('experiences').where('project_uid', '=', projectUid).where('uid', '=', uid).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function setPriorities(trx: Executor, projectUid: string, orderedUids: readonly string[]): Promise<void> {
  for (const [index, uid] of orderedUids.entries()) {
    await trx.updateTable('experiences').set({ priority: index + 1 }).where('project_uid', '=', projectUid).where('uid', '=', uid).execute();
  }
}

/** Experience uids in priority order, highest first (same order as listExperiences). */
export async function listPriorityOrder(db: Executor, projectUid: string): Promise<string[]> {
  const rows = await db
    .selectFrom('experiences')
    .select('uid')
    .where('project_uid', '=', projectUid)
    .orderBy('priority')
    .orderBy('created_at')
    .orderBy('uid')
    .execute();
  return rows.map((r) => r.uid);
}

/** Keeps the draft's split consistent when an experience without variants changes type. */
export async function setVariantSplitOfExperience(trx: Executor, experienceUid: string, split: 'EQUAL' | null): Promise<void> {
  await trx.updateTable('experience_versions').set({ variant_split: split }).where('experience_uid', '=', experienceUid).execute();
}
