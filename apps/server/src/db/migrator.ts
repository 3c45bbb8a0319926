import { Migrator, type MigrationResultSet } from 'kysely';
import type { Db } from './create-db.js';
import { allMigrations } from './migrations/index.js';

function migratorFor(db: Db): Migrator {
  const migrations = allMigrations(db.dialect);
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    // Kysely looks for its bookkeeping tables in any schema unless told which one; with several
    // schemas in one database (parallel test files) it would find another schema's tables.
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: result.error });
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/** SQLite's answer when another connection's write won: this attempt rolled back whole. */
function isSqliteBusy(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
  return code.startsWith('SQLITE_BUSY');
}

/**
 * Applies every pending migration; returns the names applied. Instances starting at once are
 * safe: PostgreSQL's migrations wait on an advisory lock (Kysely's), SQLite's run in one
 * transaction that starts by writing the lock row (sqlite-migration-lock.ts); one that lost the
 * race for the file's write lock rolled back and tries again on what the winner committed.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return unwrap(await migratorFor(db).migrateToLatest());
    } catch (error) {
      if (db.dialect !== 'sqlite' || !isSqliteBusy(error) || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
    }
  }
}

/** Reverts every migration (used by the up → down → up check in CI). */
export async function migrateDownAll(db: Db): Promise<string[]> {
  const migrator = migratorFor(db);
  const applied: string[] = [];
  for (;;) {
    const result = await migrator.migrateDown();
    const names = unwrap(result);
    if (names.length === 0) return applied;
    applied.push(...names);
  }
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migratorFor(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Moves the schema to just after `name`, up or down (tests of one migration's effect on existing rows). */
export async function migrateTo(db: Db, name: string): Promise<string[]> {
  return unwrap(await migratorFor(db).migrateTo(name));
}
