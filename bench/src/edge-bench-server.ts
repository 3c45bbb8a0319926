/**
 * The server side of the edge benchmark, run in its own process so the load generator never
 * shares its event loop: builds the real app over a temporary SQLite DATA_DIR, seeds a project
 * through the Management API (100 active experiences, half A/B; 300 audiences of 3–12 rules;
 * 10,000 visitor profiles), adds a bare route returning a static body as large as a manifest,
 * listens on loopback and reports what the load generator needs over IPC.
 *
 * It runs the built server (`apps/server/dist`, as `npm start` does) and, forked without the
 * `source` condition, the packages' dist too. Under tsx every function the engine creates while
 * compiling a snapshot gets a `__name` call, which made each audience edit (the request, its
 * snapshot rebuild included) about 50 % slower than in production.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../apps/server/dist/app.js';
import { loadConfig } from '../../apps/server/dist/config.js';
import { createDb } from '../../apps/server/dist/db/create-db.js';
import { toJson } from '../../apps/server/dist/db/mappers.js';
import { migrateToLatest } from '../../apps/server/dist/db/migrator.js';
import { compileProjectSnapshot, type ProjectSnapshot } from '../../apps/server/dist/modules/decisions/index.js';
import { answerBenchMessages } from './bench-child.js';
import { ATTRIBUTES, attributeKey, attributeValue, benchDefinition } from './edge-bench-audiences.js';
import { probeDefinition } from './edge-bench-probe.js';
import { prng } from './stats.js';

export interface BenchServerReady {
  type: 'ready';
  port: number;
  projectUid: string;
  authtoken: string;
  probeAudienceUid: string;
  probeAttributeUid: string;
  probeShortUid: string;
  /** The seeded audiences (not the probe's) and attributes, for the edits made under load. */
  audienceUids: string[];
  attributeUids: string[];
  manifestBytes: number;
  seedSeconds: number;
}

/** The server's snapshot builds so far by kind (its tailor_snapshot_build_duration_seconds), answering 'builds'. */
export interface BenchServerBuilds {
  type: 'builds';
  builds: Record<'full' | 'incremental', { count: number; seconds: number }>;
}

/** Compile times of the seeded project in this process, ms per compile, answering 'compile-times'. */
export interface BenchServerCompileTimes {
  type: 'compile-times';
  audiences: number;
  experiences: number;
  full: { median: number; p99: number };
  /** One audience replaced by a new definition, derived from the snapshot this process holds. */
  incremental: { median: number; p99: number };
}

const AUDIENCES = 300;
const EXPERIENCES = 100;
const VISITORS = 10_000;
/** Full and incremental compiles of the seeded project timed in this process, after the load runs. */
const COMPILES = 200;

type Json = Record<string, unknown>;

type Registry = Awaited<ReturnType<typeof buildApp>>['services']['metrics']['registry'];

async function reportBuilds(registry: Registry): Promise<void> {
  const builds: BenchServerBuilds['builds'] = { full: { count: 0, seconds: 0 }, incremental: { count: 0, seconds: 0 } };
  const metric = registry.getSingleMetric('tailor_snapshot_build_duration_seconds');
  // A histogram's values are its buckets, _sum and _count, each with its metric name.
  const values = ((await metric?.get())?.values ?? []) as Array<{ value: number; labels: Record<string, unknown>; metricName?: string }>;
  for (const { value, labels, metricName } of values) {
    const kind = labels.kind;
    if (kind !== 'full' && kind !== 'incremental') continue;
    if (metricName?.endsWith('_count')) builds[kind].count = value;
    if (metricName?.endsWith('_sum')) builds[kind].seconds = value;
  }
  process.send?.({ type: 'builds', builds } satisfies BenchServerBuilds);
}

/**
 * Times compiling the held snapshot's inputs from scratch against deriving it with one audience
 * replaced (what an audience edit compiles), alternately, so both see the same machine load.
 */
