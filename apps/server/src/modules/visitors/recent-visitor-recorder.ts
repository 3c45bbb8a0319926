import type { Db } from '../../db/create-db.js';
import type { Clock } from '../../shared/clock.js';
import type { VisitorAttributes, VisitorPresets } from './visitor.js';
import { pruneRecentVisitors, upsertRecentVisitors, type RecentVisitorRow } from './recent-visitor-repository.js';

export interface RecentVisitorRecorder {
  /** Remembers a manifest request; written to the database at the next flush. */
  record(projectUid: string, visitorUid: string, presets: VisitorPresets, attributes: Readonly<VisitorAttributes>): void;
  /** Writes what is buffered (and prunes every `pruneEvery` flushes). */
  flush(): Promise<void>;
  /** Stops the timer and flushes. */
  close(): Promise<void>;
}

export interface RecentVisitorRecorderDeps {
  db: Db;
  clock: Clock;
  flushMs?: number;
  /** A full buffer drops new visitors until the next flush rather than grow memory without bound. */
  maxBuffered?: number;
  maxPerProject?: number;
  retentionDays?: number;
  pruneEvery?: number;
  onError?: (error: unknown) => void;
}

/**
 * The recent-visitor record for the impact preview (ADR 0044). Manifest requests only touch an
 * in-memory map (the same visitor seen twice in a second is one row write); a timer flushes it
 * every `flushMs` in one transaction. Trade-off: a crash loses at most the last second of
 * sightings, which a preview sample can afford; events and profiles are never buffered.
 */
export function createRecentVisitorRecorder(deps: RecentVisitorRecorderDeps): RecentVisitorRecorder {
  const flushMs = deps.flushMs ?? 1000;
  const maxBuffered = deps.maxBuffered ?? 20_000;
  const maxPerProject = deps.maxPerProject ?? 50_000;
  const retentionMs = (deps.retentionDays ?? 30) * 86_400_000;
  const pruneEvery = deps.pruneEvery ?? 60;
  let buffer = new Map<string, RecentVisitorRow>();
  let flushes = 0;
  let flushing: Promise<void> | null = null;
  const touched = new Set<string>();

  async function writeOut(): Promise<void> {
    const rows = [...buffer.values()];
    buffer = new Map();
    if (rows.length > 0) {
      for (const row of rows) touched.add(row.projectUid);
      await upsertRecentVisitors(deps.db, rows);
    }
    flushes += 1;
    if (flushes % pruneEvery === 0 && touched.size > 0) {
      const projects = [...touched];
      touched.clear();
      const cutoff = new Date(deps.clock.now().getTime() - retentionMs).toISOString();
      await pruneRecentVisitors(deps.db, projects, cutoff, maxPerProject);
    }
  }

  function flush(): Promise<void> {
    // One flush at a time; a flush requested during another waits for it, then runs.
    const run = (flushing ?? Promise.resolve()).then(writeOut);
    const tracked = run.catch((error: unknown) => deps.onError?.(error)).finally(() => {
      if (flushing === tracked) flushing = null;
    });
    flushing = tracked;
    return tracked;
  }

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();

  return {
    record(projectUid, visitorUid, presets, attributes) {
      const key = `${projectUid}\u0000${visitorUid}`;
      if (buffer.size >= maxBuffered && !buffer.has(key)) return;
      buffer.set(key, { projectUid, visitorUid, lastSeenAt: deps.clock.now().toISOString(), presets, attributes });
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
