/** What other modules may use of events: lookups by uid or key (metrics, edge ingestion) and the service. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { listEventRows } from './event-repository.js';

export { createEventService, type EventService } from './event-service.js';
export type { EventDefinition } from './event.js';

/** The given events that exist in the project (missing uids are left out). */
export async function findEventsByUids(db: Kysely<Database>, projectUid: string, uids: readonly string[]): Promise<Array<{ uid: string; key: string }>> {
  return (await listEventRows(db, projectUid, { uids })).map(({ uid, key }) => ({ uid, key }));
}

/** The events with the given keys (what `/edge/events` receives); unknown keys are left out. */
export async function findEventsByKeys(db: Kysely<Database>, projectUid: string, keys: readonly string[]): Promise<Array<{ uid: string; key: string }>> {
  return (await listEventRows(db, projectUid, { keys })).map(({ uid, key }) => ({ uid, key }));
}