function compileTimes(held: ProjectSnapshot, attributeUids: readonly string[]): BenchServerCompileTimes {
  const r = prng(11);
  const inputs = held.inputs;
  const full: number[] = [];
  const incremental: number[] = [];
  for (let k = 0; k < COMPILES; k++) {
    let t = performance.now();
    compileProjectSnapshot(held.projectUid, held.revision, inputs);
    full.push(performance.now() - t);
    const edited = inputs.audiences[Math.floor(r() * inputs.audiences.length)] as (typeof inputs.audiences)[number];
    const definition = benchDefinition(r, attributeUids) as unknown as typeof edited.definition;
    const patched = { ...inputs, audiences: [...inputs.audiences.filter((a) => a !== edited), { uid: edited.uid, definition }] };
    t = performance.now();
    compileProjectSnapshot(held.projectUid, held.revision, patched, held);
    incremental.push(performance.now() - t);
  }
  const figures = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    return { median: xs[Math.floor(xs.length / 2)] as number, p99: xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))] as number };
  };
  return { type: 'compile-times', audiences: inputs.audiences.length, experiences: inputs.experiences.length, full: figures(full), incremental: figures(incremental) };
}

async function main(): Promise<void> {
  const started = performance.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-edge-bench-'));
  // EDGE_BENCH_LOG_LEVEL=info: the production logger (its output discarded by the parent), else none.
  const logLevel = process.env.EDGE_BENCH_LOG_LEVEL;
  // The load generator stands in for a proxy on loopback that forwards visitors' addresses; the
  // set-up's burst of Management API calls is not what the limit is for.
  const config = loadConfig({ MANAGEMENT_RATE_LIMIT: '0', DATA_DIR: dataDir, LOG_LEVEL: logLevel ?? 'silent', TAILOR_ADMIN_EMAIL: 'bench@example.com', TAILOR_ADMIN_PASSWORD: 'bench-password', TRUST_PROXY: 'loopback' });
  const db = createDb(config.database);
  await migrateToLatest(db);
  const app = await buildApp({ config, db, logger: logLevel !== undefined, webDist: '/nonexistent' });
  let staticBody = '{}';
  app.get('/bench/static', { schema: { hide: true } }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(staticBody));
  await app.ready();
  // One scrape, as Prometheus would make: it starts the process metrics' event-loop monitor and GC observer.
  await app.inject({ method: 'GET', url: '/metrics' });
  await app.services.identity.bootstrap(config.admin);

  const login = await app.inject({ method: 'POST', url: '/api/user-session', payload: { user: { email: 'bench@example.com', password: 'bench-password' } } });
  const authtoken = (JSON.parse(login.body) as { user: { authtoken: string } }).user.authtoken;
  const call = async (method: 'POST' | 'PUT', url: string, payload: Json, projectUid?: string): Promise<Json> => {
    const response = await app.inject({ method, url, payload, headers: { authtoken, ...(projectUid ? { 'x-project-uid': projectUid } : {}) } });
    if (response.statusCode >= 300) throw new Error(`${method} ${url} → ${response.statusCode} ${response.body}`);
    return JSON.parse(response.body) as Json;
  };

  const project = await call('POST', '/api/projects', { name: 'Edge benchmark' });
  const projectUid = project.uid as string;
  await call('PUT', `/api/projects/${projectUid}/limits`, { audiences: 1000, experiences: 1000 });
  const r = prng(7);
  const attributeUids: string[] = [];
  for (let i = 0; i < ATTRIBUTES; i++) {
    const key = attributeKey(i);
    attributeUids.push((await call('POST', '/api/attributes', { name: key, key, description: '' }, projectUid)).uid as string);
  }
  const audienceUids: string[] = [];
  for (let i = 0; i < AUDIENCES; i++) {
    audienceUids.push((await call('POST', '/api/audiences', { name: `Audience ${i}`, description: '', definition: benchDefinition(r, attributeUids) }, projectUid)).uid as string);
  }
  const someAudiences = (n: number) => Array.from({ length: n }, () => audienceUids[Math.floor(r() * audienceUids.length)] as string);

  // The probe: the highest-priority experience, its audience edited while the benchmark watches.
  const probeAttributeUid = attributeUids[0] as string;
  const probeAudience = await call(
    'POST',
    '/api/audiences',
    { name: 'Probe', description: '', definition: probeDefinition(probeAttributeUid, 'probe-a') },
    projectUid,
  );
  const experienceUids: string[] = [];
  let probeShortUid = '';
  for (let i = 0; i <= EXPERIENCES; i++) {
    const probe = i === EXPERIENCES;
    const ab = !probe && i % 2 === 1;
    const exp = await call('POST', '/api/experiences', { name: probe ? 'Probe' : `Experience ${i}`, __type: ab ? 'AB_TEST' : 'SEGMENTED', tags: [`t${i % 5}`] }, projectUid);
    const body = ab
      ? {
          status: 'ACTIVE',
          variants: [
            { __type: 'ABTestVariant', name: 'A', trafficDistribution: 50 },
            { __type: 'ABTestVariant', name: 'B', trafficDistribution: 50 },
          ],
          targeting: i % 3 === 0 ? { audiences: someAudiences(2), audienceCombinationType: 'OR' } : null,
        }
      : {
          status: 'ACTIVE',
          variants: probe
            ? [{ __type: 'SegmentedVariant', name: 'Probe', audiences: [probeAudience.uid], audienceCombinationType: 'OR' }]
            : [
                { __type: 'SegmentedVariant', name: 'One', audiences: someAudiences(2), audienceCombinationType: 'OR' },
                { __type: 'SegmentedVariant', name: 'Two', audiences: someAudiences(2), audienceCombinationType: 'AND' },
              ],
        };
    await call('PUT', `/api/experiences/${exp.uid as string}/versions/${exp.latestVersion as string}`, body, projectUid);
    experienceUids.push(exp.uid as string);
    if (probe) probeShortUid = exp.shortUid as string;
  }
  // Probe first in priority, so its decision is the manifest's first entry.
  await call('PUT', '/api/experiences-priority', { priorityOrder: [experienceUids[EXPERIENCES], ...experienceUids.slice(0, EXPERIENCES)] }, projectUid);

  // Visitor profiles go straight to the table: 10,000 API calls would only measure the seeding.
  const now = new Date().toISOString();
  for (let start = 0; start < VISITORS; start += 500) {
    const rows = Array.from({ length: Math.min(500, VISITORS - start) }, (_, k) => {
      const attributes: Record<string, string | number> = {};
      for (let i = 0; i < ATTRIBUTES; i++) {
        attributes[attributeKey(i)] = attributeValue(r, i);
      }
      return { project_uid: projectUid, visitor_uid: `visitor-${start + k}`, attributes: toJson(attributes), created_at: now, updated_at: now };
    });
    await db.kysely.insertInto('visitor_profiles').values(rows).execute();
  }

  const sample = await app.inject({ method: 'GET', url: '/edge/manifest', headers: { 'x-project-uid': projectUid, 'x-cs-personalize-user-uid': 'visitor-1' } });
  staticBody = sample.body;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const ready: BenchServerReady = {
    type: 'ready',
    port: (app.server.address() as AddressInfo).port,
    projectUid,
    authtoken,
    probeAudienceUid: probeAudience.uid as string,
    probeAttributeUid,
    probeShortUid,
    audienceUids,
    attributeUids,
    manifestBytes: Buffer.byteLength(sample.body),
    seedSeconds: (performance.now() - started) / 1000,
  };
  process.send?.(ready);
  process.on('message', (message) => {
    if (message === 'builds') void reportBuilds(app.services.metrics.registry);
    if (message === 'compile-times') {
      const held = app.services.decisions.peek(projectUid);
      if (held !== undefined) process.send?.(compileTimes(held, attributeUids));
    }
  });
  // Event-loop delay tells a stall of this process (a synchronous flush, GC, a rebuild) from
  // latency added by other processes competing for the CPU.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  // EDGE_BENCH_PROFILE=<dir>: the load generator brackets one run with a CPU profile of the load alone.
  answerBenchMessages({
    profileFile: path.join(process.env.EDGE_BENCH_PROFILE ?? os.tmpdir(), 'edge-manifest.cpuprofile'),
    // Loop delay since the previous 'cpu' message, so each measured run gets its own.
    extra: () => {
      const loop = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      loopDelay.reset();
      return { loop };
    },
    stop: () =>
      app
        .close()
        .then(() => db.close())
        .finally(() => fs.rmSync(dataDir, { recursive: true, force: true })),
  });
}

await main();
