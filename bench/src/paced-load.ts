/**
 * An open-loop load at a constant rate, for latency "at half of max throughput". autocannon's
 * `overallRate` is a per-second quota: every connection sends as fast as it can until the quota
 * is spent, then waits for the next second, so its "half load" is full load for half of each
 * second and its p99 is the full-load p99. Here requests start evenly spaced (a timer issues what
 * is due every millisecond) over a keep-alive pool, and each latency is measured from the
 * request's scheduled start, so time spent waiting for a free connection counts too (no
 * coordinated omission).
 */
import http from 'node:http';

export interface PacedFigures {
  label: string;
  total: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** GETs `url` at `rate` requests/s for `seconds`, with `headersFor(n)` for the n-th request. */
export async function pacedLoad(url: string, rate: number, seconds: number, connections: number, label: string, headersFor: (n: number) => Record<string, string>): Promise<PacedFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let issued = 0;
  let done = 0;
  const total = Math.round(rate * seconds);
  if (total <= 0) return { label, total: 0, rps: 0, p50: NaN, p99: NaN, errors: 0, non2xx: 0 };
  const start = performance.now();

  await new Promise<void>((resolve) => {
    const finish = (): void => {
      done += 1;
      if (done === total) resolve();
    };
    const send = (n: number, scheduled: number): void => {
      const request = http.get({ agent, host: target.hostname, port: target.port, path: target.pathname + target.search, headers: headersFor(n) }, (response) => {
        if (response.statusCode === undefined || response.statusCode < 200 || response.statusCode >= 300) non2xx += 1;
        response.resume();
        response.on('end', () => {
          latencies.push(performance.now() - scheduled);
          finish();
        });
      });
      request.on('error', () => {
        errors += 1;
        finish();
      });
    };
    const tick = (): void => {
      const elapsed = performance.now() - start;
      const due = Math.min(total, Math.floor((elapsed / 1000) * rate));
      for (; issued < due; issued++) send(issued, start + (issued * 1000) / rate);
      if (issued < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { label, total, rps: total / elapsed, p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)), errors, non2xx };
}
