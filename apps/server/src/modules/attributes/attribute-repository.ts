import type { Kysely, Selectable } from 'kysely';
import type { AttributesTable, Database } from '../../db/schema.js';
import { metaFromRow, newMetaColumns, touchedMetaColumns } from '../resources/index.js';
import type { CustomAttribute } from './attributes.js';

function fromRow(row: Selectable<AttributesTable>): CustomAttribute {
  return {
    uid: row.uid,
    projectUid: row.project_uid,
    name: row.name,
    key: row.key,
    description: row.description,
    ...metaFromRow(row),
  };
}

export async function listAttributeRows(db: Kysely<Database>, projectUid: string): Promise<CustomAttribute[]> {
  const rows = await db.selectFrom('attributes').selectAll().where('project_uid', '=', projectUid).orderBy('created_at').orderBy('uid').execute();
  return rows.map(fromRow);
}

export async function findAttributeRow(db: Kysely<Database>, projectUid: string, uid: string): Promise<CustomAttribute | undefined> {
  const row = await db.selectFrom('attributes').selectAll().where('project_uid', '=', projectUid).where('uid', '=', uid).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function countAttributeRows(db: Kysely<Database>, projectUid: string): Promise<number> {
  const row = await db.selectFrom('attributes').select((eb) => eb.fn.countAll().as('n')).where('project_uid', '=', projectUid).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Which of the key and name another attribute of the project already uses. */
export async function findAttributeClashes(
  db: Kysely<Database>,
  projectUid: string,
  probe: { key?: string; name?: string; exceptUid?: string },
): Promise<{ key: boolean; name: boolean }> {
  const nameKey = probe.name?.toLowerCase();
  let query = db.selectFrom('attributes').select(['key', 'name_key']).where('project_uid', '=', projectUid);
  query = query.where((eb) =>
    eb.or([...(probe.key !== undefined ? [eb('key', '=', probe.key)] : []), ...(nameKey !== undefined ? [eb('name_key', '=', nameKey)] : [])]),
  );
  if (probe.exceptUid) query = query.where('uid', '!=', probe.exceptUid);
  if (probe.key === undefined && nameKey === undefined) return { key: false, name: false };
  const rows = await query.execute();
  return { key: rows.some((r) => r.key === probe.key), name: rows.some((r) => r.name_key === nameKey) };
}

export async function insertAttributeRow(
  db: Kysely<Database>,
  input: { uid: string; projectUid: string; name: string; key: string; description: string },
  actor: { userUid: string; name: string },
  at: string,
): Promise<CustomAttribute> {
  const row = await db
    .insertInto('attributes')
    .values({
      uid: input.uid,
      project_uid: input.projectUid,
      name: input.name,
      name_key: input.name.toLowerCase(),
      key: input.key,
      description: input.description,
      ...newMetaColumns(actor, at),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return fromRow(row);
}

/**
 * One conditional UPDATE: with `expectedVersion` it matches only that version, so of concurrent
 * writers based on the same copy exactly one gets a row back (ADR 0020).
 */
export async function updateAttributeRow(
  db: Kysely<Database>,
  projectUid: string,
  uid: string,
  expectedVersion: number | undefined,
  patch: { name?: string; key?: string; description?: string },
  actor: { userUid: string; name: string },
  at: string,
): Promise<CustomAttribute | undefined> {
  let query = db
    .updateTable('attributes')
    .set((eb) => ({
      ...(patch.name !== undefined ? { name: patch.name, name_key: patch.name.toLowerCase() } : {}),
      ...(patch.key !== undefined ? { key: patch.key } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...touchedMetaColumns(actor, at),
      version: eb('version', '+', 1),
    }))
    .where('project_uid', '=', projectUid)
    .where('uid', '=', uid);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const row = await query.returningAll().executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function deleteAttributeRow(db: Kysely<Database>, projectUid: string, uid: string, expectedVersion: number | undefined): Promise<boolean> {
  let query = db.deleteFrom('attributes').where('project_uid', '=', projectUid).where('uid', '=', uid);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
