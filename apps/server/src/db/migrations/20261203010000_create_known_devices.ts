import type { Kysely } from 'kysely';
import type { DialectName } from '../create-db.js';
import { columnTypes } from '../dialect-types.js';

/**
 * Browsers that have logged in to an account before: a failed-login lockout of that account or of
 * the browser's address does not shut them out (ADR 0082). Only the cookie's digest is stored.
 */
export function createKnownDevices(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('known_devices')
        .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('user_uid', 'varchar(24)', (c) => c.notNull().references('users.uid').onDelete('cascade'))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('known_devices_user_uid_idx').on('known_devices').columns(['user_uid', 'created_at']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('known_devices').execute();
    },
  };
}
