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
  /** A visitor recorded less than this long ago (ms) is not recorded again: the preview needs a sample, not a log. */
  minIntervalMs?: number;
  /** Rows per statement; the flush yields to the event loop between statements. */
  chunkSize?: number;
  maxPerProject?: number;
  retentionDays?: number;
  pruneEvery?: number;
  onError?: (error: unknown) => void;
}

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
  const chunkSize = deps.chunkSize ?? 200;
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
    // Small statements with a yield between them: a flush of thousands of sightings must not
    // hold the event loop (or SQLite's single connection) for the manifests waiting behind it.
    for (let i = 0; i < rows.length; i += chunkSize) {
      await upsertRecentVisitors(deps.db, rows.slice(i, i + chunkSize));
      await new Promise<void>((resolve) => setImmediate(resolve));
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
