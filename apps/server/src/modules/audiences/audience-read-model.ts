import type { RuleCombination } from '@tailor/engine';
import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/create-db.js';
import type { Database } from '../../db/schema.js';
import type { AttributeUsage } from '../attributes/index.js';
import type { ProjectStatsSource } from '../projects/index.js';
import type { Reference } from '../references/index.js';
import { attributeUsages } from './audience.js';
import { shareLockRows } from '../../db/row-locks.js';
import { countAudiencesByProject, listAudienceRows } from './audience-repository.js';

/** The audiences of a project with their definitions (edge snapshot, experiences), oldest first. */
export async function listAudienceDefinitions(
  db: Kysely<Database>,
  projectUid: string,
): Promise<Array<{ uid: string; name: string; definition: RuleCombination; version: number }>> {
  return (await listAudienceRows(db, projectUid)).map(({ uid, name, definition, version }) => ({ uid, name, definition, version }));
}

/** The given audiences that exist in the project (missing uids are left out). */
export async function findAudiencesByUids(
  db: Kysely<Database>,
  projectUid: string,
  uids: readonly string[],
): Promise<Array<{ uid: string; name: string; definition: RuleCombination; version: number }>> {
  return (await listAudienceRows(db, projectUid, uids)).map(({ uid, name, definition, version }) => ({ uid, name, definition, version }));
}

/**
 * Which of the given audiences exist in the project, each kept (PostgreSQL) from being deleted
 * until the caller's transaction ends: what a version save checks before referencing them (ADR 0032).
 */
export async function findAudiencesForReference(db: Kysely<Database>, dialect: DialectName, projectUid: string, uids: readonly string[]): Promise<Set<string>> {
  return new Set(await shareLockRows(db, dialect, 'audiences', projectUid, uids));
}

/** Which audience rules use which attribute: the attributes module's references and delete guard. */
export const audienceAttributeUsage: AttributeUsage = {
  async attributeReferences(db, projectUid, attributeUids) {
    const wanted = attributeUids ? new Set(attributeUids) : null;
    const out = new Map<string, Reference[]>();
    for (const audience of await listAudienceRows(db, projectUid)) {
      for (const { ref, path } of attributeUsages(audience.definition)) {
        if (wanted && !wanted.has(ref)) continue;
        const list = out.get(ref) ?? [];
        list.push({ kind: 'audience', uid: audience.uid, name: audience.name, via: 'rule', path, blocking: true });
        out.set(ref, list);
      }
    }
    return out;
  },
};

/** The project cards' audienceCount. */
export function audienceStatsSource(db: Kysely<Database>): ProjectStatsSource {
  return {
    async countsFor(projectUids) {
      const counts = await countAudiencesByProject(db, projectUids);
      return new Map([...counts].map(([uid, n]) => [uid, { audienceCount: n }]));
    },
  };
}
