import type { Migration } from 'kysely';
import type { DialectName } from '../create-db.js';
import { createFoundation } from './20261129000000_create_foundation.js';

/**
 * Every migration, by name. Names sort in the order they apply: `YYYYMMDDHHmmss_<verb>_<noun>`.
 * A landed migration is never edited; add a new one.
 */
export function allMigrations(dialect: DialectName): Record<string, Migration> {
  return {
    '20261129000000_create_foundation': createFoundation(dialect),
  };
}
