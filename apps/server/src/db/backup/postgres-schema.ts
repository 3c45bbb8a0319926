import { sql } from 'kysely';
import type { Db } from '../create-db.js';

/** The schema Tailor's tables live in: the connection's search_path schema (`public` unless configured). */
export async function tailorSchema(db: Db): Promise<string> {
  if (db.schema) return db.schema;
  const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db.kysely);
  return result.rows[0]?.schema ?? 'public';
}

/** Rows in `schema.table`, or undefined when there is no such table. */
export async function countRowsIn(db: Db, schema: string, table: string): Promise<number | undefined> {
  const exists = await sql<{ found: string | null }>`select to_regclass(format('%I.%I', ${schema}::text, ${table}::text))::text as found`.execute(db.kysely);
  if (!exists.rows[0]?.found) return undefined;
  const result = await sql<{ n: string }>`select count(*) as n from ${sql.id(schema, table)}`.execute(db.kysely);
  return Number(result.rows[0]?.n ?? 0);
}

export async function schemaExists(db: Db, schema: string): Promise<boolean> {
  const result = await sql<{ found: boolean }>`select exists (select 1 from pg_namespace where nspname = ${schema}) as found`.execute(db.kysely);
  return result.rows[0]?.found === true;
}

/** The base tables of `schema`, by name. */
export async function tablesIn(db: Db, schema: string): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`.execute(db.kysely);
  return result.rows.map((r) => r.name);
}
