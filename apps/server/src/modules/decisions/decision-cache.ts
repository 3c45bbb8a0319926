import { performance } from 'node:perf_hooks';
import type { Db } from '../../db/create-db.js';
import type { ProjectChange } from '../../shared/change-events.js';
import { isUid } from '../../shared/ids.js';
import { loadAllInputs, type DecisionInputs, type DecisionSource } from './decision-inputs.js';
import { bumpDecisionRevision, readDecisionRevision, readDecisionRevisions } from './decision-revision-repository.js';
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
  /** Told of every snapshot compiled, for the server's metrics. */
  onBuild?: (build: SnapshotBuild) => void;
}

/** One snapshot build: its inputs read (all, or only the changed part) and compiled. */
export interface SnapshotBuild {
  kind: 'full' | 'incremental';
  /** Wall time from the first input read to the compiled snapshot. */
  seconds: number;
  failed: boolean;
}

export interface DecisionCache {
  /** The project's current snapshot, or null when the project does not exist. */
  get(projectUid: string): Promise<ProjectSnapshot | null>;
  /**
   * The snapshot when this process already holds it (same background re-check as `get`), else
   * undefined: lets the manifest answer without a promise in the usual case.
   */
  peek(projectUid: string): ProjectSnapshot | undefined;
  /**
   * The change listener: bumps the revision and installs the rebuilt snapshot before resolving.
   * Resolves to the revision the change made, or null when decisions do not depend on it.
   */
  handleChange(change: ProjectChange): Promise<number | null>;
  /** A change another process made and announced, with the revision it made (null: no decision input). */
  handleRemote(change: ProjectChange, revision: number | null): Promise<void>;
  /**
   * Re-reads every held project's revision in one query and rebuilds those that moved: after a
   * gap in the announcements (a reconnect), and as the poll while there are none.
   */
  resync(): Promise<void>;
  /** Drops everything (tests, shutdown). */
  clear(): void;
  /** The revision of each snapshot this process holds, by project uid. */
  heldRevisions(): Array<[projectUid: string, revision: number]>;
}

interface Entry {
  snapshot: ProjectSnapshot;
  checkedAt: number;
  checking: boolean;
}

/**
 * Per-process cache of compiled project snapshots (ADR 0040). Changes made in this process are
 * installed by `handleChange` before it resolves, reloading only the part that changed when no
 * other change happened in between; changes made by other processes are noticed by a revision
 * check at most once per `recheckMs` per project, in the background, so no request waits for it.
 */
