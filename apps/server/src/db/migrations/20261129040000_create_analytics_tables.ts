import type { Kysely } from 'kysely';
import type { DialectName } from '../create-db.js';
import { columnTypes } from '../dialect-types.js';

/**
 * Analytics rollups (ADR 0050): the worker's cursor over edge_events, first-seen tables that keep
 * unique counts exact, and hour/day buckets incremented only on first sight.
 */
export function createAnalyticsTables(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('analytics_cursors')
        .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('received_at', t.time, (c) => c.notNull())
        .addColumn('event_uid', 'varchar(24)', (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('analytics_impressions')
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('experience_uid', 'varchar(24)', (c) => c.notNull())
        .addColumn('version_uid', 'varchar(24)', (c) => c.notNull())
        .addColumn('variant_short_uid', 'varchar(64)', (c) => c.notNull())
        .addColumn('visitor_uid', 'varchar(128)', (c) => c.notNull())
        .addColumn('first_at', t.time, (c) => c.notNull())
        .addColumn('last_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_impressions_pk', ['version_uid', 'variant_short_uid', 'visitor_uid'])
        .execute();
      // Conversions look up every impression of their visitor; retention scans by age.
      await db.schema.createIndex('analytics_impressions_visitor_idx').on('analytics_impressions').columns(['project_uid', 'visitor_uid']).execute();
      await db.schema.createIndex('analytics_impressions_age_idx').on('analytics_impressions').columns(['last_at']).execute();

      await db.schema
        .createTable('analytics_conversions')
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('experience_uid', 'varchar(24)', (c) => c.notNull())
        .addColumn('version_uid', 'varchar(24)', (c) => c.notNull())
        .addColumn('event_uid', 'varchar(24)', (c) => c.notNull())
        .addColumn('visitor_uid', 'varchar(128)', (c) => c.notNull())
        .addColumn('variant_short_uid', 'varchar(64)', (c) => c.notNull())
        .addColumn('first_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_conversions_pk', ['version_uid', 'event_uid', 'visitor_uid'])
        .execute();
      await db.schema.createIndex('analytics_conversions_visitor_idx').on('analytics_conversions').columns(['project_uid', 'visitor_uid']).execute();
      await db.schema.createIndex('analytics_conversions_age_idx').on('analytics_conversions').columns(['first_at']).execute();

      await db.schema
        .createTable('analytics_rollups')
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('experience_uid', 'varchar(24)', (c) => c.notNull())
        .addColumn('version_uid', 'varchar(24)', (c) => c.notNull())
        .addColumn('granularity', 'varchar(8)', (c) => c.notNull())
        .addColumn('bucket_at', t.time, (c) => c.notNull())
        .addColumn('variant_short_uid', 'varchar(64)', (c) => c.notNull())
        // '' counts impressions; an event uid counts that metric's conversions.
        .addColumn('event_uid', 'varchar(24)', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_rollups_pk', ['version_uid', 'granularity', 'bucket_at', 'variant_short_uid', 'event_uid'])
        .execute();
      await db.schema.createIndex('analytics_rollups_age_idx').on('analytics_rollups').columns(['bucket_at']).execute();

      // The worker tails edge_events in (received_at, uid) order; without this each batch would sort the table.
      await db.schema.createIndex('analytics_edge_events_cursor_idx').on('edge_events').columns(['received_at', 'uid']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('analytics_edge_events_cursor_idx').execute();
      for (const table of ['analytics_rollups', 'analytics_conversions', 'analytics_impressions', 'analytics_cursors']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
