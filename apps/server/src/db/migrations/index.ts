import type { Migration } from 'kysely';
import type { DialectName } from '../create-db.js';
import { createFoundation } from './20261129000000_create_foundation.js';
import { createAudiences } from './20261129010000_create_audiences.js';
import { createEdgeTables } from './20261129030000_create_edge_tables.js';

/**
 * Every migration, by name. Names sort in the order they apply: `YYYYMMDDHHmmss_<verb>_<noun>`.
 * A landed migration is never edited; add a new one.
 */
export function allMigrations(dialect: DialectName): Record<string, Migration> {
  return {
    '20261129000000_create_foundation': createFoundation(dialect),
    '20261129010000_create_audiences': createAudiences(dialect),
    '20261129030000_create_edge_tables': createEdgeTables(dialect),
  };
}
