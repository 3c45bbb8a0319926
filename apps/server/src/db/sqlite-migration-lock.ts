import { SqliteAdapter, SqliteDialect, type DialectAdapter, type Kysely, type MigrationLockOptions } from 'kysely';

/**
 * Kysely's SQLite adapter takes no migration lock (it assumes one process per file), so two
 * instances starting at once both saw the same pending migrations and the second failed on
 * "table already exists". Writing the lock row first turns the migration's transaction into a
 * write transaction at once: the other instance waits for it (busy_timeout), then reads a state
 * with nothing left to apply.
 */
class LockingSqliteAdapter extends SqliteAdapter {
  // SQLite's DDL is transactional: all pending migrations apply together or not at all.
  override get supportsTransactionalDdl(): boolean {
    return true;
  }

  override async acquireMigrationLock(db: Kysely<unknown>, options: MigrationLockOptions): Promise<void> {
    const queryDb = (options.lockTableSchema ? db.withSchema(options.lockTableSchema) : db) as Kysely<Record<string, { id: string; is_locked: number }>>;
    await queryDb.updateTable(options.lockTable).set({ is_locked: 1 }).where('id', '=', options.lockRowId).execute();
  }

  override async releaseMigrationLock(db: Kysely<unknown>, options: MigrationLockOptions): Promise<void> {
    const queryDb = (options.lockTableSchema ? db.withSchema(options.lockTableSchema) : db) as Kysely<Record<string, { id: string; is_locked: number }>>;
    await queryDb.updateTable(options.lockTable).set({ is_locked: 0 }).where('id', '=', options.lockRowId).execute();
  }
}

export class MigrationLockingSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter();
  }
}
