import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EDGE_EVENT_REJECTIONS } from '../modules/edge/index.js';
import { createServerMetrics } from './server-metrics.js';

const DASHBOARD = fileURLToPath(new URL('../../../../deploy/grafana/tailor-dashboard.json', import.meta.url));

// PromQL's own words that may appear in the dashboard's queries; any other name must be a metric.
const PROMQL_WORDS = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'rate',
  'increase',
  'histogram_quantile',
  'label_values',
  'by',
  'without',
]);

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr: string; datasource?: { uid: string } }>;
}

interface Dashboard {
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query: string | { query: string } }> };
}

const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as Dashboard;

/** Every PromQL expression of the dashboard: panel queries and query variables. */
function expressions(): string[] {
  const targets = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  const variables = dashboard.templating.list.filter((v) => v.type === 'query').map((v) => (typeof v.query === 'string' ? v.query : v.query.query));
  return [...targets, ...variables];
}

/** The metric names an expression reads: what is left once strings, label matchers, ranges and grouping labels are gone. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without)\s*\([^)]*\)/g, '$1');
  const words = bare.match(/(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  // label_values(metric, label): its last argument is a label.
  const labelArgument = /label_values\([^,]*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)/.exec(bare)?.[1];
  return words.filter((w) => !PROMQL_WORDS.has(w) && w !== labelArgument);
}

/** The series names a scrape of the registry can hold: a histogram's `_bucket`, `_sum`, `_count`. */
async function exposedNames(): Promise<Set<string>> {
  const metrics = createServerMetrics();
  metrics.collectFrom({
    manifests: { manifests: 0, variant: 0, noVariant: 0, excluded: 0 },
    edgeEvents: { counts: { accepted: 0, rejected: Object.fromEntries(EDGE_EVENT_REJECTIONS.map((r) => [r, 0])) as never }, pendingRows: 0, maxPendingRows: 1 },
    snapshots: { heldRevisions: () => [] },
    rollupLag: async () => ({ events: 0, seconds: 0 }),
    // As on PostgreSQL, whose pool the dashboard also shows.
    poolUse: () => ({ open: 0, idle: 0, waiting: 0, max: 1 }),
  });
  const names = new Set<string>();
  for (const [, name, type] of (await metrics.scrape()).matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (type === 'histogram' || type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    names.add(name as string);
  }
  return names;
}

describe('the Grafana dashboard', () => {
  it('reads only metrics the server exposes', async () => {
    const exposed = await exposedNames();
    const used = expressions().flatMap(metricNames);
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('shows every Tailor metric', async () => {
    const used = new Set(expressions().flatMap(metricNames).map((name) => name.replace(/_(bucket|sum|count)$/, '')));
    const tailor = [...(await exposedNames())].filter((name) => name.startsWith('tailor_') && !/_(bucket|sum|count)$/.test(name));
    expect(tailor.filter((name) => !used.has(name))).toEqual([]);
  });

  it('queries its templated Prometheus data source in every panel', () => {
    const source = dashboard.templating.list.find((v) => v.name === 'DS_PROMETHEUS');
    expect(source).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(10);
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
  });

  it('finds the metric names in a query, and only them', () => {
    expect(
      metricNames('histogram_quantile(0.99, sum by (le, route) (rate(tailor_http_request_duration_seconds_bucket{route=~"$route", x="a{b}"}[$__rate_interval])))'),
    ).toEqual(['tailor_http_request_duration_seconds_bucket']);
    expect(metricNames('label_values(tailor_edge_manifests_total, instance)')).toEqual(['tailor_edge_manifests_total']);
    expect(metricNames('sum(rate(tailor_edge_manifest_total[5m])) / 1e3')).toEqual(['tailor_edge_manifest_total']);
  });
});
