import type { Kysely } from 'kysely';
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

/** Inserts a batch in one statement; rows whose dedup key exists already are skipped. */
export async function insertEdgeEvents(db: Kysely<Database>, records: readonly EdgeEventRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db
    .insertInto('edge_events')
    .values(
      records.map((r) => ({
        uid: r.uid,
        project_uid: r.projectUid,
        visitor_uid: r.visitorUid,
        type: r.type,
        experience_uid: r.experienceUid,
        version_uid: r.versionUid,
        variant_short_uid: r.variantShortUid,
        event_uid: r.eventUid,
        event_key: r.eventKey,
        received_at: r.receivedAt,
        dedup_key: r.dedupKey,
      })),
    )
    .onConflict((oc) => oc.columns(['project_uid', 'dedup_key']).doNothing())
    .execute();
}
