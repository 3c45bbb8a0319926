import { Histogram, Registry, type Metric } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestDurationHistogram } from './request-durations.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];

/** Sample lines with their labels sorted, so that two expositions compare regardless of label order. */
function normalized(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = (match[2] ?? '').split(',').filter(Boolean).sort().join(',');
      return `${match[1]}{${labels}} ${match[3]}`;
    })
    .sort();
}

describe('RequestDurationHistogram', () => {
  it('exposes exactly what prom-client’s Histogram exposes for the same observations', async () => {
    const ours = new RequestDurationHistogram(BUCKETS);
    const oursRegistry = new Registry();
    oursRegistry.registerMetric(ours as unknown as Metric);
    const referenceRegistry = new Registry();
    const reference = new Histogram({
      name: 'tailor_http_request_duration_seconds',
      help: ours.help,
      labelNames: ['method', 'route', 'status_code'],
      buckets: BUCKETS,
      registers: [referenceRegistry],
    });
    const observations: Array<[string, string, number, number]> = [
      ['GET', '/edge/manifest', 200, 0.0004],
      ['GET', '/edge/manifest', 200, 0.001],
      ['GET', '/edge/manifest', 200, 0.0100001],
      ['GET', '/edge/manifest', 404, 0.002],
      ['HEAD', '/edge/manifest', 200, 0.0002],
      ['POST', '/edge/events', 503, 3],
      ['GET', 'unmatched', 404, 0.05],
    ];
    for (const [method, route, status, seconds] of observations) {
      ours.observe(method, route, status, seconds);
      reference.observe({ method, route, status_code: status }, seconds);
    }
    const text = await oursRegistry.metrics();
    expect(normalized(text)).toEqual(normalized(await referenceRegistry.metrics()));
    // 5 series, each with its buckets, +Inf, sum and count.
    expect(normalized(text)).toHaveLength(5 * (BUCKETS.length + 3));
    expect(text).toContain('# TYPE tailor_http_request_duration_seconds histogram');
  });

  it('counts a duration equal to a bound in that bound’s bucket', async () => {
    const histogram = new RequestDurationHistogram(BUCKETS);
    histogram.observe('GET', '/healthz', 200, 0.01);
    const { values } = await histogram.get();
    const bucket = (le: number | string) => values.find((v) => v.metricName.endsWith('_bucket') && v.labels.le === le)?.value;
    expect([bucket(0.001), bucket(0.01), bucket(1), bucket('+Inf')]).toEqual([0, 1, 1, 1]);
    expect(values.find((v) => v.metricName.endsWith('_sum'))?.value).toBe(0.01);
  });

  it('forgets every series on reset', async () => {
    const histogram = new RequestDurationHistogram(BUCKETS);
    histogram.observe('GET', '/healthz', 200, 0.01);
    histogram.reset();
    expect((await histogram.get()).values).toEqual([]);
  });
});
