import { decisionWork } from '@tailor/engine';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';
import type { PoolUse } from '../db/create-db.js';
import type { LimitStoreHealth } from '../limits/limit-store.js';
import type { SnapshotBuild } from '../modules/decisions/index.js';
import { EDGE_EVENT_REJECTIONS, type EdgeEventCounts, type ManifestCounts } from '../modules/edge/index.js';
import { RequestDurationHistogram } from './request-durations.js';

/** What the gauges and counters read when scraped: the state each module keeps anyway. */
export interface MetricSources {
  manifests: Readonly<ManifestCounts>;
  edgeEvents: { readonly counts: Readonly<EdgeEventCounts>; readonly pendingRows: number; readonly maxPendingRows: number };
  snapshots: { heldRevisions(): Array<[projectUid: string, revision: number]> };
  rollupLag(): Promise<{ events: number; seconds: number }>;
  /** PostgreSQL only; SQLite has one connection and no pool to report. */
  poolUse?: (() => PoolUse) | undefined;
  /** With REDIS_URL only; without it the limits are this process's own and nothing can be down. */
  limitStore?: LimitStoreHealth | null | undefined;
  /** How other processes' changes reach this one; absent when it is alone on its database. */
  changeChannel?: { readonly state: 'up' | 'down'; readonly counts: { readonly received: number; readonly losses: number } } | undefined;
}

// From a cached manifest (well under a millisecond) to a slow management call.
const REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BUILD_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type ServerMetrics = ReturnType<typeof createServerMetrics>;

/**
 * The server's Prometheus metrics (docs/metrics.md, ADR 0088), in a registry of this app's own:
 * several apps in one process (tests) never share a series. Two things are recorded as they
 * happen (a request's duration, a snapshot build); everything else is read from the modules'
 * own counters and state at scrape time, so the hot path adds nothing for them.
 */
