import { describe, expect, it } from 'vitest';
import type { PoolUse } from '../db/create-db.js';
import { EDGE_EVENT_REJECTIONS, type EdgeEventCounts, type ManifestCounts } from '../modules/edge/index.js';
import { createServerMetrics, type MetricSources } from './server-metrics.js';

/** Sources whose state the test changes directly, as the modules do. */
function fakeSources(overrides: Partial<MetricSources> = {}) {
  const manifests: ManifestCounts = { manifests: 0, variant: 0, noVariant: 0, excluded: 0 };
  const counts: EdgeEventCounts = { accepted: 0, rejected: Object.fromEntries(EDGE_EVENT_REJECTIONS.map((r) => [r, 0])) as EdgeEventCounts['rejected'] };
  const edgeEvents = { counts, pendingRows: 0, maxPendingRows: 50_000 };
  const revisions: Array<[string, number]> = [];
  const lag = { events: 0, seconds: 0 };
  const sources: MetricSources = {
    manifests,
    edgeEvents,
    snapshots: { heldRevisions: () => revisions },
    rollupLag: async () => ({ ...lag }),
    ...overrides,
  };
  return { sources, manifests, counts, edgeEvents, revisions, lag };
}

function line(text: string, sample: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(`${sample} `));
}

describe('server metrics', () => {
  it('reads the modules’ counters and state at each scrape, with nothing pushed', async () => {
    const metrics = createServerMetrics();
    const fake = fakeSources();
    metrics.collectFrom(fake.sources);
    expect(line(await metrics.scrape(), 'tailor_edge_manifests_total')).toBe('tailor_edge_manifests_total 0');

    fake.manifests.manifests = 3;
    fake.manifests.variant = 5;
    fake.counts.rejected.unknown_variant = 2;
    fake.edgeEvents.pendingRows = 120;
    fake.revisions.push(['0123456789abcdef01234567', 7]);
    fake.lag.events = 42;
    fake.lag.seconds = 3.5;
    const text = await metrics.scrape();
    expect(line(text, 'tailor_edge_manifests_total')).toBe('tailor_edge_manifests_total 3');
    expect(line(text, 'tailor_edge_decisions_total{outcome="variant"}')).toBe('tailor_edge_decisions_total{outcome="variant"} 5');
    expect(line(text, 'tailor_edge_decisions_total{outcome="no_variant"}')).toBe('tailor_edge_decisions_total{outcome="no_variant"} 0');
    expect(line(text, 'tailor_edge_events_rejected_total{reason="unknown_variant"}')).toBe('tailor_edge_events_rejected_total{reason="unknown_variant"} 2');
    expect(line(text, 'tailor_edge_event_queue_rows')).toBe('tailor_edge_event_queue_rows 120');
    expect(line(text, 'tailor_snapshot_revision{project_uid="0123456789abcdef01234567"}')).toContain(' 7');
    expect(line(text, 'tailor_analytics_rollup_lag_events')).toBe('tailor_analytics_rollup_lag_events 42');
    expect(line(text, 'tailor_analytics_rollup_lag_seconds')).toBe('tailor_analytics_rollup_lag_seconds 3.5');

    // A project dropped from the cache drops its series.
    fake.revisions.length = 0;
    expect(await metrics.scrape()).not.toContain('tailor_snapshot_revision{');
  });

  it('keeps each instance in its own registry', async () => {
    const [a, b] = [createServerMetrics(), createServerMetrics()];
    const [fa, fb] = [fakeSources(), fakeSources()];
    a.collectFrom(fa.sources);
    b.collectFrom(fb.sources);
    fa.manifests.manifests = 1;
    a.requestFinished('GET', '/edge/manifest', 200, 0.0004);
    const [ta, tb] = [await a.scrape(), await b.scrape()];
    expect(line(ta, 'tailor_edge_manifests_total')).toBe('tailor_edge_manifests_total 1');
    expect(line(tb, 'tailor_edge_manifests_total')).toBe('tailor_edge_manifests_total 0');
    expect(line(ta, 'tailor_http_request_duration_seconds_count{method="GET",route="/edge/manifest",status_code="200"}')).toContain(' 1');
    expect(tb).not.toContain('route="/edge/manifest"');
    // Both carry the process metrics.
    expect(ta).toContain('# TYPE process_cpu_seconds_total counter');
    expect(tb).toContain('# TYPE process_cpu_seconds_total counter');
  });

  it('records snapshot builds by kind, with durations only for those that succeeded', async () => {
    const metrics = createServerMetrics();
    metrics.collectFrom(fakeSources().sources);
    metrics.snapshotBuilt({ kind: 'full', seconds: 0.02, failed: false });
    metrics.snapshotBuilt({ kind: 'incremental', seconds: 0.003, failed: false });
    metrics.snapshotBuilt({ kind: 'full', seconds: 0.5, failed: true });
    const text = await metrics.scrape();
    expect(line(text, 'tailor_snapshot_builds_total{kind="full",result="ok"}')).toContain(' 1');
    expect(line(text, 'tailor_snapshot_builds_total{kind="full",result="failed"}')).toContain(' 1');
    expect(line(text, 'tailor_snapshot_builds_total{kind="incremental",result="ok"}')).toContain(' 1');
    expect(line(text, 'tailor_snapshot_build_duration_seconds_count{kind="full"}')).toBe('tailor_snapshot_build_duration_seconds_count{kind="full"} 1');
    expect(line(text, 'tailor_snapshot_build_duration_seconds_sum{kind="full"}')).toBe('tailor_snapshot_build_duration_seconds_sum{kind="full"} 0.02');
    expect(line(text, 'tailor_snapshot_build_duration_seconds_bucket{le="0.025",kind="full"}')).toContain(' 1');
    expect(line(text, 'tailor_snapshot_build_duration_seconds_bucket{le="0.01",kind="full"}')).toContain(' 0');
  });

  it('leaves the rollup lag out, rather than failing the scrape, when the database cannot answer', async () => {
    const metrics = createServerMetrics();
    metrics.collectFrom(fakeSources({ rollupLag: () => Promise.reject(new Error('database unreachable')) }).sources);
    const text = await metrics.scrape();
    expect(text).toContain('# TYPE tailor_analytics_rollup_lag_events gauge');
    expect(line(text, 'tailor_analytics_rollup_lag_events')).toBeUndefined();
    expect(line(text, 'tailor_analytics_rollup_lag_seconds')).toBeUndefined();
    expect(line(text, 'tailor_edge_manifests_total')).toBe('tailor_edge_manifests_total 0');
  });

  it('reads the rollup lag once per scrape for both of its gauges', async () => {
    const metrics = createServerMetrics();
    let reads = 0;
    metrics.collectFrom(
      fakeSources({
        rollupLag: async () => {
          reads += 1;
          return { events: 1, seconds: 1 };
        },
      }).sources,
    );
    await metrics.scrape();
    await metrics.scrape();
    expect(reads).toBe(2);
  });

  it('reports the connection pool only when the database has one', async () => {
    const use: PoolUse = { open: 4, idle: 1, waiting: 2, max: 10 };
    const pooled = createServerMetrics();
    pooled.collectFrom(fakeSources({ poolUse: () => use }).sources);
    const text = await pooled.scrape();
    expect(line(text, 'tailor_db_pool_connections')).toBe('tailor_db_pool_connections 4');
    expect(line(text, 'tailor_db_pool_idle_connections')).toBe('tailor_db_pool_idle_connections 1');
    expect(line(text, 'tailor_db_pool_waiting_queries')).toBe('tailor_db_pool_waiting_queries 2');
    expect(line(text, 'tailor_db_pool_max_connections')).toBe('tailor_db_pool_max_connections 10');

    const embedded = createServerMetrics();
    embedded.collectFrom(fakeSources().sources);
    expect(await embedded.scrape()).not.toContain('tailor_db_pool');
  });
});
