import { performance } from 'node:perf_hooks';
import type { Db } from '../../db/create-db.js';
import { isDatabaseUnavailable } from '../../db/database-unavailable.js';
import type { Clock } from '../../shared/clock.js';
import { applyAttributesPatch, type VisitorAttributes, type VisitorAttributesPatch } from './visitor.js';
import { findProfileAttributes, findProfileAttributesForUpdate, saveProfileAttributes } from './visitor-profile-repository.js';

export interface VisitorProfileService {
  /** The stored attributes ({} for an unknown visitor): from the cache, else one primary-key read. */
  getAttributes(projectUid: string, visitorUid: string): Promise<Readonly<VisitorAttributes>>;
  /** The cached attributes while the cache may be trusted, else undefined (then call getAttributes). */
  cachedAttributes(projectUid: string, visitorUid: string): Readonly<VisitorAttributes> | undefined;
  /** Merge-patch into the profile (created when absent). */
  patchAttributes(projectUid: string, visitorUid: string, patch: VisitorAttributesPatch): Promise<void>;
  /** Source's attributes into target's, source winning on conflict; the source profile is kept. */
  mergeProfiles(projectUid: string, sourceUid: string, targetUid: string): Promise<void>;
  /** Another process wrote this profile: drop the cached copy (and do not cache a read it overlapped). */
  forget(projectUid: string, visitorUid: string): void;
}

export interface VisitorProfileServiceDeps {
  db: Db;
  clock: Clock;
  /** Profiles cached in this process; writes in this process update the cache. */
  cacheSize?: number;
  /**
   * How long (ms) a cached profile is trusted. Bounds how stale a profile written by another
   * process can be (Contentstack documents up to ~1 s for attributes to reach decisions);
   * Infinity when no other process writes profiles.
   */
  cacheTtlMs?: number;
  /** Told after each committed write, so the processes sharing this database can `forget` it. */
  onWritten?: (projectUid: string, visitorUid: string) => void;
  monotonicNow?: () => number;
}

const EMPTY: Readonly<VisitorAttributes> = Object.freeze({});

export function createVisitorProfileService(deps: VisitorProfileServiceDeps): VisitorProfileService {
  const { db, clock } = deps;
  const maxSize = deps.cacheSize ?? 100_000;
  const ttl = deps.cacheTtlMs ?? 1000;
  const now = deps.monotonicNow ?? (() => performance.now());
  // Insertion-ordered: the first key is the oldest entry (evicted first; hits are not re-inserted, which would cost a delete and a set per manifest).
  const cache = new Map<string, { attributes: Readonly<VisitorAttributes>; at: number }>();
  // Bumped by every write in this process: a read that overlapped a write must not cache what it read, which may predate the write.
  let writes = 0;

  const keyOf = (projectUid: string, visitorUid: string) => `${projectUid}\u0000${visitorUid}`;

  function remember(key: string, attributes: Readonly<VisitorAttributes>): void {
    cache.delete(key);
    if (cache.size >= maxSize) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(key, { attributes, at: now() });
  }

  async function write(projectUid: string, visitorUid: string, change: (current: VisitorAttributes) => VisitorAttributes): Promise<void> {
    // Counted at both ends, so that any read overlapping any part of the write sees a change.
    writes += 1;
    try {
      const next = await db.kysely.transaction().execute(async (trx) => {
        const current = (await findProfileAttributesForUpdate(trx, db.dialect, projectUid, visitorUid)) ?? {};
        const updated = change(current);
        await saveProfileAttributes(trx, projectUid, visitorUid, updated, clock.now().toISOString());
        return updated;
      });
      remember(keyOf(projectUid, visitorUid), Object.freeze(next));
      deps.onWritten?.(projectUid, visitorUid);
    } finally {
      writes += 1;
    }
  }

  function cached(key: string): Readonly<VisitorAttributes> | undefined {
    const hit = cache.get(key);
    // Without expiry (one SQLite process) no clock read is needed.
    return hit !== undefined && (ttl === Number.POSITIVE_INFINITY || now() - hit.at < ttl) ? hit.attributes : undefined;
  }

  return {
    cachedAttributes(projectUid, visitorUid) {
      return cached(keyOf(projectUid, visitorUid));
    },

    async getAttributes(projectUid, visitorUid) {
      const key = keyOf(projectUid, visitorUid);
      const hit = cached(key);
      if (hit !== undefined) return hit;
      const writesBefore = writes;
      let stored: VisitorAttributes | undefined;
      try {
        stored = await findProfileAttributes(db.kysely, projectUid, visitorUid);
      } catch (error) {
        // While the database is unreachable the edge keeps deciding: a returning visitor is
        // decided on the last profile this process read, however old, rather than refused.
        const last = cache.get(key);
        if (last !== undefined && isDatabaseUnavailable(error)) return last.attributes;
        throw error;
      }
      const attributes = stored ? Object.freeze(stored) : EMPTY;
      if (writes === writesBefore) remember(key, attributes);
      return attributes;
    },

    async patchAttributes(projectUid, visitorUid, patch) {
      await write(projectUid, visitorUid, (current) => applyAttributesPatch(current, patch));
    },

    forget(projectUid, visitorUid) {
      writes += 1;
      cache.delete(keyOf(projectUid, visitorUid));
    },

    async mergeProfiles(projectUid, sourceUid, targetUid) {
      if (sourceUid === targetUid) return;
      const source = await findProfileAttributes(db.kysely, projectUid, sourceUid);
      if (source === undefined || Object.keys(source).length === 0) return;
      await write(projectUid, targetUid, (current) => ({ ...current, ...source }));
    },
  };
}