export function createServerMetrics() {
  const registry = new Registry();
  const registers = [registry];
  let sources: MetricSources | undefined;
  let defaultsOn = false;

  const requests = new RequestDurationHistogram(REQUEST_BUCKETS);
  // Not one of prom-client's classes, but what its registry reads of one (name, help, type, get()).
  registry.registerMetric(requests as unknown as Metric);
  const builds = new Counter({
    name: 'tailor_snapshot_builds_total',
    help: 'Decision snapshots compiled by this process: full (every input read) or incremental (only the changed part), and whether the build failed.',
    labelNames: ['kind', 'result'] as const,
    registers,
  });
  const buildSeconds = new Histogram({
    name: 'tailor_snapshot_build_duration_seconds',
    help: 'Time to read a snapshot build\'s inputs and compile it, for the builds that succeeded.',
    labelNames: ['kind'] as const,
    buckets: BUILD_BUCKETS,
    registers,
  });

  new Gauge({
    name: 'tailor_snapshot_revision',
    aggregator: 'min',
    help: 'Decision revision of each project snapshot this process holds (projects it has served since start).',
    labelNames: ['project_uid'] as const,
    registers,
    collect() {
      this.reset();
      for (const [projectUid, revision] of sources?.snapshots.heldRevisions() ?? []) this.set({ project_uid: projectUid }, revision);
    },
  });
  new Counter({
    name: 'tailor_edge_manifests_total',
    help: 'Manifests served by GET /edge/manifest.',
    registers,
    collect() {
      this.reset();
      if (sources) this.inc(sources.manifests.manifests);
    },
  });
  new Counter({
    name: 'tailor_edge_decisions_total',
    help: 'Experience decisions in the manifests served: a variant chosen, no variant (the base entry), or excluded by the request\'s tag filter.',
    labelNames: ['outcome'] as const,
    registers,
    collect() {
      this.reset();
      if (!sources) return;
      const c = sources.manifests;
      this.inc({ outcome: 'variant' }, c.variant);
      this.inc({ outcome: 'no_variant' }, c.noVariant);
      this.inc({ outcome: 'excluded' }, c.excluded);
    },
  });
  new Counter({
    name: 'tailor_decision_work_exhausted_total',
    help: 'Decisions that ran out of their work budget (ADR 0080), counted for the whole process.',
    registers,
    collect() {
      this.reset();
      this.inc(decisionWork.exhaustedDecisions);
    },
  });
  new Counter({
    name: 'tailor_edge_events_accepted_total',
    help: 'Items of POST /edge/events accepted and committed.',
    registers,
    collect() {
      this.reset();
      if (sources) this.inc(sources.edgeEvents.counts.accepted);
    },
  });
  new Counter({
    name: 'tailor_edge_events_rejected_total',
    help: 'Items of POST /edge/events not stored, by reason.',
    labelNames: ['reason'] as const,
    registers,
    collect() {
      this.reset();
      if (!sources) return;
      for (const reason of EDGE_EVENT_REJECTIONS) this.inc({ reason }, sources.edgeEvents.counts.rejected[reason]);
    },
  });
  new Gauge({
    name: 'tailor_edge_event_queue_rows',
    help: 'Edge event rows accepted and waiting for the group commit (ADR 0075).',
    registers,
    collect() {
      if (sources) this.set(sources.edgeEvents.pendingRows);
    },
  });
  new Gauge({
    name: 'tailor_edge_event_queue_max_rows',
    help: 'Rows the group commit holds at most; past it POST /edge/events answers 503.',
    registers,
    collect() {
      if (sources) this.set(sources.edgeEvents.maxPendingRows);
    },
  });

  // Both rollup gauges come from one query: the collects of one scrape start in the same tick
  // and share it.
  let lag: Promise<{ events: number; seconds: number } | undefined> | null = null;
  const readLag = () =>
    (lag ??= (sources?.rollupLag() ?? Promise.resolve(undefined))
      // An unreachable database must not fail the whole scrape: the gauges are left out instead.
      .catch(() => undefined)
      .finally(() => {
        lag = null;
      }));
  new Gauge({
    name: 'tailor_analytics_rollup_lag_events',
    aggregator: 'max',
    help: 'Raw edge events not yet rolled up into analytics (counted up to 100000).',
    registers,
    async collect() {
      const read = await readLag();
      if (read) this.set(read.events);
      else this.remove();
    },
  });
  new Gauge({
    name: 'tailor_analytics_rollup_lag_seconds',
    aggregator: 'max',
    help: 'Age of the oldest raw edge event not yet rolled up; 0 when none waits.',
    registers,
    async collect() {
      const read = await readLag();
      if (read) this.set(read.seconds);
      else this.remove();
    },
  });

  new Gauge({
    name: 'tailor_limit_store_up',
    aggregator: 'min',
    help: 'Whether Redis (REDIS_URL) answers the rate limits and log-in lockouts: 1 shared, 0 counted in this process\'s memory meanwhile.',
    registers,
    collect() {
      const health = sources?.limitStore;
      if (health) this.set(health.up ? 1 : 0);
      else this.remove();
    },
  });
  new Counter({
    name: 'tailor_limit_store_fallbacks_total',
    help: 'Rate-limit and log-in lockout operations counted in this process\'s memory because Redis (REDIS_URL) did not answer.',
    registers,
    collect() {
      this.reset();
      const health = sources?.limitStore;
      if (health) this.inc(health.fallbacks);
    },
  });

  new Gauge({
    name: 'tailor_change_channel_up',
    aggregator: 'min',
    help: 'Whether other processes\' changes reach this one as they commit (1), or by the revision poll while the channel is down (0).',
    registers,
    collect() {
      const channel = sources?.changeChannel;
      if (channel) this.set(channel.state === 'up' ? 1 : 0);
      else this.remove();
    },
  });
  new Counter({
    name: 'tailor_change_announcements_received_total',
    help: 'Changes other processes announced that this one heard and applied.',
    registers,
    collect() {
      this.reset();
      const channel = sources?.changeChannel;
      if (channel) this.inc(channel.counts.received);
    },
  });
  new Counter({
    name: 'tailor_change_channel_losses_total',
    help: 'Times the change channel was lost (each followed by reconnects and a resync).',
    registers,
    collect() {
      this.reset();
      const channel = sources?.changeChannel;
      if (channel) this.inc(channel.counts.losses);
    },
  });
  let backgroundJobs: { readonly leading: boolean } | null = null;
  new Gauge({
    name: 'tailor_background_jobs_leader',
    // Workers never run the jobs; their primary reports the gauge for the instance.
    aggregator: 'omit',
    help: 'Whether this process runs the installation\'s background jobs (rollup, retention): exactly one process reports 1.',
    registers,
    collect() {
      if (backgroundJobs) this.set(backgroundJobs.leading ? 1 : 0);
      else this.remove();
    },
  });

  let clusterScrape: (() => Promise<string>) | null = null;
  // Process metrics start with the first scrape: each registration starts an event-loop
  // monitor and a GC observer that cannot be stopped, and most apps (tests) are never scraped.
  function startDefaults(): void {
    if (defaultsOn) return;
    collectDefaultMetrics({ register: registry });
    defaultsOn = true;
  }

  function registerPool(poolUse: () => PoolUse): void {
    const gauge = (name: string, help: string, read: (use: PoolUse) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(poolUse()));
        },
      });
    gauge('tailor_db_pool_connections', 'PostgreSQL connections open (idle or lent to a query).', (u) => u.open);
    gauge('tailor_db_pool_idle_connections', 'PostgreSQL connections open and idle.', (u) => u.idle);
    gauge('tailor_db_pool_waiting_queries', 'Queries waiting for a PostgreSQL connection because every one is lent.', (u) => u.waiting);
    gauge('tailor_db_pool_max_connections', 'Most PostgreSQL connections the pool opens (DATABASE_POOL_SIZE).', (u) => u.max);
  }

  return {
    registry,
    contentType: registry.contentType,

    /** This process competes to run the background jobs (workers of `serve --workers` do not). */
    watchBackgroundJobs(leadership: { readonly leading: boolean }): void {
      backgroundJobs = leadership;
    },

    /** Starts reading the modules' state; the gauges and counters that read it are empty before. */
    collectFrom(from: MetricSources): void {
      sources = from;
      if (from.poolUse) registerPool(from.poolUse);
    },

    /** One response finished (the onResponse hook): a single histogram sample. */
    requestFinished(method: string, route: string, statusCode: number, seconds: number): void {
      requests.observe(method, route, statusCode, seconds);
    },

    snapshotBuilt(build: SnapshotBuild): void {
      builds.inc({ kind: build.kind, result: build.failed ? 'failed' : 'ok' });
      if (!build.failed) buildSeconds.observe({ kind: build.kind }, build.seconds);
    },

    /**
     * In a worker of `serve --workers`: the primary asks every worker for this registry and
     * answers scrapes with the sum (gauges by their `aggregator`), so a scrape that any worker
     * answers describes the whole instance.
     */
    joinCluster(scrapeCluster: () => Promise<string>): void {
      startDefaults();
      AggregatorRegistry.setRegistries([registry]);
      // Constructing one installs prom-client's answer to the primary's requests in this worker.
      new AggregatorRegistry();
      clusterScrape = scrapeCluster;
    },

    /** The Prometheus text exposition of every metric. */
    async scrape(): Promise<string> {
      if (clusterScrape !== null) return clusterScrape();
      startDefaults();
      return registry.metrics();
    },
  };
}
