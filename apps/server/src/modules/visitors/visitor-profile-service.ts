import { performance } from 'node:perf_hooks';
import type { Db } from '../../db/create-db.js';
import type { Clock } from '../../shared/clock.js';
import { applyAttributesPatch, type VisitorAttributes, type VisitorAttributesPatch } from './visitor.js';
import { findProfileAttributes, findProfileAttributesForUpdate, saveProfileAttributes } from './visitor-profile-repository.js';

export interface VisitorProfileService {
  /** The stored attributes ({} for an unknown visitor): from the cache, else one primary-key read. */
  getAttributes(projectUid: string, visitorUid: string): Promise<Readonly<VisitorAttributes>>;
  /** Merge-patch into the profile (created when absent). */
  patchAttributes(projectUid: string, visitorUid: string, patch: VisitorAttributesPatch): Promise<void>;
  /** Source's attributes into target's, source winning on conflict; the source profile is kept. */
  mergeProfiles(projectUid: string, sourceUid: string, targetUid: string): Promise<void>;
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
  monotonicNow?: () => number;
}

const EMPTY: Readonly<VisitorAttributes> = Object.freeze({});

export function createVisitorProfileService(deps: VisitorProfileServiceDeps): VisitorProfileService {
  const { db, clock } = deps;
  const maxSize = deps.cacheSize ?? 100_000;
  const ttl = deps.cacheTtlMs ?? 1000;
  const now = deps.monotonicNow ?? (() => performance.now());
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recent.
  const cache = new Map<string, { attributes: Readonly<VisitorAttributes>; at: number }>();

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
    const next = await db.kysely.transaction().execute(async (trx) => {
      const current = (await findProfileAttributesForUpdate(trx, db.dialect, projectUid, visitorUid)) ?? {};
      const updated = change(current);
      await saveProfileAttributes(trx, projectUid, visitorUid, updated, clock.now().toISOString());
      return updated;
    });
    remember(keyOf(projectUid, visitorUid), Object.freeze(next));
  }

  return {
    async getAttributes(projectUid, visitorUid) {
      const key = keyOf(projectUid, visitorUid);
      const hit = cache.get(key);
      if (hit && now() - hit.at < ttl) return hit.attributes;
      const stored = await findProfileAttributes(db.kysely, projectUid, visitorUid);
      const attributes = stored ? Object.freeze(stored) : EMPTY;
      remember(key, attributes);
      return attributes;
    },

    async patchAttributes(projectUid, visitorUid, patch) {
      await write(projectUid, visitorUid, (current) => applyAttributesPatch(current, patch));
    },

    async mergeProfiles(projectUid, sourceUid, targetUid) {
      if (sourceUid === targetUid) return;
      const source = await findProfileAttributes(db.kysely, projectUid, sourceUid);
      if (source === undefined || Object.keys(source).length === 0) return;
      await write(projectUid, targetUid, (current) => ({ ...current, ...source }));
    },
  };
}
