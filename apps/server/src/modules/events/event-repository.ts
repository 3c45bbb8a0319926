import type { Kysely, Selectable } from 'kysely';
import type { Database, EventsTable } from '../../db/schema.js';
import { metaFromRow, newMetaColumns, touchedMetaColumns } from '../resources/index.js';
import type { EventDefinition } from './event.js';

type Actor = { userUid: string; name: string };

function fromRow(row: Selectable<EventsTable>): EventDefinition {
  return { uid: row.uid, projectUid: row.project_uid, key: row.key, description: row.description, ...metaFromRow(row) };
}

export async function listEventRows(
  db: Kysely<Database>,
  projectUid: string,
  filter?: { uids?: readonly string[]; keys?: readonly string[] },
): Promise<EventDefinition[]> {
  let query = db.selectFrom('events').selectAll().where('project_uid', '=', projectUid);
  if (filter?.uids) {
    if (filter.uids.length === 0) return [];
    query = query.where('uid', 'in', [...filter.uids]);
  }
  if (filter?.keys) {
    if (filter.keys.length === 0) return [];
    query = query.where('key', 'in', [...filter.keys]);
  }
  return (await query.orderBy('created_at').orderBy('uid').execute()).map(fromRow);
}

export async function findEventRow(db: Kysely<Database>, projectUid: string, uid: string): Promise<EventDefinition | undefined> {
  const row = await db.selectFrom('events').selectAll().where('project_uid', '=', projectUid).where('uid', '=', uid).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function countEventRows(db: Kysely<Database>, projectUid: string): Promise<number> {
  const row = await db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).where('project_uid', '=', projectUid).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function isEventKeyTaken(db: Kysely<Database>, projectUid: string, key: string, exceptUid?: string): Promise<boolean> {
  let query = db.selectFrom('events').select('uid').where('project_uid', '=', projectUid).where('key', '=', key);
  if (exceptUid) query = query.where('uid', '!=', exceptUid);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertEventRow(db: Kysely<Database>, uid: string, projectUid: string, content: { key: string; description: string }, actor: Actor, at: string): Promise<EventDefinition> {
  const row = await db
    .insertInto('events')
    .values({ uid, project_uid: projectUid, key: content.key, description: content.description, ...newMetaColumns(actor, at) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return fromRow(row);
}

/** Conditional on the expected version when one is given (ADR 0020). */
export async function updateEventRow(
  db: Kysely<Database>,
  projectUid: string,
  uid: string,
  expectedVersion: number | undefined,
  content: { key: string; description: string },
  actor: Actor,
  at: string,
): Promise<EventDefinition | undefined> {
  let query = db
    .updateTable('events')
    .set((eb) => ({ key: content.key, description: content.description, ...touchedMetaColumns(actor, at), version: eb('version', '+', 1) }))
    .where('project_uid', '=', projectUid)
    .where('uid', '=', uid);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const row = await query.returningAll().executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function deleteEventRow(db: Kysely<Database>, projectUid: string, uid: string, expectedVersion: number | undefined): Promise<boolean> {
  let query = db.deleteFrom('events').where('project_uid', '=', projectUid).where('uid', '=', uid);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  return Number((await query.executeTakeFirst()).numDeletedRows) > 0;
}
