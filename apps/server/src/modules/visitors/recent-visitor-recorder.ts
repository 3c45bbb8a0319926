import type { Db } from '../../db/create-db.js';
import type { Clock } from '../../shared/clock.js';
import type { VisitorAttributes, VisitorPresets } from './visitor.js';
import {
  deleteExpiredRecentVisitors,
  deleteRecentVisitorsSeenBy,
  findRecentVisitorCutoff,
  upsertRecentVisitors,
  type RecentVisitorRow,
} from './recent-visitor-repository.js';

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
  /** A visitor recorded less than this long ago (ms) is not recorded again: the preview needs a sample, not a log. */
  minIntervalMs?: number;
  /** Sightings per upsert; the flush yields to the event loop between statements. */
  chunkSize?: number;
  /** Rows per pruning delete, likewise. */
  deleteChunkSize?: number;
  maxPerProject?: number;
  retentionDays?: number;
  pruneEvery?: number;
  onError?: (error: unknown) => void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The recent-visitor record for the impact preview (ADR 0044). Manifest requests only touch an
 * in-memory map, and a visitor is recorded at most once per `minIntervalMs`; a timer flushes the
 * map every `flushMs` in small statements. Trade-off: a crash loses at most the last second of
 * sightings, and `lastSeenAt` is up to a minute early, which a preview sample can afford;
 * events and profiles are never buffered.
 */
export function createRecentVisitorRecorder(deps: RecentVisitorRecorderDeps): RecentVisitorRecorder {
  const flushMs = deps.flushMs ?? 1000;
  const maxBuffered = deps.maxBuffered ?? 20_000;
  const maxPerProject = deps.maxPerProject ?? 50_000;
  const retentionMs = (deps.retentionDays ?? 30) * 86_400_000;
  const pruneEvery = deps.pruneEvery ?? 60;
  const minIntervalMs = deps.minIntervalMs ?? 60_000;
  const chunkSize = deps.chunkSize ?? 50;
  const deleteChunkSize = deps.deleteChunkSize ?? 200;
  let buffer = new Map<string, RecentVisitorRow>();
  /** Visitor → when last recorded (clock ms); insertion-ordered, bounded like the buffer's window. */
  const recorded = new Map<string, number>();
  const maxRecorded = maxBuffered * 5;
  let flushes = 0;
  let flushing: Promise<void> | null = null;
  const touched = new Set<string>();

  async function writeOut(): Promise<void> {
    const rows = [...buffer.values()];
    buffer = new Map();
    for (const row of rows) touched.add(row.projectUid);
    // Small statements with a yield between them: on SQLite each one holds the event loop (and
    // the single connection), so a flush of thousands of sightings must not run as one block
    // ahead of the manifests waiting behind it.
    for (let i = 0; i < rows.length; i += chunkSize) {
      await upsertRecentVisitors(deps.db, rows.slice(i, i + chunkSize));
      await nextTurn();
    }
    flushes += 1;
    if (flushes % pruneEvery === 0) await prune();
  }

  /** Retention, then each recently written project's cap, in bounded deletes with a yield between them. */
  async function prune(): Promise<void> {
    const cutoff = new Date(deps.clock.now().getTime() - retentionMs).toISOString();
    while ((await deleteExpiredRecentVisitors(deps.db, cutoff, deleteChunkSize)) === deleteChunkSize) await nextTurn();
    const projects = [...touched];
    touched.clear();
    for (const projectUid of projects) {
      const seenBy = await findRecentVisitorCutoff(deps.db, projectUid, maxPerProject);
      if (seenBy === undefined) continue;
      while ((await deleteRecentVisitorsSeenBy(deps.db, projectUid, seenBy, deleteChunkSize)) === deleteChunkSize) await nextTurn();
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

  // A tick during a slow flush is skipped rather than queued behind it: the next tick takes everything buffered meanwhile.
  const timer = setInterval(() => {
    if (flushing === null) void flush();
  }, flushMs);
  timer.unref();

  return {
    record(projectUid, visitorUid, presets, attributes) {
      const key = `${projectUid}\u0000${visitorUid}`;
      const now = deps.clock.now().getTime();
      const last = recorded.get(key);
      if (last !== undefined && now - last < minIntervalMs) return;
      if (buffer.size >= maxBuffered && !buffer.has(key)) return;
      buffer.set(key, { projectUid, visitorUid, lastSeenAt: new Date(now).toISOString(), presets, attributes });
      recorded.delete(key);
      if (recorded.size >= maxRecorded) {
        const oldest = recorded.keys().next().value;
        if (oldest !== undefined) recorded.delete(oldest);
      }
      recorded.set(key, now);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
