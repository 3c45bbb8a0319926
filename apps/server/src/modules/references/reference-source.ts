import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** One thing that uses a resource (docs/api-conventions.md, "Extensions", ADR 0022). */
export interface Reference {
  kind: 'experience' | 'audience';
  uid: string;
  name: string;
  versionUid?: string;
  versionStatus?: string;
  via: 'variant' | 'targeting' | 'metric' | 'rule';
  /** Where in the referring resource, e.g. `definition.rules[1].attribute` or `variants[0].audiences[2]`. */
  path?: string;
  /** True when it must prevent deleting the resource (a non-archived version, an audience rule). */
  blocking: boolean;
}

/**
 * References other modules contribute (experiences: audiences used by variants and target groups,
 * events used by metrics). Implementations read their own tables with the executor they are given,
 * which is the deleting transaction when the answer guards a delete. Uids without references may be
 * left out of the map.
 */
export interface ReferenceSource {
  audienceReferences(db: Kysely<Database>, projectUid: string, audienceUids: readonly string[]): Promise<Map<string, Reference[]>>;
  eventReferences(db: Kysely<Database>, projectUid: string, eventUids: readonly string[]): Promise<Map<string, Reference[]>>;
}

async function merged(
  sources: readonly ReferenceSource[],
  pick: (source: ReferenceSource) => Promise<Map<string, Reference[]>>,
): Promise<Map<string, Reference[]>> {
  const out = new Map<string, Reference[]>();
  for (const source of sources) {
    for (const [uid, refs] of await pick(source)) out.set(uid, [...(out.get(uid) ?? []), ...refs]);
  }
  return out;
}

/**
 * One source over a list the composition root fills (services.ts); read at call time, so a module
 * may push its source after the services that use this one were built.
 */
export function combineReferenceSources(sources: readonly ReferenceSource[]): ReferenceSource {
  return {
    audienceReferences: (db, projectUid, uids) =>
      uids.length === 0 ? Promise.resolve(new Map()) : merged(sources, (s) => s.audienceReferences(db, projectUid, uids)),
    eventReferences: (db, projectUid, uids) =>
      uids.length === 0 ? Promise.resolve(new Map()) : merged(sources, (s) => s.eventReferences(db, projectUid, uids)),
  };
}

/** The number of distinct resources among references (a list item's `referenceCount`). */
export function countReferrers(references: readonly Reference[] | undefined): number {
  return new Set((references ?? []).map((r) => `${r.kind}:${r.uid}`)).size;
}
