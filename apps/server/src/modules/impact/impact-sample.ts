import { performance } from 'node:perf_hooks';
import type { Db } from '../../db/create-db.js';
import { listRecentVisitors, type RecentVisitorRow } from '../visitors/index.js';

export interface ImpactSampleOptions {
  /** Most visitors read per project: the recent-visitor record keeps at most 50,000 (ADR 0044). */
  maxVisitors?: number;
  /** How long (ms) a read sample is reused: previews refresh on every edit, the record changes slowly. */
  ttlMs?: number;
  /** Projects whose sample is kept in memory at once. */
  maxProjects?: number;
  monotonicNow?: () => number;
}

export interface ImpactSampleSource {
  /** The project's recent visitors, newest first, from memory when read less than `ttlMs` ago. */
  get(projectUid: string): Promise<readonly RecentVisitorRow[]>;
}

/**
 * A short-lived per-process cache of each project's recent-visitor sample (ADR 0070). A console
 * user typing re-runs the preview every few hundred milliseconds; re-reading 50,000 rows each
 * time would cost the database and the event loop far more than evaluating them.
 */
export function createImpactSampleSource(db: Db, options: ImpactSampleOptions = {}): ImpactSampleSource {
  const maxVisitors = options.maxVisitors ?? 50_000;
  const ttlMs = options.ttlMs ?? 15_000;
  const maxProjects = options.maxProjects ?? 4;
  const now = options.monotonicNow ?? (() => performance.now());
  const entries = new Map<string, { at: number; rows: Promise<readonly RecentVisitorRow[]> }>();

  return {
    get(projectUid) {
      const hit = entries.get(projectUid);
      if (hit && now() - hit.at < ttlMs) return hit.rows;
      entries.delete(projectUid);
      if (entries.size >= maxProjects) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      // Concurrent previews of one project share one read; a failed read is not remembered.
      const rows = listRecentVisitors(db, projectUid, maxVisitors);
      const entry = { at: now(), rows };
      entries.set(projectUid, entry);
      rows.catch(() => {
        if (entries.get(projectUid) === entry) entries.delete(projectUid);
      });
      return rows;
    },
  };
}
