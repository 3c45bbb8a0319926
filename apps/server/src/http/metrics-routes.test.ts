import { afterEach, describe, expect, it } from 'vitest';
import { edgeSeed, equalsRule } from '../modules/edge/edge-test-seed.js';
import { newUid } from '../shared/ids.js';
import { createTestApp, json, type TestApp } from '../test/test-app.js';
import { isPostgresRun } from '../test/test-db.js';
import { createTestProject, type TestProject } from '../test/test-project.js';

const TOKEN = 'metrics-token-0123456789';

let t: TestApp | undefined;
afterEach(async () => t?.close());

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  t = await createTestApp({ env });
  return t;
}

async function scrape(app: TestApp, headers: Record<string, string> = {}): Promise<string> {
  const response = await app.app.inject({ method: 'GET', url: '/metrics', headers });
  expect(response.statusCode).toBe(200);
  return response.body;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The exposition's sample lines (label values in this server's metrics never hold a quote or comma). */
function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        (match[2] ?? '')
          .split(',')
          .filter((pair) => pair !== '')
          .map((pair) => {
            const [key, quoted] = pair.split('=') as [string, string];
            return [key, JSON.parse(quoted) as string];
          }),
      );
      return { name: match[1] as string, labels, value: Number(match[3]) };
    });
}

