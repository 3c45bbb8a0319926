import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from './create-db.js';
import { migrateDownAll, migrateToLatest, pendingMigrations } from './migrator.js';
import { allMigrations } from './migrations/index.js';
import { createTestDb } from '../test/test-db.js';

/** Tables of the current dialect's schema (the test's private schema on PostgreSQL), bookkeeping excluded. */
async function tables(db: Db): Promise<string[]> {
  const rows =
    db.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db.kysely)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db.kysely);
  return rows.rows.map((r) => r.name).filter((name) => !name.startsWith('kysely_')).sort();
}

describe('migrations', () => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('go up, all the way down, and up again on this dialect', async () => {
    db = await createTestDb();
    const names = Object.keys(allMigrations(db.dialect));
    expect(await pendingMigrations(db)).toEqual([]);
    const created = await tables(db);
    expect(created).toEqual(expect.arrayContaining(['projects', 'project_members', 'invitations', 'users']));

    const reverted = await migrateDownAll(db);
    expect(reverted).toEqual([...names].reverse());
    expect(await tables(db)).toEqual([]);
    expect(await pendingMigrations(db)).toEqual(names);

    expect(await migrateToLatest(db)).toEqual(names);
    expect(await tables(db)).toEqual(created);
  });

  it('are named YYYYMMDDHHmmss_<verb>_<noun> and sort in the order they apply', () => {
    const names = Object.keys(allMigrations('sqlite'));
    for (const name of names) expect(name).toMatch(/^\d{14}_[a-z]+(_[a-z0-9]+)+$/);
    expect([...names].sort()).toEqual(names);
  });

  it('cascade from projects to every table that references them', async () => {
    db = await createTestDb();
    // Every foreign key onto projects must be ON DELETE CASCADE, or deleting a project would fail or leave orphans.
    const refs = await foreignKeysOntoProjects(db);
    expect(refs.map((r) => r.table)).toEqual(expect.arrayContaining(['project_members', 'invitations']));
    for (const ref of refs) expect(`${ref.table}: ${ref.onDelete}`).toBe(`${ref.table}: CASCADE`);
  });
});

async function foreignKeysOntoProjects(db: Db): Promise<Array<{ table: string; onDelete: string }>> {
  if (db.dialect === 'postgres') {
    const result = await sql<{ table: string; onDelete: string }>`
      select tc.table_name as "table", rc.delete_rule as "onDelete"
      from information_schema.referential_constraints rc
      join information_schema.table_constraints tc
        on tc.constraint_name = rc.constraint_name and tc.constraint_schema = rc.constraint_schema
      join information_schema.constraint_column_usage ccu
        on ccu.constraint_name = rc.unique_constraint_name and ccu.constraint_schema = rc.unique_constraint_schema
      where ccu.table_name = 'projects' and tc.constraint_schema = current_schema()`.execute(db.kysely);
    return result.rows;
  }
  const out: Array<{ table: string; onDelete: string }> = [];
  for (const table of await tables(db)) {
    const fks = await sql<{ table: string; on_delete: string }>`select * from pragma_foreign_key_list(${table})`.execute(db.kysely);
    for (const fk of fks.rows) if (fk.table === 'projects') out.push({ table, onDelete: fk.on_delete });
  }
  return out;
}
