import type { Kysely } from 'kysely';
import type { Db } from '../../db/create-db.js';
import { fromJson, toJson } from '../../db/mappers.js';
import type { Database } from '../../db/schema.js';
import type { VisitorAttributes } from './visitor.js';

/** One primary-key lookup. */
export async function findProfileAttributes(db: Kysely<Database>, projectUid: string, visitorUid: string): Promise<VisitorAttributes | undefined> {
  const row = await db
    .selectFrom('visitor_profiles')
    .select('attributes')
    .where('project_uid', '=', projectUid)
    .where('visitor_uid', '=', visitorUid)
    .executeTakeFirst();
  return row ? fromJson<VisitorAttributes>(row.attributes) : undefined;
}

/** Same as findProfileAttributes, but locks the row on PostgreSQL for a read-modify-write. */
export async function findProfileAttributesForUpdate(
  db: Kysely<Database>,
  dialect: Db['dialect'],
  projectUid: string,
  visitorUid: string,
): Promise<VisitorAttributes | undefined> {
  const row = await db
    .selectFrom('visitor_profiles')
    .select('attributes')
    .where('project_uid', '=', projectUid)
    .where('visitor_uid', '=', visitorUid)
    // SQLite has no FOR UPDATE: its write transactions are serialized anyway.
    .$if(dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  return row ? fromJson<VisitorAttributes>(row.attributes) : undefined;
}

export async function saveProfileAttributes(
  db: Kysely<Database>,
  projectUid: string,
  visitorUid: string,
  attributes: VisitorAttributes,
  nowIso: string,
): Promise<void> {
  await db
    .insertInto('visitor_profiles')
    .values({ project_uid: projectUid, visitor_uid: visitorUid, attributes: toJson(attributes), created_at: nowIso, updated_at: nowIso })
    .onConflict((oc) =>
      oc.columns(['project_uid', 'visitor_uid']).doUpdateSet((eb) => ({
        attributes: eb.ref('excluded.attributes'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
