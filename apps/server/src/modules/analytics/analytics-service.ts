import type { Db } from '../../db/create-db.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Actor } from '../identity/index.js';
import { assertUidFormat, authorizeProject } from '../projects/index.js';
import {
  audienceAnnotations,
  eventKeysByUid,
  findAnalysedExperience,
  type AnalysedExperience,
  type AnalysedVersion,
} from './analytics-read-model.js';
import { versionBuckets, versionTotals } from './analytics-repository.js';
import { createRetentionJob, DEFAULT_RETENTION_MONTHS, retentionCutoff } from './retention.js';
import { readBacklog } from './rollup-repository.js';
import { createRollupWorker, DEFAULT_ROLLUP_OPTIONS, type RollupWorkerOptions } from './rollup-worker.js';
import { buildSummary } from './summary.js';
import { bucketStarts, buildSeries, countBuckets, MAX_POINTS } from './time-series.js';

export const SUMMARY_NOT_FOUND = 'personalize.ANALYTICS.SUMMARY_NOT_FOUND';
export const TIME_SERIES_NOT_FOUND = 'personalize.ANALYTICS.TIME_SERIES_ANALYTICS_NOT_FOUND';
const EXPERIENCE_NOT_FOUND = 'personalize.EXPERIENCES.NOT_FOUND';
const REQUEST_BATCHES = 5;
/** Most backlog events the rollup lag counts (a bounded index scan per scrape). */
export const ROLLUP_LAG_CAP = 100_000;

export interface AnalyticsServiceDeps {
  db: Db;
  clock: Clock;
  /** Rolling window of raw events and rollups; 6 months unless configured. */
  retentionMonths?: number;
  rollup?: Partial<RollupWorkerOptions>;
  retentionIntervalMs?: number;
}

export interface TimeSeriesQuery {
  version?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  interval: 'day' | 'hour';
}

function parseInstant(value: string, path: string): number {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) {
    throw ValidationError.single(path, `Expected an ISO-8601 date or date-time, received ${JSON.stringify(value.slice(0, 64))}.`);
  }
  return ms;
}

/**
 * The version a request analyses: the one named, else the active one, else the most recently
 * activated. Naming a version of another experience is bad input (400), like a malformed one.
 */
function resolveVersion(experience: AnalysedExperience, versionUid: string | undefined, notFoundCode: string): AnalysedVersion {
  if (versionUid !== undefined) {
    const named = experience.versions.find((v) => v.uid === versionUid);
    if (!named) throw ValidationError.single('version', `Version ${versionUid} is not a version of experience ${experience.uid}.`);
    return named;
  }
  const chosen =
    experience.versions.find((v) => v.status === 'ACTIVE') ??
    experience.versions.filter((v) => v.activatedAt !== null).sort((a, b) => (a.activatedAt! < b.activatedAt! ? 1 : -1))[0];
  if (!chosen) throw new NotFoundError(notFoundCode, `Experience ${experience.uid} has never been activated, so it has no analytics yet.`);
  return chosen;
}

