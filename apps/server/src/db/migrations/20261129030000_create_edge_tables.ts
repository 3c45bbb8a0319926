import type { Kysely } from 'kysely';
import type { DialectName } from '../create-db.js';
import { columnTypes } from '../dialect-types.js';

/** The Edge API's state: decision revisions, visitor profiles, recent visitors, ingested events. */
export function createEdgeTables(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // Bumped on every change that affects decisions; other processes poll it (ADR 0040).
      await db.schema
        .createTable('decision_revisions')
        .addColumn('project_uid', 'varchar(24)', (c) => c.primaryKey().references('projects.uid').onDelete('cascade'))
        .addColumn('revision', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('visitor_profiles')
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('visitor_uid', 'varchar(128)', (c) => c.notNull())
        .addColumn('attributes', t.json, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('visitor_profiles_pk', ['project_uid', 'visitor_uid'])
        .execute();

      await db.schema
        .createTable('recent_visitors')
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('visitor_uid', 'varchar(128)', (c) => c.notNull())
        .addColumn('last_seen_at', t.time, (c) => c.notNull())
        .addColumn('presets', t.json, (c) => c.notNull())
        .addColumn('attributes', t.json, (c) => c.notNull())
        .addPrimaryKeyConstraint('recent_visitors_pk', ['project_uid', 'visitor_uid'])
        .execute();
      await db.schema.createIndex('recent_visitors_seen_idx').on('recent_visitors').columns(['project_uid', 'last_seen_at']).execute();

      await db.schema
        .createTable('edge_events')
        .addColumn('uid', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('visitor_uid', 'varchar(128)', (c) => c.notNull())
        .addColumn('type', 'varchar(16)', (c) => c.notNull())
        // No foreign keys to experiences/events: analytics outlive a deleted experience or event.
        .addColumn('experience_uid', 'varchar(24)')
        .addColumn('version_uid', 'varchar(24)')
        .addColumn('variant_short_uid', 'varchar(64)')
        .addColumn('event_uid', 'varchar(24)')
        .addColumn('event_key', 'text')
        .addColumn('received_at', t.time, (c) => c.notNull())
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addUniqueConstraint('edge_events_dedup_unique', ['project_uid', 'dedup_key'])
        .execute();
      await db.schema
        .createIndex('edge_events_experience_idx')
        .on('edge_events')
        .columns(['project_uid', 'experience_uid', 'version_uid', 'received_at'])
        .execute();
      await db.schema.createIndex('edge_events_event_idx').on('edge_events').columns(['project_uid', 'event_uid', 'received_at']).execute();
      await db.schema.createIndex('edge_events_visitor_idx').on('edge_events').columns(['project_uid', 'visitor_uid']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['edge_events', 'recent_visitors', 'visitor_profiles', 'decision_revisions']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
