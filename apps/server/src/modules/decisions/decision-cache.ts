import { performance } from 'node:perf_hooks';
import type { Db } from '../../db/create-db.js';
import type { ProjectChange } from '../../shared/change-events.js';
import { isUid } from '../../shared/ids.js';
import type { DecisionSource } from './decision-inputs.js';
import { bumpDecisionRevision, readDecisionRevision } from './decision-revision-repository.js';
import { compileProjectSnapshot, type ProjectSnapshot } from './project-snapshot.js';

export interface DecisionCacheOptions {
  db: Db;
  source: DecisionSource;
  /** How often (ms) a process re-reads a project's revision to see other processes' changes. */
  recheckMs?: number;
  /** Bound on remembered unknown project uids (a flood of random uids must not grow memory). */
  maxUnknown?: number;
  /** Monotonic milliseconds; tests inject a fake. */
  monotonicNow?: () => number;
  onError?: (error: unknown, projectUid: string) => void;
}

export interface DecisionCache {
  /** The project's current snapshot, or null when the project does not exist. */
  get(projectUid: string): Promise<ProjectSnapshot | null>;
  /** The change listener: bumps the revision and installs the rebuilt snapshot before resolving. */
  handleChange(change: ProjectChange): Promise<void>;
  /** Drops everything (tests, shutdown). */
  clear(): void;
}

interface Entry {
  snapshot: ProjectSnapshot;
  checkedAt: number;
  checking: boolean;
}

// Event definitions are validated against the database at ingest, so they never touch the snapshot.
const IRRELEVANT: ReadonlySet<ProjectChange['resource']> = new Set(['event']);

/**
 * Per-process cache of compiled project snapshots (ADR 0040). Changes made in this process are
 * installed synchronously by `handleChange`; changes made by other processes are noticed by a
 * revision check at most once per `recheckMs` per project, done in the background so no request
 * waits for it (a request may see the previous snapshot for up to about that long).
 */
export function createDecisionCache(options: DecisionCacheOptions): DecisionCache {
  const { db, source } = options;
  const recheckMs = options.recheckMs ?? 1000;
  const maxUnknown = options.maxUnknown ?? 10_000;
  const now = options.monotonicNow ?? (() => performance.now());
  const entries = new Map<string, Entry>();
  /** Unknown project uid → when it was last looked up. Insertion-ordered for cheap eviction. */
  const unknown = new Map<string, number>();
  const loading = new Map<string, Promise<ProjectSnapshot | null>>();

  function install(snapshot: ProjectSnapshot): void {
    const current = entries.get(snapshot.projectUid);
    // A slower rebuild that read an older revision must not replace a newer snapshot.
    if (current && current.snapshot.revision > snapshot.revision) return;
    entries.set(snapshot.projectUid, { snapshot, checkedAt: now(), checking: false });
    unknown.delete(snapshot.projectUid);
  }

  function forget(projectUid: string): void {
    entries.delete(projectUid);
    if (unknown.size >= maxUnknown) {
      const oldest = unknown.keys().next().value;
      if (oldest !== undefined) unknown.delete(oldest);
    }
    unknown.delete(projectUid);
    unknown.set(projectUid, now());
  }

  /** Reads the revision first, then the inputs: data newer than the revision is harmless, older is impossible. */
  async function build(projectUid: string): Promise<ProjectSnapshot | null> {
    const revision = await readDecisionRevision(db, projectUid);
    if (revision === undefined) {
      forget(projectUid);
      return null;
    }
    const snapshot = compileProjectSnapshot(projectUid, revision, await source.load(projectUid));
    install(snapshot);
    return entries.get(projectUid)?.snapshot ?? snapshot;
  }

  function load(projectUid: string): Promise<ProjectSnapshot | null> {
    const pending = loading.get(projectUid);
    if (pending) return pending;
    const promise = build(projectUid).finally(() => loading.delete(projectUid));
    loading.set(projectUid, promise);
    return promise;
  }

  async function revalidate(projectUid: string, entry: Entry): Promise<void> {
    try {
      const revision = await readDecisionRevision(db, projectUid);
      if (revision === undefined) forget(projectUid);
      else if (revision !== entry.snapshot.revision) await load(projectUid);
    } catch (error) {
      options.onError?.(error, projectUid);
    } finally {
      entry.checking = false;
    }
  }

  return {
    async get(projectUid) {
      const entry = entries.get(projectUid);
      if (entry) {
        const t = now();
        if (t - entry.checkedAt >= recheckMs && !entry.checking) {
          entry.checking = true;
          entry.checkedAt = t;
          void revalidate(projectUid, entry);
        }
        return entry.snapshot;
      }
      // A malformed uid can never name a project: no database read for it.
      if (!isUid(projectUid)) return null;
      const missedAt = unknown.get(projectUid);
      if (missedAt !== undefined && now() - missedAt < recheckMs) return null;
      return load(projectUid);
    },

    async handleChange(change) {
      if (IRRELEVANT.has(change.resource)) return;
      const exists = (await readDecisionRevision(db, change.projectUid)) !== undefined;
      if (!exists) {
        forget(change.projectUid);
        return;
      }
      await bumpDecisionRevision(db, change.projectUid);
      // Skip the in-flight dedup: a load that started before this change may hold older data.
      await build(change.projectUid);
    },

    clear() {
      entries.clear();
      unknown.clear();
    },
  };
}