/** The one sample of `name` whose labels include `labels`; undefined when there is none. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples(text).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

function postEvents(app: TestApp, project: TestProject, payload: unknown, visitor = 'visitor-1') {
  return app.app.inject({
    method: 'POST',
    url: '/edge/events',
    headers: { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': visitor, 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
}

describe('GET /metrics', () => {
  it('answers the Prometheus text format with every Tailor metric, uncached', async () => {
    const app = await start();
    const response = await app.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const text = response.body;
    for (const [name, type] of [
      ['tailor_http_request_duration_seconds', 'histogram'],
      ['tailor_edge_manifests_total', 'counter'],
      ['tailor_edge_decisions_total', 'counter'],
      ['tailor_decision_work_exhausted_total', 'counter'],
      ['tailor_snapshot_builds_total', 'counter'],
      ['tailor_snapshot_build_duration_seconds', 'histogram'],
      ['tailor_snapshot_revision', 'gauge'],
      ['tailor_edge_events_accepted_total', 'counter'],
      ['tailor_edge_events_rejected_total', 'counter'],
      ['tailor_edge_event_queue_rows', 'gauge'],
      ['tailor_edge_event_queue_max_rows', 'gauge'],
      ['tailor_analytics_rollup_lag_events', 'gauge'],
      ['tailor_analytics_rollup_lag_seconds', 'gauge'],
      ['process_cpu_seconds_total', 'counter'],
      ['process_resident_memory_bytes', 'gauge'],
      ['nodejs_eventloop_lag_p99_seconds', 'gauge'],
    ] as const) {
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
      expect(text).toContain(`\n# TYPE ${name} ${type}\n`);
    }
    expect(value(text, 'tailor_edge_event_queue_rows')).toBe(0);
    expect(value(text, 'tailor_edge_event_queue_max_rows')).toBe(50_000);
    expect(value(text, 'tailor_edge_events_rejected_total', { reason: 'unknown_event_key' })).toBe(0);
  });

  it('reports the PostgreSQL pool, and no pool on SQLite', async () => {
    const text = await scrape(await start());
    if (isPostgresRun()) {
      // The scrape's own rollup-lag query holds or awaits a connection meanwhile.
      const open = value(text, 'tailor_db_pool_connections') ?? -1;
      expect(open).toBeGreaterThanOrEqual(1);
      expect(open).toBeLessThanOrEqual(5);
      expect(value(text, 'tailor_db_pool_idle_connections')).toBeLessThanOrEqual(open);
      expect(value(text, 'tailor_db_pool_waiting_queries')).toBeGreaterThanOrEqual(0);
      expect(value(text, 'tailor_db_pool_max_connections')).toBe(5);
    } else {
      expect(text).not.toContain('tailor_db_pool');
    }
  });

  it('counts each response under its route pattern and status, never its raw URL', async () => {
    const app = await start();
    const project = await createTestProject(app);
    const audience = newUid();
    const headers = project.headersFor(app.owner);
    expect((await app.app.inject({ method: 'GET', url: `/api/audiences/${audience}`, headers })).statusCode).toBe(404);
    expect((await app.app.inject({ method: 'GET', url: '/api/audiences', headers })).statusCode).toBe(200);
    expect((await app.app.inject({ method: 'GET', url: `/no/such/${audience}` })).statusCode).toBe(404);
    const text = await scrape(app);
    const count = (labels: Record<string, string>) => value(text, 'tailor_http_request_duration_seconds_count', labels);
    expect(count({ method: 'GET', route: '/api/audiences/:uid', status_code: '404' })).toBe(1);
    expect(count({ method: 'GET', route: '/api/audiences', status_code: '200' })).toBe(1);
    expect(count({ method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    expect(value(text, 'tailor_http_request_duration_seconds_bucket', { route: '/api/audiences', status_code: '200', le: '+Inf' })).toBe(1);
    expect(text).not.toContain(audience);
  });

  it('counts manifests, their decisions by outcome, and the snapshot builds behind them', async () => {
    const app = await start();
    const project = await createTestProject(app);
    const seed = edgeSeed(app, project);
    const plan = await seed.attribute('plan');
    const gold = await seed.audience('Gold', equalsRule(plan, 'gold'));
    await seed.segmented('Home banner', [{ name: 'Gold', audiences: [gold] }], ['home']);
    const manifest = (live: string, query = '') =>
      app.app.inject({ method: 'GET', url: `/edge/manifest${query}`, headers: { 'x-project-uid': project.uid, 'x-live-attributes': live } });

    const before = await scrape(app);
    expect(value(before, 'tailor_edge_manifests_total')).toBe(0);
    expect(value(before, 'tailor_snapshot_revision', { project_uid: project.uid })).toBeUndefined();

    expect(json<{ experiences: Array<{ activeVariantShortUid: string | null }> }>(await manifest('{"plan":"gold"}')).experiences[0]?.activeVariantShortUid).toBe('0');
    expect((await manifest('{"plan":"silver"}')).statusCode).toBe(200);
    expect((await manifest('{"plan":"gold"}', '?tags[]=checkout')).statusCode).toBe(200);
    const after = await scrape(app);
    expect(value(after, 'tailor_edge_manifests_total')).toBe(3);
    expect(value(after, 'tailor_edge_decisions_total', { outcome: 'variant' })).toBe(1);
    expect(value(after, 'tailor_edge_decisions_total', { outcome: 'no_variant' })).toBe(1);
    expect(value(after, 'tailor_edge_decisions_total', { outcome: 'excluded' })).toBe(1);
    expect(value(after, 'tailor_http_request_duration_seconds_count', { route: '/edge/manifest', status_code: '200' })).toBe(3);
    // The first manifest loaded the project's snapshot whole.
    expect(value(after, 'tailor_snapshot_builds_total', { kind: 'full', result: 'ok' })).toBe(1);
    expect(value(after, 'tailor_snapshot_build_duration_seconds_count', { kind: 'full' })).toBe(1);
    const revision = value(after, 'tailor_snapshot_revision', { project_uid: project.uid });
    expect(revision).toBeGreaterThan(0);

    // An edit while the snapshot is held reloads only the audience.
    await seed.updateAudience(gold, equalsRule(plan, 'platinum'));
    const edited = await scrape(app);
    expect(value(edited, 'tailor_snapshot_builds_total', { kind: 'incremental', result: 'ok' })).toBe(1);
    expect(value(edited, 'tailor_snapshot_revision', { project_uid: project.uid })).toBe((revision ?? 0) + 1);
  });

  it('counts edge events accepted and rejected by reason, and the rollup lag they leave', async () => {
    const app = await start();
    const project = await createTestProject(app);
    const seed = edgeSeed(app, project);
    await seed.event('signup');

    const stored = await postEvents(app, project, [
      { type: 'EVENT', eventKey: 'signup' },
      { type: 'EVENT', eventKey: 'no-such-key' },
      { type: 'IMPRESSION', experienceShortUid: 'zz', variantShortUid: '0' },
    ]);
    expect(stored.statusCode).toBe(400);
    expect(json(stored)).toMatchObject({ error: 'personalize.EVENTS.PARTIALLY_REJECTED', accepted: 1 });
    const unknownProject = await app.app.inject({
      method: 'POST',
      url: '/edge/events',
      headers: { 'x-project-uid': newUid(), 'x-cs-personalize-user-uid': 'visitor-1', 'content-type': 'application/json' },
      payload: JSON.stringify([{ type: 'EVENT', eventKey: 'signup' }, { type: 'EVENT', eventKey: 'signup' }]),
    });
    expect(unknownProject.statusCode).toBe(404);

    // Within the rollup worker's 2 s settle margin, so its background loop leaves the event alone.
    app.clock.advance(1_500);
    const text = await scrape(app);
    expect(value(text, 'tailor_edge_events_accepted_total')).toBe(1);
    expect(value(text, 'tailor_edge_events_rejected_total', { reason: 'unknown_event_key' })).toBe(1);
    expect(value(text, 'tailor_edge_events_rejected_total', { reason: 'unknown_experience' })).toBe(1);
    expect(value(text, 'tailor_edge_events_rejected_total', { reason: 'unknown_project' })).toBe(2);
    expect(value(text, 'tailor_edge_events_rejected_total', { reason: 'overloaded' })).toBe(0);
    expect(value(text, 'tailor_http_request_duration_seconds_count', { method: 'POST', route: '/edge/events', status_code: '400' })).toBe(1);
    // Not rolled up yet: the stored event is the backlog, received 1.5 s before the clock's now.
    expect(value(text, 'tailor_analytics_rollup_lag_events')).toBe(1);
    expect(value(text, 'tailor_analytics_rollup_lag_seconds')).toBe(1.5);

    app.clock.advance(1_000);
    await app.app.services.analytics.catchUp();
    const caughtUp = await scrape(app);
    expect(value(caughtUp, 'tailor_analytics_rollup_lag_events')).toBe(0);
    expect(value(caughtUp, 'tailor_analytics_rollup_lag_seconds')).toBe(0);
  });

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const app = await start({ METRICS_TOKEN: TOKEN });
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }]) {
      const response = await app.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(json(response)).toEqual({ error: 'personalize.METRICS.UNAUTHORIZED', message: expect.stringContaining('Bearer') });
      expect(response.body).not.toContain('tailor_');
    }
    expect(await scrape(app, { authorization: `Bearer ${TOKEN}` })).toContain('# TYPE tailor_edge_manifests_total counter');
  });

  it('is open without METRICS_TOKEN, and stays outside the OpenAPI documents', async () => {
    const app = await start();
    expect(await scrape(app)).toContain('tailor_edge_manifests_total');
    for (const url of ['/api/openapi', '/edge/openapi']) {
      const document = await app.app.inject({ method: 'GET', url });
      expect(document.statusCode).toBe(200);
      expect(Object.keys(json<{ paths: Record<string, unknown> }>(document).paths).filter((path) => path.includes('metrics'))).toEqual([]);
    }
  });
});
