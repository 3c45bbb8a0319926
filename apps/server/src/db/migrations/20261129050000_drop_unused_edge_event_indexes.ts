import type { Kysely } from 'kysely';

/**
 * Raw events are written at ingest rate and read only by the rollup worker's cursor and by
 * retention, both through analytics_edge_events_cursor_idx; the cascade from projects uses the
 * dedup constraint's leading project_uid. These three indexes were only maintained, never read,
 * and each cost a B-tree insert per event (ADR 0075).
 */
export function dropUnusedEdgeEventIndexes() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const index of ['edge_events_experience_idx', 'edge_events_event_idx', 'edge_events_visitor_idx']) {
        await db.schema.dropIndex(index).ifExists().execute();
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('edge_events_experience_idx').on('edge_events').columns(['project_uid', 'experience_uid', 'version_uid', 'received_at']).execute();
      await db.schema.createIndex('edge_events_event_idx').on('edge_events').columns(['project_uid', 'event_uid', 'received_at']).execute();
      await db.schema.createIndex('edge_events_visitor_idx').on('edge_events').columns(['project_uid', 'visitor_uid']).execute();
    },
  };
}