export function createAnalyticsService(deps: AnalyticsServiceDeps) {
  const { db, clock } = deps;
  const months = deps.retentionMonths ?? DEFAULT_RETENTION_MONTHS;
  const worker = createRollupWorker({ db, clock }, { ...DEFAULT_ROLLUP_OPTIONS, ...deps.rollup });
  const retention = createRetentionJob({ db, clock, months, ...(deps.retentionIntervalMs ? { intervalMs: deps.retentionIntervalMs } : {}) });

  async function load(actor: Actor, projectUid: string, experienceUid: string, versionUid: string | undefined, notFoundCode: string) {
    await authorizeProject(db.kysely, actor, projectUid, 'read');
    assertUidFormat(experienceUid, 'uid');
    const experience = await findAnalysedExperience(db.kysely, projectUid, experienceUid);
    if (!experience) throw new NotFoundError(EXPERIENCE_NOT_FOUND, `Experience ${experienceUid} was not found in this project.`);
    const version = resolveVersion(experience, versionUid, notFoundCode);
    // Answers include everything received until a moment ago (the worker's settle margin), or,
    // behind a large backlog, up to where the worker stands: a request does a bounded share.
    const { collectedUpTo } = await worker.catchUp({ maxBatches: REQUEST_BATCHES });
    const keys = await eventKeysByUid(db.kysely, projectUid, version.metrics.map((m) => m.eventUid));
    return {
      experience,
      version,
      period: {
        versionUid: version.uid,
        versionNumber: version.number,
        status: version.status,
        activatedAt: version.activatedAt,
        endedAt: version.archivedAt,
        dataCollectedAt: collectedUpTo,
      },
      metrics: version.metrics.map((m) => ({ event: m.eventUid, key: keys.get(m.eventUid) ?? null, primary: m.primary })),
    };
  }

  return {
    /** Per variant: unique impressions, unique attributed conversions per metric, P2BB, lift, SRM, winner. */
    async summary(actor: Actor, projectUid: string, experienceUid: string, versionUid: string | undefined) {
      const { experience, version, period, metrics } = await load(actor, projectUid, experienceUid, versionUid, SUMMARY_NOT_FOUND);
      const totals = await versionTotals(db.kysely, version.uid);
      if (totals.length === 0) throw new NotFoundError(SUMMARY_NOT_FOUND, `Version ${version.uid} of experience ${experience.uid} has no analytics data yet.`);
      return { experienceUid: experience.uid, type: experience.type, period, metrics, ...buildSummary({ type: experience.type, version, totals, now: clock.now() }) };
    },

    /** Zero-filled buckets per variant over [from, to), with the audience edits made in that range. */
    async timeSeries(actor: Actor, projectUid: string, experienceUid: string, query: TimeSeriesQuery) {
      const { experience, version, period, metrics } = await load(actor, projectUid, experienceUid, query.version, TIME_SERIES_NOT_FOUND);
      const now = clock.now().getTime();
      const cutoff = retentionCutoff(clock.now(), months).getTime();
      const to = query.to === undefined ? now : parseInstant(query.to, 'to');
      const defaultFrom = Math.max(cutoff, version.activatedAt ? Date.parse(version.activatedAt) : to - 30 * 86_400_000);
      const from = query.from === undefined ? Math.min(defaultFrom, to) : parseInstant(query.from, 'from');
      const issues: Array<{ path: string; message: string }> = [];
      if (from > to) issues.push({ path: 'from', message: `Expected from to be at or before to (${new Date(to).toISOString()}), received ${new Date(from).toISOString()}.` });
      if (from < cutoff) {
        issues.push({
          path: 'from',
          message: `Expected a start within the ${months}-month retention window (at or after ${new Date(cutoff).toISOString()}), received ${new Date(from).toISOString()}.`,
        });
      }
      if (issues.length > 0) throw new ValidationError(issues);
      const points = countBuckets(from, to, query.interval);
      if (points > MAX_POINTS) {
        throw ValidationError.single('interval', `The range holds ${points} ${query.interval} buckets; at most ${MAX_POINTS} points are returned. Narrow the range or use a coarser interval.`);
      }
      const starts = bucketStarts(from, to, query.interval);
      const fromIso = new Date(starts[0] ?? from).toISOString();
      const toIso = new Date(to).toISOString();
      const rows = await versionBuckets(db.kysely, version.uid, query.interval, fromIso, toIso);
      if (rows.length === 0) {
        throw new NotFoundError(TIME_SERIES_NOT_FOUND, `Version ${version.uid} of experience ${experience.uid} has no analytics data between ${fromIso} and ${toIso}.`);
      }
      return {
        experienceUid: experience.uid,
        period,
        interval: query.interval,
        from: fromIso,
        to: toIso,
        metrics,
        variants: buildSeries(version, rows, starts),
        annotations: await audienceAnnotations(db.kysely, projectUid, version.uid, fromIso, toIso),
      };
    },

    /** Rolls up every event received until a moment ago; the summary endpoints call it first. */
    catchUp: (limits?: { maxBatches?: number }) => worker.catchUp(limits),
    /**
     * How far the rollups are behind: raw events not yet rolled up (at most ROLLUP_LAG_CAP are
     * counted) and the age of the oldest of them, 0 when there is none. Events younger than the
     * worker's settle margin always wait (ADR 0050), so a few seconds is the normal reading.
     */
    async rollupLag(): Promise<{ events: number; seconds: number }> {
      const backlog = await readBacklog(db.kysely, ROLLUP_LAG_CAP);
      const oldest = backlog.oldestReceivedAt === null ? null : Date.parse(backlog.oldestReceivedAt);
      return { events: backlog.events, seconds: oldest === null ? 0 : Math.max(0, clock.now().getTime() - oldest) / 1000 };
    },

    /** Drops data older than the retention window; also run hourly once started. */
    dropExpired: () => retention.dropExpired(),
    retentionMonths: months,

    /** Starts the rollup loop and the retention timer (the app calls this when ready). */
    start(onError: (error: unknown) => void): void {
      worker.start(onError);
      retention.start(onError);
    },
    /** Stops both and waits for a running batch to commit (the app calls this on close). */
    async stop(): Promise<void> {
      await worker.stop();
      await retention.stop();
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
