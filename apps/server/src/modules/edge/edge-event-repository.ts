import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from '../../db/create-db.js';
import type { Database } from '../../db/schema.js';

export interface EdgeEventRecord {
  uid: string;
  projectUid: string;
  visitorUid: string;
  type: 'IMPRESSION' | 'EVENT';
  experienceUid: string | null;
  versionUid: string | null;
  variantShortUid: string | null;
  eventUid: string | null;
  eventKey: string | null;
  receivedAt: string;
  dedupKey: string;
}

/**
 * The rows travel as one JSON array of arrays bound to a single parameter, unpacked by the
 * database. The statement text never changes with the row count, so there is no parameter limit
 * to chunk around and no per-row query building; at ingest rate, building and preparing a
 * 5,500-parameter INSERT cost about as much as SQLite storing its rows.
 */
const INSERT_FROM_JSON: Record<DialectName, (rows: string) => RawBuilder<unknown>> = {
  sqlite: (rows) => sql`
    insert into edge_events (uid, project_uid, visitor_uid, type, experience_uid, version_uid, variant_short_uid, event_uid, event_key, received_at, dedup_key)
    select value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9, value->>10
    from json_each(${rows}) where true
    on conflict (project_uid, dedup_key) do nothing`,
  postgres: (rows) => sql`
    insert into edge_events (uid, project_uid, visitor_uid, type, experience_uid, version_uid, variant_short_uid, event_uid, event_key, received_at, dedup_key)
    select r->>0, r->>1, r->>2, r->>3, r->>4, r->>5, r->>6, r->>7, r->>8, (r->>9)::timestamptz, r->>10
    from jsonb_array_elements(${rows}::jsonb) as r
    on conflict (project_uid, dedup_key) do nothing`,
};

/**
 * Inserts the records in one statement; a record whose dedup key is stored already, or repeats
 * one earlier in `records`, is skipped. Pass a transaction to commit it with other writes.
 */
export async function insertEdgeEvents(db: Kysely<Database>, dialect: DialectName, records: readonly EdgeEventRecord[]): Promise<void> {
  if (records.length === 0) return;
  const rows = JSON.stringify(
    records.map((r) => [r.uid, r.projectUid, r.visitorUid, r.type, r.experienceUid, r.versionUid, r.variantShortUid, r.eventUid, r.eventKey, r.receivedAt, r.dedupKey]),
  );
  await INSERT_FROM_JSON[dialect](rows).execute(db);
}
