import pg from 'pg';
import { createPostgresDb, createSqliteDb, type Db } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrator.js';

/**
 * A private, migrated database for one test: in-memory SQLite, or — when DATABASE_URL is set
 * (CI's second pass) — a throwaway PostgreSQL schema dropped on close.
 */
export async function createTestDb(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = createSqliteDb(':memory:');
    await migrateToLatest(db);
    return db;
  }
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = createPostgresDb(url, { searchPath: schema, max: 5 });
  await migrateToLatest(db);
  return {
    ...db,
    async close() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

export function isPostgresRun(): boolean {
  return Boolean(process.env.DATABASE_URL);
}