export function createDecisionCache(options: DecisionCacheOptions): DecisionCache {
  const { db, source } = options;
  const recheckMs = options.recheckMs ?? 1000;
  const maxUnknown = options.maxUnknown ?? 10_000;
  const now = options.monotonicNow ?? (() => performance.now());
  const entries = new Map<string, Entry>();
  /** Unknown project uid → when it was last looked up. Insertion-ordered for cheap eviction. */
  const unknown = new Map<string, number>();
  /** Per-project chain of rebuilds: an incremental rebuild must start from its predecessor's result. */
  const queues = new Map<string, Promise<unknown>>();

  function install(snapshot: ProjectSnapshot): ProjectSnapshot {
    const current = entries.get(snapshot.projectUid);
    // A rebuild that read an older revision must not replace a newer snapshot.
    if (current && current.snapshot.revision > snapshot.revision) return current.snapshot;
    entries.set(snapshot.projectUid, { snapshot, checkedAt: now(), checking: false });
    unknown.delete(snapshot.projectUid);
    return snapshot;
  }

  function forget(projectUid: string): null {
    entries.delete(projectUid);
    if (unknown.size >= maxUnknown) {
      const oldest = unknown.keys().next().value;
      if (oldest !== undefined) unknown.delete(oldest);
    }
    unknown.delete(projectUid);
    unknown.set(projectUid, now());
    return null;
  }

  function serialized<T>(projectUid: string, task: () => Promise<T>): Promise<T> {
    const previous = queues.get(projectUid) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    queues.set(projectUid, settled);
    void settled.then(() => {
      if (queues.get(projectUid) === settled) queues.delete(projectUid);
    });
    return next;
  }

  async function timed(kind: SnapshotBuild['kind'], build: () => Promise<ProjectSnapshot>): Promise<ProjectSnapshot> {
    const started = now();
    const report = (failed: boolean) => options.onBuild?.({ kind, seconds: (now() - started) / 1000, failed });
    try {
      const snapshot = await build();
      report(false);
      return snapshot;
    } catch (error) {
      report(true);
      throw error;
    }
  }

  /** Full rebuild. Reads the revision first, then the inputs: newer data is harmless, older impossible. */
  async function rebuild(projectUid: string): Promise<ProjectSnapshot | null> {
    const revision = await readDecisionRevision(db, projectUid);
    if (revision === undefined) return forget(projectUid);
    return install(await timed('full', async () => compileProjectSnapshot(projectUid, revision, await loadAllInputs(source, projectUid))));
  }

  /** The base inputs with only the changed part reloaded. */
  async function patchInputs(base: DecisionInputs, change: ProjectChange): Promise<DecisionInputs> {
    switch (change.resource) {
      case 'attribute':
        return { ...base, customAttributes: await source.customAttributes(change.projectUid) };
      case 'audience': {
        if (change.resourceUid === null) return { ...base, audiences: await source.audiences(change.projectUid) };
        const fresh = await source.audiences(change.projectUid, [change.resourceUid]);
        return { ...base, audiences: [...base.audiences.filter((a) => a.uid !== change.resourceUid), ...fresh] };
      }
      case 'experience':
      case 'version':
      case 'priority':
        return { ...base, experiences: await source.experiences(change.projectUid) };
      default:
        return loadAllInputs(source, change.projectUid);
    }
  }

  /**
   * Installs the snapshot of `revision`, the revision `change` made. Incremental only when this
   * change is the only one since the held base: a change made in between is not described by
   * `change`, so it needs the full reload (which reads the then current revision).
   */
  async function installAfter(change: ProjectChange, revision: number): Promise<void> {
    const { projectUid } = change;
    const base = entries.get(projectUid)?.snapshot;
    // Never served here: nothing to replace; the first manifest loads what is now committed.
    if (base === undefined || base.revision >= revision) return;
    if (base.revision !== revision - 1 || change.resource === 'project') {
      await rebuild(projectUid);
      return;
    }
    install(await timed('incremental', async () => compileProjectSnapshot(projectUid, revision, await patchInputs(base.inputs, change), base)));
  }

  async function applyChange(change: ProjectChange): Promise<number | null> {
    const { projectUid } = change;
    if ((await readDecisionRevision(db, projectUid)) === undefined) {
      forget(projectUid);
      return null;
    }
    const revision = await bumpDecisionRevision(db, projectUid);
    unknown.delete(projectUid);
    await installAfter(change, revision);
    return revision;
  }

  function load(projectUid: string): Promise<ProjectSnapshot | null> {
    return serialized(projectUid, async () => entries.get(projectUid)?.snapshot ?? rebuild(projectUid));
  }

  async function revalidate(projectUid: string, entry: Entry): Promise<void> {
    try {
      const revision = await readDecisionRevision(db, projectUid);
      if (revision === undefined) forget(projectUid);
      else if (revision !== entry.snapshot.revision) await serialized(projectUid, () => rebuild(projectUid));
    } catch (error) {
      options.onError?.(error, projectUid);
    } finally {
      entry.checking = false;
    }
  }

  function peek(projectUid: string): ProjectSnapshot | undefined {
    const entry = entries.get(projectUid);
    if (entry === undefined) return undefined;
    const t = now();
    if (t - entry.checkedAt >= recheckMs && !entry.checking) {
      entry.checking = true;
      entry.checkedAt = t;
      void revalidate(projectUid, entry);
    }
    return entry.snapshot;
  }

  return {
    peek,

    async get(projectUid) {
      const held = peek(projectUid);
      if (held !== undefined) return held;
      // A malformed uid can never name a project: no database read for it.
      if (!isUid(projectUid)) return null;
      const missedAt = unknown.get(projectUid);
      if (missedAt !== undefined && now() - missedAt < recheckMs) return null;
      return load(projectUid);
    },

    async handleChange(change) {
      // Event definitions are checked against the database at ingest: not part of decisions.
      if (change.resource === 'event') return null;
      return serialized(change.projectUid, () => applyChange(change));
    },

    async handleRemote(change, revision) {
      // A project created elsewhere may have been looked up here before it existed.
      unknown.delete(change.projectUid);
      if (revision === null || !entries.has(change.projectUid)) return;
      await serialized(change.projectUid, () => installAfter(change, revision));
    },

    async resync() {
      const held = [...entries.keys()];
      const revisions = await readDecisionRevisions(db, held);
      unknown.clear();
      await Promise.all(
        held.map(async (projectUid) => {
          const entry = entries.get(projectUid);
          if (entry === undefined) return;
          const revision = revisions.get(projectUid);
          if (revision === undefined) forget(projectUid);
          else if (revision !== entry.snapshot.revision) await serialized(projectUid, () => rebuild(projectUid));
          else entry.checkedAt = now();
        }),
      );
    },

    clear() {
      entries.clear();
      unknown.clear();
    },

    heldRevisions() {
      return Array.from(entries, ([projectUid, entry]) => [projectUid, entry.snapshot.revision]);
    },
  };
}
