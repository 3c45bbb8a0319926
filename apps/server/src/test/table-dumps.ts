import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.js';

/** A whole database, for comparing two: its schema objects, and every table's rows as sorted JSON. */
export interface TableDump {
  schema: string[];
  tables: Record<string, string[]>;
}

/** Reads a whole SQLite database through a read-only connection. */
export function dumpSqlite(file: string): TableDump {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const objects = sqlite.prepare(`select type, name, sql from sqlite_master where name not like 'sqlite_%' order by type, name`).all() as Array<{ type: string; name: string; sql: string | null }>;
    const tables: Record<string, string[]> = {};
    for (const { name } of objects.filter((o) => o.type === 'table')) {
      tables[name] = (sqlite.prepare(`select * from "${name}"`).all() as unknown[]).map((row) => JSON.stringify(row)).sort();
    }
    return { schema: objects.map((o) => `${o.type} ${o.name}: ${o.sql ?? ''}`), tables };
  } finally {
    sqlite.close();
  }
}

/** Reads every table of one PostgreSQL schema, with its columns, indexes and constraints. */
export async function dumpPostgres(db: Db, schema: string): Promise<TableDump> {
  const columns = await sql<{ line: string }>`
    select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as line
    from information_schema.columns where table_schema = ${schema} order by table_name, ordinal_position`.execute(db.kysely);
  const indexes = await sql<{ line: string }>`select indexname || ': ' || indexdef as line from pg_indexes where schemaname = ${schema} order by indexname`.execute(db.kysely);
  const constraints = await sql<{ line: string }>`
    select c.relname || '.' || k.conname || ': ' || pg_get_constraintdef(k.oid) as line
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} order by 1`.execute(db.kysely);
  const names = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`.execute(db.kysely);
  const tables: Record<string, string[]> = {};
  for (const { name } of names.rows) {
    const rows = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.id(schema, name)} t`.execute(db.kysely);
    tables[name] = rows.rows.map((r) => r.row).sort();
  }
  // PostgreSQL deparses an expression it re-parsed with other casts and parentheses (a partial
  // index's `status in (…)` after pg_restore, for one), so expressions are compared without them.
  const unformatted = (line: string) => line.replace(/::[a-z ]+(\[\])?/g, '').replace(/[()\s]/g, '');
  return { schema: [...columns.rows, ...indexes.rows, ...constraints.rows].map((r) => unformatted(r.line)), tables };
}
