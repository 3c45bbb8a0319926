import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/create-db.js';
import type { Database } from '../../db/schema.js';
import { findAudiencesForReference } from '../audiences/index.js';
import { findEventsForReference } from '../events/index.js';

type Executor = Kysely<Database>;

/**
 * Which of the given audience / event uids exist in the project, through the owning modules' read
 * models. Run with the writing transaction, so a version never names another project's resource;
 * on PostgreSQL the rows found stay locked against deletion until it commits (ADR 0032).
 */
export async function existingAudienceUids(db: Executor, dialect: DialectName, projectUid: string, uids: readonly string[]): Promise<Set<string>> {
  if (uids.length === 0) return new Set();
  return findAudiencesForReference(db, dialect, projectUid, uids);
}

export async function existingEventUids(db: Executor, dialect: DialectName, projectUid: string, uids: readonly string[]): Promise<Set<string>> {
  if (uids.length === 0) return new Set();
  return findEventsForReference(db, dialect, projectUid, uids);
}
