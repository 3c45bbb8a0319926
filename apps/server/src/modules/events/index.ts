/** What other modules may use of events: existence checks that lock (metrics), every key (edge ingestion) and the service. */
import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/create-db.js';
import type { Database } from '../../db/schema.js';
import { shareLockRows } from '../../db/row-locks.js';
import { listEventRows } from './event-repository.js';

export { createEventService, type EventService } from './event-service.js';
export type { EventDefinition } from './event.js';

/**
 * Which of the given events exist in the project, each kept (PostgreSQL) from being deleted until
 * the caller's transaction ends: what a version save checks before referencing them (ADR 0032).
 */
export async function findEventsForReference(db: Kysely<Database>, dialect: DialectName, projectUid: string, uids: readonly string[]): Promise<Set<string>> {
  return new Set(await shareLockRows(db, dialect, 'events', projectUid, uids));
}

/** Every event key of the project with its uid (the edge caches this map per project). */
export async function listEventKeys(db: Kysely<Database>, projectUid: string): Promise<Array<{ uid: string; key: string }>> {
  return (await listEventRows(db, projectUid)).map(({ uid, key }) => ({ uid, key }));
}
