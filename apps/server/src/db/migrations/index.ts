import type { Migration } from 'kysely';
import type { DialectName } from '../create-db.js';
import { createFoundation } from './20261129000000_create_foundation.js';
import { createAudiences } from './20261129010000_create_audiences.js';
import { createExperiences } from './20261129020000_create_experiences.js';
import { createEdgeTables } from './20261129030000_create_edge_tables.js';
import { createAnalyticsTables } from './20261129040000_create_analytics_tables.js';
import { dropUnusedEdgeEventIndexes } from './20261129050000_drop_unused_edge_event_indexes.js';
import { dropPlainInvitationTokens } from './20261203000000_drop_plain_invitation_tokens.js';
import { createKnownDevices } from './20261203010000_create_known_devices.js';
import { addAuditActorAddress } from './20261204000000_add_audit_actor_address.js';

/**
 * Every migration, by name. Names sort in the order they apply: `YYYYMMDDHHmmss_<verb>_<noun>`.
 * A landed migration is never edited; add a new one.
 */
export function allMigrations(dialect: DialectName): Record<string, Migration> {
  return {
    '20261129000000_create_foundation': createFoundation(dialect),
    '20261129010000_create_audiences': createAudiences(dialect),
    '20261129020000_create_experiences': createExperiences(dialect),
    '20261129030000_create_edge_tables': createEdgeTables(dialect),
    '20261129040000_create_analytics_tables': createAnalyticsTables(dialect),
    '20261129050000_drop_unused_edge_event_indexes': dropUnusedEdgeEventIndexes(),
    '20261203000000_drop_plain_invitation_tokens': dropPlainInvitationTokens(),
    '20261203010000_create_known_devices': createKnownDevices(dialect),
    '20261204000000_add_audit_actor_address': addAuditActorAddress(),
  };
}
