import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findAudiencesByUids } from '../audiences/index.js';
import { findEventsByUids } from '../events/index.js';

type Executor = Kysely<Database>;

/**
 * Which of the given audience / event uids exist in the project, through the owning modules' read
 * models. Run with the writing transaction, so a version never names another project's resource.
 */
export async function existingAudienceUids(db: Executor, projectUid: string, uids: readonly string[]): Promise<Set<string>> {
  if (uids.length === 0) return new Set();
  return new Set((await findAudiencesByUids(db, projectUid, uids)).map((a) => a.uid));
}

export async function existingEventUids(db: Executor, projectUid: string, uids: readonly string[]): Promise<Set<string>> {
  if (uids.length === 0) return new Set();
  return new Set((await findEventsByUids(db, projectUid, uids)).map((e) => e.uid));
}
