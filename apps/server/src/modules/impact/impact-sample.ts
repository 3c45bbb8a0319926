import { performance } from 'node:perf_hooks';
import type { VisitorContext } from '@tailor/engine';
import type { Selectable } from 'kysely';
import type { Db } from '../../db/create-db.js';
import type { Database } from '../../db/schema.js';
import { fromJson, toIso } from '../../db/mappers.js';
import type { RecentVisitorRow, VisitorAttributes, VisitorPresets } from '../visitors/index.js';

/** One sampled visitor with its engine input prepared once (the visit time drives DATE_AND_TIME). */
export interface SampleVisitor {
  row: RecentVisitorRow;
  context: VisitorContext;
}

export interface ImpactSample {
  /** Newest first. */
  readonly visitors: readonly SampleVisitor[];
  /** What later previews may reuse (results that do not depend on the proposal), created on first use; a few keys are kept. */
  memo<T>(key: string, create: () => T): T;
}

export interface ImpactSampleOptions {
  /** Most visitors read per project: the recent-visitor record keeps at most 50,000 (ADR 0044). */
  maxVisitors?: number;
  /** Rows per statement; the read yields to the event loop between statements. */
  pageSize?: number;
  /** A sample younger than this (ms) is used as is. */
  ttlMs?: number;
  /** A sample younger than this (ms) is used while a fresh one is read in the background. */
  maxStaleMs?: number;
  /** Projects whose sample is kept in memory at once. */
  maxProjects?: number;
  monotonicNow?: () => number;
}

export interface ImpactSampleSource {
  /** The project's recent visitors, newest first. */
  get(projectUid: string): Promise<ImpactSample>;
}

const MEMOS_PER_SAMPLE = 16;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Cursor {
  seen: string;
  uid: string;
}

type RecentVisitorRecord = Selectable<Database['recent_visitors']>;

/** One page, newest first, strictly after the cursor in (last_seen_at, visitor_uid) descending order. */
function readPage(db: Db, projectUid: string, cursor: Cursor | null, limit: number): Promise<RecentVisitorRecord[]> {
  return db.kysely
    .selectFrom('recent_visitors')
    .selectAll()
    .where('project_uid', '=', projectUid)
    .$if(cursor !== null, (q) =>
      q.where((eb) => eb.or([eb('last_seen_at', '<', cursor?.seen ?? ''), eb.and([eb('last_seen_at', '=', cursor?.seen ?? ''), eb('visitor_uid', '<', cursor?.uid ?? '')])])),
    )
    .orderBy('last_seen_at', 'desc')
    .orderBy('visitor_uid', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Reads `recent_visitors` newest first in pages, yielding between statements: one 50,000-row read
 * would hold better-sqlite3 (and so every manifest) for hundreds of milliseconds. A read model over
 * the visitors module's table (house style §5), keyed like its index `(project_uid, last_seen_at)`.
 */
async function readSample(db: Db, projectUid: string, maxVisitors: number, pageSize: number): Promise<SampleVisitor[]> {
  const out: SampleVisitor[] = [];
  let after: Cursor | null = null;
  while (out.length < maxVisitors) {
    const rows: RecentVisitorRecord[] = await readPage(db, projectUid, after, Math.min(pageSize, maxVisitors - out.length));
    for (const r of rows) {
      const row: RecentVisitorRow = {
        projectUid: r.project_uid,
        visitorUid: r.visitor_uid,
        lastSeenAt: toIso(r.last_seen_at),
        presets: fromJson<VisitorPresets>(r.presets),
        attributes: fromJson<VisitorAttributes>(r.attributes),
      };
      out.push({ row, context: { attributes: row.attributes, presets: row.presets, now: Date.parse(row.lastSeenAt) } });
    }
    const last: RecentVisitorRecord | undefined = rows[rows.length - 1];
    if (last === undefined || rows.length < pageSize) break;
    after = { seen: toIso(last.last_seen_at), uid: last.visitor_uid };
    await yieldToEventLoop();
  }
  return out;
}

function sampleOf(visitors: SampleVisitor[]): ImpactSample {
  const memos = new Map<string, unknown>();
  return {
    visitors,
    memo<T>(key: string, create: () => T): T {
      if (memos.has(key)) {
        const hit = memos.get(key) as T;
        // Most recently used last: eviction takes the first key.
        memos.delete(key);
        memos.set(key, hit);
        return hit;
      }
      if (memos.size >= MEMOS_PER_SAMPLE) {
        const oldest = memos.keys().next().value;
        if (oldest !== undefined) memos.delete(oldest);
      }
      const value = create();
      memos.set(key, value);
      return value;
    },
  };
}

/**
 * A per-process cache of each project's recent-visitor sample (ADR 0070). A console user typing
 * re-runs the preview every few hundred milliseconds; re-reading 50,000 rows each time would cost
 * far more than evaluating them. A stale sample is served while a fresh one is read.
 */
export function createImpactSampleSource(db: Db, options: ImpactSampleOptions = {}): ImpactSampleSource {
  const maxVisitors = options.maxVisitors ?? 50_000;
  const pageSize = options.pageSize ?? 1000;
  const ttlMs = options.ttlMs ?? 15_000;
  const maxStaleMs = options.maxStaleMs ?? 300_000;
  const maxProjects = options.maxProjects ?? 4;
  const now = options.monotonicNow ?? (() => performance.now());
  const entries = new Map<string, { at: number; sample: Promise<ImpactSample>; refreshing: boolean }>();

  function install(projectUid: string, sample: Promise<ImpactSample>): void {
    entries.delete(projectUid);
    if (entries.size >= maxProjects) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    entries.set(projectUid, { at: now(), sample, refreshing: false });
  }

  const read = (projectUid: string) => readSample(db, projectUid, maxVisitors, pageSize).then(sampleOf);

  return {
    get(projectUid) {
      const entry = entries.get(projectUid);
      const age = entry === undefined ? Infinity : now() - entry.at;
      if (entry !== undefined && age < ttlMs) return entry.sample;
      if (entry !== undefined && age < maxStaleMs) {
        if (!entry.refreshing) {
          entry.refreshing = true;
          read(projectUid).then(
            (fresh) => install(projectUid, Promise.resolve(fresh)),
            () => {
              entry.refreshing = false;
            },
          );
        }
        return entry.sample;
      }
      // Concurrent previews of one project share one read; a failed read is not remembered.
      const sample = read(projectUid);
      install(projectUid, sample);
      // Nothing seen yet is not worth remembering: the first visitors should show up at once.
      const forget = () => {
        if (entries.get(projectUid)?.sample === sample) entries.delete(projectUid);
      };
      sample.then((s) => s.visitors.length === 0 && forget(), forget);
      return sample;
    },
  };
}
