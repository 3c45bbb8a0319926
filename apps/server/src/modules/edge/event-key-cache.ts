import { performance } from 'node:perf_hooks';

/** Loads every event key of a project with its uid (the events module's read, injected). */
export type EventKeyLoader = (projectUid: string) => Promise<ReadonlyArray<{ uid: string; key: string }>>;

export interface EventKeyCacheOptions {
  load: EventKeyLoader;
  /**
   * How long a loaded map answers before it is re-read. Changes made in this process drop the
   * map at once (`invalidate`); the TTL only bounds how long another process's change goes unseen.
   */
  ttlMs: number;
  /** Monotonic milliseconds; tests inject a fake. */
  monotonicNow?: () => number;
}

export interface EventKeyCache {
  /** Key → event uid for the project (every key it has, not only the ones asked about). */
  get(projectUid: string): Promise<ReadonlyMap<string, string>>;
  /** Forgets the project's map; a load already in flight will not install its older answer. */
  invalidate(projectUid: string): void;
}

interface Entry {
  keys: ReadonlyMap<string, string>;
  loadedAt: number;
}

/**
 * Per-process map of event keys, so `POST /edge/events` validates conversions without a query
 * per request (ADR 0075). Concurrent misses share one load.
 */
export function createEventKeyCache(options: EventKeyCacheOptions): EventKeyCache {
  const now = options.monotonicNow ?? (() => performance.now());
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<ReadonlyMap<string, string>>>();
  /** Bumped by every invalidation, so a load that started before it cannot install stale keys. */
  const generations = new Map<string, number>();

  function load(projectUid: string): Promise<ReadonlyMap<string, string>> {
    const running = loading.get(projectUid);
    if (running) return running;
    const generation = generations.get(projectUid) ?? 0;
    const startedAt = now();
    const next = options
      .load(projectUid)
      .then((rows) => {
        const keys = new Map(rows.map((r) => [r.key, r.uid]));
        if ((generations.get(projectUid) ?? 0) === generation) entries.set(projectUid, { keys, loadedAt: startedAt });
        return keys;
      })
      .finally(() => {
        if (loading.get(projectUid) === next) loading.delete(projectUid);
      });
    loading.set(projectUid, next);
    return next;
  }

  return {
    async get(projectUid) {
      const entry = entries.get(projectUid);
      if (entry && now() - entry.loadedAt < options.ttlMs) return entry.keys;
      return load(projectUid);
    },
    invalidate(projectUid) {
      entries.delete(projectUid);
      loading.delete(projectUid);
      generations.set(projectUid, (generations.get(projectUid) ?? 0) + 1);
    },
  };
}
