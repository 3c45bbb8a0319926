/**
 * Scale benchmark: `tailor serve --workers N` and several instances on one PostgreSQL database.
 * Every server is the built one (`node apps/server/bin/tailor.js serve`) in processes of its own;
 * this process seeds them over HTTP and loads them over loopback.
 *   1. Cores: GET /healthz (the bare baseline) and GET /edge/manifest, for 10,000 stored
 *      visitors and for 300 that stay in every worker's profile cache, with autocannon for
 *      `--workers 1`, `2` (and the machine's parallelism when above 2) on one SQLite file,
 *      alternated over rounds, best run of each; throughput, the servers' CPU per request
 *      (primary and workers, from /proc) and the load generator's.
 *   2. Propagation: audience edits through one process, timed until another serves them
 *      (fresh connection per poll), idle and under paced half load; two instances on
 *      PostgreSQL, then one SQLite `--workers 2` port.
 *   3. Ingestion on PostgreSQL: POST /edge/events (10 events per request) against two instances
 *      at once; events stored per instance, CPU per event, and how long the rollup takes to
 *      drain once the load stops.
 * SCALE_BENCH_ROUNDS, SCALE_BENCH_SECONDS and SCALE_BENCH_DATABASE_URL change the rounds, the
 * length of each load run and the PostgreSQL server (skipped when unreachable);
 * SCALE_BENCH_PARTS=cores,propagation,ingestion picks the parts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { createPostgresDb, createSqliteDb, type Db } from '../../apps/server/src/db/create-db.js';
import { ATTRIBUTES, attributeKey, attributeValue, benchDefinition } from './edge-bench-audiences.js';
import { probeDefinition } from './edge-bench-probe.js';
import { pacedLoad, type PacedFigures } from './paced-load.js';
import { prng } from './stats.js';

const env = process.env;
const bounded = (value: number, min: number, max: number, fallback: number) => (Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback);
const ROUNDS = bounded(Number(env.SCALE_BENCH_ROUNDS ?? 2), 1, 5, 2);
const SECONDS = bounded(Number(env.SCALE_BENCH_SECONDS ?? 10), 2, 30, 10);
const PG_URL = env.SCALE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';
/** Which of the three parts run: `cores,propagation,ingestion` by default. */
const PARTS = new Set((env.SCALE_BENCH_PARTS ?? 'cores,propagation,ingestion').split(',').map((p) => p.trim()));

const CONNECTIONS = 50;
/** Per instance in the ingestion run: with more clients each group commit carries more requests. */
const INGEST_CONNECTIONS = 32;
const AUDIENCES = 300;
const EXPERIENCES = 100;
const VISITORS = 10_000;
/**
 * The second manifest run's visitors, few enough that each comes back to every worker within
 * the 1 s a worker may keep a profile: it measures the workers with the same cache hits a sole
 * process gets from keeping profiles until they change.
 */
const RECURRING_VISITORS = 300;
const INGEST_VISITORS = 200_000;
const EDITS = 100;
const POLL_MS = 2;
/** An edit not served by then counts as lost (and as this long) rather than stalling the run. */
const EDIT_TIMEOUT_MS = 5000;
const WARM_UP_SECONDS = 2;
const FRESH_GOAL_MS = 250;

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN = { email: 'bench@example.com', password: 'bench-password' };
const USER_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
];
const IPS = ['8.8.8.8', '81.2.69.142', '1.1.1.1', '2001:4860:4860::8888', '10.0.0.7'];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

// ---------------------------------------------------------------------------------------------
// Processes and their CPU

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime (µs) and parent of every process /proc shows; the kernel does not keep a children list here. */
function processTable(): Map<number, { ppid: number; micros: number }> {
  const table = new Map<number, { ppid: number; micros: number }>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(fields[1]), micros: ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS });
    } catch {
      // ended while the table was read
    }
  }
  return table;
}

function descendants(root: number, table = processTable()): number[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) for (const [pid, p] of table) if (p.ppid === found[i]) found.push(pid);
  return found.filter((pid) => table.has(pid));
}

/** CPU (µs) used so far by each listed process that still runs. */
function cpuOf(pids: readonly number[], table = processTable()): Map<number, number> {
  return new Map(pids.flatMap((pid) => (table.has(pid) ? [[pid, table.get(pid)!.micros] as const] : [])));
}

/** CPU time (µs) all the machine's processes have used: less ours, what the neighbours on a shared machine took. */
function machineBusy(): number {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = fields;
  return ((user + nice + system + irq + softirq) * 1e6) / CLOCK_TICKS;
}

function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, micros] of after) sum += micros - (before.get(pid) ?? 0);
  return sum;
}

interface Server {
  name: string;
  url: string;
  /** Whether its log says it runs the installation's background jobs (the rollup). */
  leads(): boolean;
  /** The process and its workers, the primary first. */
  tree(): number[];
  stop(): Promise<void>;
}

const running = new Set<Server>();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Ready once `/readyz` is 200 and the start-up line is out: with workers, the primary logs it once every worker listens. */
async function startTailor(name: string, options: { workers: number; dataDir: string; databaseUrl?: string }): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['apps/server/bin/tailor.js', 'serve', '--workers', String(options.workers)], {
    cwd: REPO,
    env: {
      PATH: env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
      TAILOR_ADMIN_EMAIL: ADMIN.email,
      TAILOR_ADMIN_PASSWORD: ADMIN.password,
      MANAGEMENT_RATE_LIMIT: '0',
      TRUST_PROXY: 'loopback',
      // The readiness and job-leadership lines are info; requests are not logged.
      LOG_LEVEL: 'info',
      REQUEST_LOG: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '') continue;
      if (lines.length >= 2000) lines.splice(0, 1000);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: number | string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal ?? -1;
      resolve();
    }),
  );
  const server: Server = {
    name,
    url: `http://127.0.0.1:${port}`,
    leads: () => lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('running background jobs')),
    tree: () => descendants(child.pid ?? -1),
    async stop() {
      running.delete(server);
      if (exited !== null) return;
      const tree = server.tree();
      child.kill('SIGTERM');
      await Promise.race([exit, sleep(20_000)]);
      // Whatever outlived the drain (the primary or a worker it lost track of) is ours to end.
      const table = processTable();
      for (const pid of tree) {
        try {
          if (table.has(pid)) process.kill(pid, 'SIGKILL');
        } catch {
          // ended meanwhile
        }
      }
    },
  };
  running.add(server);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`${name} exited (${String(exited)}) before it was ready:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
    const serving = lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('Tailor is serving'));
    if (serving) {
      const ready = await fetch(`${server.url}/readyz`).then(
        async (r) => {
          await r.arrayBuffer();
          return r.status === 200;
        },
        () => false,
      );
      if (ready) return server;
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${name} was not ready within 60 s:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
    }
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------
// Seeding over the Management API

interface Seeded {
  projectUid: string;
  authtoken: string;
  probeAudienceUid: string;
  probeAttributeUid: string;
  probeShortUid: string;
  seconds: number;
}

type Json = Record<string, unknown>;

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/api/user-session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: ADMIN }) });
  if (response.status !== 200) throw new Error(`log-in → ${response.status} ${await response.text()}`);
  return ((await response.json()) as { user: { authtoken: string } }).user.authtoken;
}

function caller(url: string, authtoken: string) {
  return async (method: 'POST' | 'PUT', pathname: string, body: unknown, projectUid?: string): Promise<Json> => {
    const response = await fetch(`${url}${pathname}`, {
      method,
      headers: { authtoken, 'content-type': 'application/json', ...(projectUid === undefined ? {} : { 'x-project-uid': projectUid }) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathname} → ${response.status} ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as Json;
  };
}

/** Runs `task(i)` for i < count, `width` at a time; each result lands at its index. */
async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await task(i);
    }),
  );
  return results;
}

/**
 * The edge benchmark's project (its audience generator, the same sizes): 20 attributes, 300
 * audiences of 3–12 rules, 100 active experiences (half A/B) and a probe experience first in
 * priority, whose one-rule audience the propagation runs toggle. Profiles are written straight
 * into the table: 10,000 API calls would only measure the seeding.
 */
async function seedProject(url: string, db: Db): Promise<Seeded> {
  const started = performance.now();
  const authtoken = await login(url);
  const call = caller(url, authtoken);
  const projectUid = (await call('POST', '/api/projects', { name: 'Scale benchmark', description: '' })).uid as string;
  await call('PUT', `/api/projects/${projectUid}/limits`, { audiences: 1000, experiences: 1000 });
  const r = prng(7);
  const attributeUids = await inParallel(ATTRIBUTES, 4, async (i) => (await call('POST', '/api/attributes', { name: attributeKey(i), key: attributeKey(i), description: '' }, projectUid)).uid as string);
  const definitions = Array.from({ length: AUDIENCES }, () => benchDefinition(r, attributeUids));
  const audienceUids = await inParallel(AUDIENCES, 4, async (i) => (await call('POST', '/api/audiences', { name: `Audience ${i}`, description: '', definition: definitions[i] }, projectUid)).uid as string);
  const someAudiences = (n: number) => Array.from({ length: n }, () => audienceUids[Math.floor(r() * audienceUids.length)] as string);
  const probeAttributeUid = attributeUids[0] as string;
  const probeAudienceUid = (await call('POST', '/api/audiences', { name: 'Probe', description: '', definition: probeDefinition(probeAttributeUid, 'probe-a') }, projectUid)).uid as string;
  const bodies = Array.from({ length: EXPERIENCES + 1 }, (_, i) => {
    const probe = i === EXPERIENCES;
    const ab = !probe && i % 2 === 1;
    const version = ab
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
            ? [{ __type: 'SegmentedVariant', name: 'Probe', audiences: [probeAudienceUid], audienceCombinationType: 'OR' }]
            : [
                { __type: 'SegmentedVariant', name: 'One', audiences: someAudiences(2), audienceCombinationType: 'OR' },
                { __type: 'SegmentedVariant', name: 'Two', audiences: someAudiences(2), audienceCombinationType: 'AND' },
              ],
        };
    return { create: { name: probe ? 'Probe' : `Experience ${i}`, __type: ab ? 'AB_TEST' : 'SEGMENTED', tags: [`t${i % 5}`] }, version };
  });
  const experiences = await inParallel(bodies.length, 4, async (i) => {
    const body = bodies[i]!;
    const exp = await call('POST', '/api/experiences', body.create, projectUid);
    await call('PUT', `/api/experiences/${exp.uid as string}/versions/${exp.latestVersion as string}`, body.version, projectUid);
    return { uid: exp.uid as string, shortUid: exp.shortUid as string };
  });
  const probe = experiences[EXPERIENCES]!;
  await call('PUT', '/api/experiences-priority', { priorityOrder: [probe.uid, ...experiences.slice(0, EXPERIENCES).map((e) => e.uid)] }, projectUid);

  const now = new Date().toISOString();
  const pr = prng(8);
  for (let start = 0; start < VISITORS; start += 500) {
    const rows = Array.from({ length: Math.min(500, VISITORS - start) }, (_, k) => {
      const attributes: Record<string, string | number> = {};
      for (let i = 0; i < ATTRIBUTES; i++) attributes[attributeKey(i)] = attributeValue(pr, i);
      return { project_uid: projectUid, visitor_uid: `visitor-${start + k}`, attributes: JSON.stringify(attributes), created_at: now, updated_at: now };
    });
    await db.kysely.insertInto('visitor_profiles').values(rows).execute();
  }
  return { projectUid, authtoken, probeAudienceUid, probeAttributeUid, probeShortUid: probe.shortUid, seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Load

interface LoadFigures {
  label: string;
  total: number;
  ok: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function visitorHeaders(projectUid: string, n: number, visitors = VISITORS): Record<string, string> {
  return {
    'x-project-uid': projectUid,
    'x-cs-personalize-user-uid': `visitor-${n % visitors}`,
    'user-agent': USER_AGENTS[n % USER_AGENTS.length] as string,
    'x-forwarded-for': IPS[n % IPS.length] as string,
    'x-page-url': `https://shop.example/p/${n % 50}?utm_source=bench`,
  };
}

function cannon(label: string, url: string, seconds: number, connections: number, request: (n: number) => { method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<LoadFigures> {
  let n = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        requests: [
          {
            setupRequest: (base) => {
              const next = request((n += 1));
              return { ...base, method: next.method ?? 'GET', headers: next.headers, ...(next.body === undefined ? {} : { body: next.body }) };
            },
          },
        ],
      },
      (error, result) => {
        if (error) reject(error);
        else
          resolve({
            label,
            total: result.requests.total,
            ok: result['2xx'],
            rps: result.requests.average,
            p50: result.latency.p50,
            p99: result.latency.p99,
            errors: result.errors + result.timeouts,
            non2xx: result.non2xx,
          });
      },
    );
  });
}

const manifestLoad = (url: string, projectUid: string, label: string, seconds: number, visitors = VISITORS) =>
  cannon(label, `${url}/edge/manifest`, seconds, CONNECTIONS, (n) => ({ headers: visitorHeaders(projectUid, n, visitors) }));

interface WithCpu<T> {
  result: T;
  /** µs of CPU of each server's process tree while `run` ran. */
  servers: number[];
  /** µs of each server's primary (its root process) alone: with workers, the part that serves no request. */
  primaries: number[];
  /** µs of this process (the load generator). */
  generator: number;
  /** µs the whole machine was busy, ours included. */
  machine: number;
  wallSeconds: number;
}

async function withCpu<T>(servers: readonly Server[], run: () => Promise<T>): Promise<WithCpu<T>> {
  const trees = servers.map((s) => s.tree());
  const before = cpuOf(trees.flat());
  const own = process.cpuUsage();
  const busy = machineBusy();
  const started = performance.now();
  const result = await run();
  const wallSeconds = (performance.now() - started) / 1000;
  const machine = machineBusy() - busy;
  const used = process.cpuUsage(own);
  const after = cpuOf(trees.flat());
  const treeDelta = (tree: readonly number[]) => cpuDelta(before, new Map(tree.flatMap((pid) => (after.has(pid) ? [[pid, after.get(pid)!]] : []))));
  return { result, servers: trees.map(treeDelta), primaries: trees.map((tree) => treeDelta(tree.slice(0, 1))), generator: used.user + used.system, machine, wallSeconds };
}

// ---------------------------------------------------------------------------------------------
// 1. Cores

interface CoreRun {
  workers: number;
  round: number;
  route: 'static' | 'manifest' | 'recurring';
  figures: LoadFigures;
  serverPerRequest: number;
  /** With workers: the primary's share of serverPerRequest. */
  primaryPerRequest: number;
  generatorPerRequest: number;
}

async function measureCores(dataDir: string, seeded: Seeded, counts: readonly number[]): Promise<CoreRun[]> {
  const runs: CoreRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Ascending, then descending: a drift in the machine's load favours no worker count.
    const order = round % 2 === 0 ? counts : [...counts].reverse();
    for (const workers of order) {
      const server = await startTailor(`workers-${workers}`, { workers, dataDir });
      try {
        await manifestLoad(server.url, seeded.projectUid, 'warm-up', WARM_UP_SECONDS);
        for (const route of ['static', 'manifest', 'recurring'] as const) {
          const label = `${route === 'static' ? 'GET /healthz' : `GET /edge/manifest, ${fmt(route === 'manifest' ? VISITORS : RECURRING_VISITORS)} visitors`}, --workers ${workers}`;
          const measured = await withCpu([server], () =>
            route === 'static'
              ? cannon(label, `${server.url}/healthz`, SECONDS, CONNECTIONS, (n) => ({ headers: visitorHeaders(seeded.projectUid, n) }))
              : manifestLoad(server.url, seeded.projectUid, label, SECONDS, route === 'manifest' ? VISITORS : RECURRING_VISITORS),
          );
          const total = Math.max(1, measured.result.total);
          const used = measured.servers[0] ?? 0;
          runs.push({ workers, round, route, figures: measured.result, serverPerRequest: used / total, primaryPerRequest: (measured.primaries[0] ?? 0) / total, generatorPerRequest: measured.generator / total });
          const f = measured.result;
          const others = Math.max(0, measured.machine - used - measured.generator) / 1e6 / measured.wallSeconds;
          console.log(
            `  round ${round + 1}  ${label.padEnd(50)} ${fmt(f.rps).padStart(7)} req/s  p50 ${String(f.p50).padStart(3)} ms  p99 ${String(f.p99).padStart(4)} ms  ` +
              `server ${fmt(used / total).padStart(4)} µs CPU/req${workers > 1 ? ` (primary ${fmt((measured.primaries[0] ?? 0) / total)})` : ''} = ${(used / 1e6 / measured.wallSeconds).toFixed(2)} cores  generator ${fmt(measured.generator / total).padStart(4)} µs/req  ` +
              `other processes ${others.toFixed(2)} cores  errors ${f.errors}  non-2xx ${f.non2xx}`,
          );
        }
      } finally {
        await server.stop();
      }
    }
  }
  return runs;
}

function printCores(runs: readonly CoreRun[], counts: readonly number[]): void {
  const of = (workers: number, route: CoreRun['route']) => runs.filter((r) => r.workers === workers && r.route === route);
  const best = (workers: number, route: CoreRun['route']) => of(workers, route).reduce((a, b) => (b.figures.rps > a.figures.rps ? b : a));
  // The least contended run: the neighbours of a shared machine inflate CPU time too (caches, switches).
  const leanest = (workers: number, route: CoreRun['route']) => Math.min(...of(workers, route).map((r) => r.serverPerRequest));
  const cores = os.availableParallelism();
  console.log(`\n  best throughput of ${ROUNDS} round(s) each and the lowest server CPU per request (${CONNECTIONS} connections, ${SECONDS} s per run):`);
  for (const workers of counts) {
    const m = best(workers, 'manifest');
    const r = best(workers, 'recurring');
    const s = best(workers, 'static');
    console.log(
      `  --workers ${workers}: manifest ${fmt(m.figures.rps)} req/s, ${fmt(leanest(workers, 'manifest'))} µs CPU/req (${fmt(VISITORS)} visitors) | ` +
        `${fmt(r.figures.rps)} req/s, ${fmt(leanest(workers, 'recurring'))} µs (${RECURRING_VISITORS} visitors) | ` +
        `/healthz ${fmt(s.figures.rps)} req/s, ${fmt(leanest(workers, 'static'))} µs; manifest / bare route ${((m.figures.rps / s.figures.rps) * 100).toFixed(1)} % (${((r.figures.rps / s.figures.rps) * 100).toFixed(1)} %); ` +
        `generator ${fmt(m.generatorPerRequest)} µs/req`,
    );
  }
  for (const workers of counts.filter((w) => w > 1)) {
    for (const route of ['manifest', 'recurring'] as const) {
      const ratio = best(workers, route).figures.rps / best(1, route).figures.rps;
      console.log(
        `  ${workers} workers / 1, manifest with ${fmt(route === 'manifest' ? VISITORS : RECURRING_VISITORS)} visitors: throughput ${ratio.toFixed(2)}×${workers === 2 ? ' (goal ≥ 1.6× where the generator has cores of its own)' : ''}, ` +
          `server CPU per request ${(leanest(workers, route) / leanest(1, route)).toFixed(2)}× one worker's`,
      );
    }
  }
  console.log(
    `  SQLite workers keep visitor profiles cached until one of them writes the profile (each write is relayed through the primary), as a sole process does: ` +
      `${fmt(VISITORS)} visitors and ${RECURRING_VISITORS} recurring ones should cost alike; a gap between them means profiles are being re-read`,
  );
  for (const workers of counts) {
    const r = best(workers, 'recurring');
    const ceiling = (cores * 1e6) / (leanest(workers, 'recurring') + r.generatorPerRequest);
    console.log(
      `  --workers ${workers}: ${cores} cores / (server + generator CPU per request, ${RECURRING_VISITORS} visitors) = ${fmt(ceiling)} req/s at most on this machine; ` +
        `${fmt(1e6 / leanest(workers, 'recurring'))} req/s per core the server has`,
    );
  }
  if (counts.includes(2)) {
    const flat = leanest(2, 'recurring') / leanest(1, 'recurring');
    console.log(
      (cores <= 2
        ? `  this machine has ${cores} cores, shared by the generator, the server and other processes, so 2 workers cannot show 1.6× here; `
        : `  the generator shares the ${cores} cores with the servers; `) +
        `CPU per request is what carries over: at ${flat.toFixed(2)}× one worker's, 2 workers on 2 cores of their own would serve ≈ ${(2 / flat).toFixed(2)}× one worker on one core ` +
        `(${fmt(VISITORS)} visitors: ≈ ${((2 * leanest(1, 'manifest')) / leanest(2, 'manifest')).toFixed(2)}×)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Propagation

function probeEdit(seeded: Seeded, n: number): { definition: Json; expected: string | null } {
  return n % 2 === 0 ? { definition: probeDefinition(seeded.probeAttributeUid, 'probe-b'), expected: '0' } : { definition: probeDefinition(seeded.probeAttributeUid, 'probe-a'), expected: null };
}

/** The probe variant a manifest shows, on a fresh connection: on a cluster port each new connection may go to another worker. */
function probeDecision(url: string, seeded: Seeded): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const headers = { 'x-project-uid': seeded.projectUid, 'x-cs-personalize-user-uid': 'probe-visitor', 'x-live-attributes': JSON.stringify({ s0: 'probe-b' }) };
    const request = http.get(`${url}/edge/manifest`, { agent: false, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`manifest → ${response.statusCode} ${text}`));
        const body = JSON.parse(text) as { experiences: Array<{ shortUid: string; activeVariantShortUid: string | null }> };
        resolve(body.experiences.find((e) => e.shortUid === seeded.probeShortUid)?.activeVariantShortUid ?? null);
      });
    });
    request.on('error', reject);
    request.setTimeout(EDIT_TIMEOUT_MS, () => request.destroy(new Error('the manifest took longer than the edit timeout')));
  });
}

interface EditTimes {
  /** ms from just before each PUT until the reader served it, sorted; lost edits count as EDIT_TIMEOUT_MS. */
  times: number[];
  lost: number;
}

/** Up to EDITS probe edits through `writer`, each timed until `reader` serves it, until `until` (a performance.now() time). */
async function editsUntilServed(writer: string, reader: string, seeded: Seeded, first: number, until = Number.POSITIVE_INFINITY): Promise<EditTimes> {
  const call = caller(writer, seeded.authtoken);
  const times: number[] = [];
  let lost = 0;
  for (let k = 0; k < EDITS && performance.now() < until; k++) {
    const { definition, expected } = probeEdit(seeded, first + k);
    const t0 = performance.now();
    await call('PUT', `/api/audiences/${seeded.probeAudienceUid}`, { definition }, seeded.projectUid);
    for (;;) {
      const polled = performance.now();
      if ((await probeDecision(reader, seeded)) === expected) {
        times.push(performance.now() - t0);
        break;
      }
      if (performance.now() - t0 > EDIT_TIMEOUT_MS) {
        // Wait for it anyway (bounded), so that the next edit starts from a known state.
        lost += 1;
        times.push(EDIT_TIMEOUT_MS);
        for (let i = 0; i < 200 && (await probeDecision(reader, seeded)) !== expected; i++) await sleep(50);
        break;
      }
      const wait = polled + POLL_MS - performance.now();
      if (wait > 0) await sleep(wait);
    }
    // A varying pause, so that edits land at every phase of whatever the reader does on a timer.
    await sleep(10 + ((k * 7) % 20));
  }
  return { times: times.sort((a, b) => a - b), lost };
}

interface Propagation {
  idle: EditTimes;
  loaded: EditTimes;
  paced: PacedFigures;
  max: number;
  /** Cores the whole machine kept busy during the loaded run, ours and the neighbours'. */
  machineCores: number;
}

async function measurePropagation(writer: Server, reader: Server, seeded: Seeded, first: number): Promise<Propagation> {
  await manifestLoad(reader.url, seeded.projectUid, 'warm-up', WARM_UP_SECONDS);
  const started = performance.now();
  const idle = await editsUntilServed(writer.url, reader.url, seeded, first);
  const idleSeconds = (performance.now() - started) / 1000;
  const max = (await manifestLoad(reader.url, seeded.projectUid, 'max', Math.max(3, Math.round(SECONDS / 2)))).rps;
  // Long enough for the edits at the idle pace, slowed down under load, within bounds.
  const seconds = Math.min(20, Math.max(8, Math.ceil(1 + idleSeconds * 4)));
  const rate = Math.max(1, Math.round(max / 2));
  const end = performance.now() + seconds * 1000;
  const busy = machineBusy();
  const [paced, loaded] = await Promise.all([
    pacedLoad(`${reader.url}/edge/manifest`, rate, seconds, CONNECTIONS, 'paced', (n) => visitorHeaders(seeded.projectUid, n)),
    sleep(1000).then(() => editsUntilServed(writer.url, reader.url, seeded, first + idle.times.length, end - 500)),
  ]);
  const machineCores = (machineBusy() - busy) / 1e6 / ((performance.now() - end) / 1000 + seconds);
  return { idle, loaded, paced, max, machineCores };
}

function editLine(label: string, e: EditTimes, goal: string): string {
  const q = (p: number) => pct(e.times, p).toFixed(1);
  return `  ${label}: ${e.times.length} edits, median ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms${e.lost > 0 ? `, ${e.lost} not served within ${EDIT_TIMEOUT_MS} ms` : ''}  (${goal})`;
}

function printPropagation(title: string, p: Propagation): void {
  console.log(`  ${title}`);
  console.log(editLine('    reader idle      ', p.idle, `goal: fresh ≤ ${FRESH_GOAL_MS} ms`));
  console.log(
    editLine(`    reader under load`, p.loaded, `goal: p99 ≤ ${FRESH_GOAL_MS} ms`) +
      `\n      load: ${fmt(p.paced.rps)} manifests/s paced (half of its max ${fmt(p.max)} req/s), p50 ${p.paced.p50} ms, p99 ${p.paced.p99} ms, errors ${p.paced.errors}, non-2xx ${p.paced.non2xx}; machine busy ${p.machineCores.toFixed(2)} of ${os.availableParallelism()} cores`,
  );
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

interface PgBench {
  admin: pg.Client;
  local: boolean;
  databases: string[];
}

async function connectPostgres(): Promise<PgBench | string> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => undefined);
    return error instanceof Error ? error.message : String(error);
  }
  const host = new URL(PG_URL).hostname;
  return { admin, local: host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '', databases: [] };
}

async function freshDatabase(bench: PgBench): Promise<{ name: string; url: string }> {
  const name = `scale_bench_${randomBytes(6).toString('hex')}`;
  await bench.admin.query(`create database ${name}`);
  bench.databases.push(name);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** CPU of the PostgreSQL backends serving `database` (local servers only): the instances' queries, not the shared background writers. */
async function backendPids(bench: PgBench, database: string): Promise<number[]> {
  if (!bench.local) return [];
  const rows = await bench.admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database]);
  return rows.rows.map((r) => r.pid);
}

// ---------------------------------------------------------------------------------------------
// 3. Ingestion

interface IngestSeeded {
  projectUid: string;
  shortUid: string;
  goal: string;
}

async function seedIngestion(url: string): Promise<IngestSeeded> {
  const call = caller(url, await login(url));
  const projectUid = (await call('POST', '/api/projects', { name: 'Scale ingestion', description: '' })).uid as string;
  const goal = await call('POST', '/api/events', { key: 'purchase', description: '' }, projectUid);
  const signup = await call('POST', '/api/events', { key: 'signup', description: '' }, projectUid);
  const experience = await call('POST', '/api/experiences', { name: 'Checkout button', description: '', __type: 'AB_TEST' }, projectUid);
  await call(
    'PUT',
    `/api/experiences/${experience.uid as string}/versions/${experience.latestVersion as string}`,
    {
      status: 'ACTIVE',
      variantSplit: 'CUSTOM',
      variants: [
        { name: 'Control', trafficDistribution: 50 },
        { name: 'Green button', trafficDistribution: 50 },
      ],
      metrics: [
        { __type: 'Primary', event: goal.uid },
        { __type: 'Secondary', event: signup.uid },
      ],
    },
    projectUid,
  );
  return { projectUid, shortUid: experience.shortUid as string, goal: 'purchase' };
}

function eventsLoad(server: Server, s: IngestSeeded, offset: number): Promise<LoadFigures> {
  return cannon(`POST /edge/events on ${server.name}`, `${server.url}/edge/events`, SECONDS, INGEST_CONNECTIONS, (n) => {
    const visitor = offset + (n % INGEST_VISITORS);
    return {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-project-uid': s.projectUid, 'x-cs-personalize-user-uid': `load-${visitor}` },
      body: JSON.stringify([{ type: 'IMPRESSION', experienceShortUid: s.shortUid, variantShortUid: String(visitor % 2) }, ...Array.from({ length: 9 }, () => ({ type: 'EVENT', eventKey: s.goal }))]),
    };
  });
}

async function rollupLag(server: Server): Promise<{ events: number; seconds: number } | null> {
  const text = await fetch(`${server.url}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const read = (name: string) => {
    const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return match === null ? NaN : Number(match[1]);
  };
  const events = read('tailor_analytics_rollup_lag_events');
  return Number.isNaN(events) ? null : { events, seconds: read('tailor_analytics_rollup_lag_seconds') };
}

async function countEvents(db: Db, projectUid: string): Promise<number> {
  const row = await db.kysely.selectFrom('edge_events').select((eb) => eb.fn.countAll<string>().as('n')).where('project_uid', '=', projectUid).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function measureIngestion(bench: PgBench, dataDir: string): Promise<void> {
  const database = await freshDatabase(bench);
  const a = await startTailor('instance A', { workers: 1, dataDir, databaseUrl: database.url });
  const b = await startTailor('instance B', { workers: 1, dataDir, databaseUrl: database.url });
  const db = createPostgresDb(database.url);
  try {
    const s = await seedIngestion(a.url);
    // B learns of the experience through the change channel; events for an experience it does not know are not stored.
    for (let i = 0; i < 250; i++) {
      const shown = await fetch(`${b.url}/edge/manifest`, { headers: { 'x-project-uid': s.projectUid, 'x-cs-personalize-user-uid': 'warm' } }).then((r) => r.json() as Promise<{ experiences: Array<{ shortUid: string }> }>);
      if (shown.experiences.some((e) => e.shortUid === s.shortUid)) break;
      await sleep(20);
    }
    const leader = [a, b].find((server) => server.leads());
    const before = await countEvents(db, s.projectUid);
    const pidsBefore = await backendPids(bench, database.name);
    const pgBefore = cpuOf(pidsBefore);
    const measured = await withCpu([a, b], () => Promise.all([eventsLoad(a, s, 1_000_000), eventsLoad(b, s, 2_000_000)]));
    const loadEnded = performance.now();
    const pgAfter = cpuOf([...new Set([...pidsBefore, ...(await backendPids(bench, database.name))])]);
    const postgresMicros = cpuDelta(pgBefore, pgAfter);

    // Any instance reads the lag from the database; the leader is polled since it is the one working.
    const lags: Array<{ at: number; events: number; seconds: number }> = [];
    const reader = leader ?? a;
    for (let i = 0; i < 600; i++) {
      const lag = await rollupLag(reader);
      if (lag !== null) lags.push({ at: (performance.now() - loadEnded) / 1000, ...lag });
      if (lag !== null && lag.events === 0) break;
      await sleep(100);
    }
    // Accepted events wait for a group commit: count once the total stops growing.
    let stored = before;
    for (let i = 0; i < 50; i++) {
      const now = await countEvents(db, s.projectUid);
      if (now === stored && i > 0) break;
      stored = now;
      await sleep(100);
    }
    stored -= before;

    const [ra, rb] = measured.result;
    console.log(`  ${INGEST_CONNECTIONS} connections per instance, ${SECONDS} s, 10 events per request (1 impression + 9 '${s.goal}' conversions), ${fmt(INGEST_VISITORS)} rotating visitors per instance`);
    for (const [k, r] of [ra, rb].entries()) {
      const cpu = measured.servers[k] ?? 0;
      console.log(
        `  ${r.label.padEnd(30)} ${fmt(r.rps).padStart(6)} req/s = ${fmt((r.ok * 10) / SECONDS).padStart(7)} events/s accepted (goal ≥ 20,000 stored per instance); ` +
          `p50 ${r.p50} ms, p99 ${r.p99} ms; server CPU ${fmt(cpu / Math.max(1, r.total))} µs/request; non-2xx ${r.non2xx}, errors ${r.errors}`,
      );
    }
    const accepted = (ra.ok + rb.ok) * 10;
    const serverMicros = measured.servers.reduce((x, y) => x + y, 0);
    console.log(`  total: ${fmt(ra.rps + rb.rps)} req/s, ${fmt(accepted / SECONDS)} events/s accepted, ${fmt(stored)} rows stored = ${fmt(stored / SECONDS)} events/s (${fmt(stored / 2 / SECONDS)} per instance)`);
    const perEvent = (micros: number) => (stored > 0 ? micros / stored : NaN);
    console.log(
      `  CPU per stored event: servers ${perEvent(serverMicros).toFixed(1)} µs` +
        (bench.local ? ` + PostgreSQL backends of this database ${perEvent(postgresMicros).toFixed(1)} µs` : ' (PostgreSQL is remote: its CPU is not read)') +
        `; load generator ${perEvent(measured.generator).toFixed(1)} µs`,
    );
    const cores = os.availableParallelism();
    const used = (serverMicros + postgresMicros + measured.generator) / 1e6 / measured.wallSeconds;
    const others = Math.max(0, measured.machine / 1e6 / measured.wallSeconds - used);
    const perInstanceCores = (20_000 * perEvent(serverMicros / 2 + postgresMicros / 2)) / 1e6;
    console.log(
      `  CPU in use during the load: ${used.toFixed(2)} of ${cores} cores (servers ${(serverMicros / 1e6 / measured.wallSeconds).toFixed(2)}, PostgreSQL backends ${(postgresMicros / 1e6 / measured.wallSeconds).toFixed(2)}, generator ${(measured.generator / 1e6 / measured.wallSeconds).toFixed(2)}), other processes ${others.toFixed(2)}; ` +
        `20,000 events/s per instance needs ≈ ${perInstanceCores.toFixed(2)} cores per instance (server + its half of the PostgreSQL work) at this cost`,
    );
    if (lags.length === 0) console.log(`  rollup lag: ${reader.name} exposed no tailor_analytics_rollup_lag_events`);
    else {
      const first = lags[0]!;
      const last = lags[lags.length - 1]!;
      console.log(
        `  rollup (runs on ${leader?.name ?? 'neither instance logged the job leadership; read on A'}): lag when the load ended ${fmt(first.events)} events${first.events >= 100_000 ? ' (the gauge counts up to 100,000)' : ''}, oldest ${first.seconds.toFixed(1)} s; ` +
          (last.events === 0 ? `drained ${last.at.toFixed(1)} s after the load ended (goal ≤ 5 s)` : `still ${fmt(last.events)} behind after ${last.at.toFixed(0)} s`),
      );
    }
    if (accepted / 2 / SECONDS < 20_000) {
      console.log(
        `  this ${cores}-core machine runs both servers, PostgreSQL and the generator at once, so it cannot show 20,000 events/s per instance; ` +
          `the CPU per stored event above is the figure that carries to a machine where each has cores of its own`,
      );
    }
  } finally {
    await db.close();
    await Promise.all([a.stop(), b.stop()]);
  }
}

async function measureAllPropagation(bench: PgBench | null, pgDataDir: string, dataDir: string, seeded: Seeded): Promise<void> {
  console.log('\n2. Propagation: audience edit → served by another process (fresh connection per poll, every ~2 ms)');
  if (bench === null) console.log('  PostgreSQL: skipped (unreachable)');
  else {
    const database = await freshDatabase(bench);
    const a = await startTailor('instance A', { workers: 1, dataDir: pgDataDir, databaseUrl: database.url });
    const b = await startTailor('instance B', { workers: 1, dataDir: pgDataDir, databaseUrl: database.url });
    const pgDb = createPostgresDb(database.url);
    try {
      const pgSeeded = await seedProject(a.url, pgDb);
      console.log(`  PostgreSQL: the same project seeded through A in ${pgSeeded.seconds.toFixed(1)} s`);
      printPropagation('PostgreSQL, two instances: edit through A, read from B (LISTEN/NOTIFY)', await measurePropagation(a, b, pgSeeded, 0));
    } finally {
      await pgDb.close();
      await Promise.all([a.stop(), b.stop()]);
    }
  }
  const cluster = await startTailor('workers-2', { workers: 2, dataDir });
  try {
    printPropagation('SQLite --workers 2: edit and read through the one port (IPC through the primary)', await measurePropagation(cluster, cluster, seeded, 0));
  } finally {
    await cluster.stop();
  }
}

// ---------------------------------------------------------------------------------------------

export async function runScaleBench(): Promise<void> {
  const cores = os.availableParallelism();
  const counts = cores > 2 ? [1, 2, cores] : [1, 2];
  console.log(`\nScale benchmark: the built server in processes of its own, ${cores} cores (load average ${os.loadavg()[0]?.toFixed(1)}), ${ROUNDS} round(s), ${SECONDS} s per load run`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-scale-bench-'));
  const pgDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-scale-bench-pg-'));
  let bench: PgBench | null = null;
  let cleaned: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaned ??= (async () => {
      await Promise.all([...running].map((server) => server.stop()));
      if (bench !== null) {
        for (const name of bench.databases) await bench.admin.query(`drop database if exists ${name} with (force)`).catch((error: unknown) => console.error(`could not drop ${name}:`, error));
        await bench.admin.end().catch(() => undefined);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(pgDataDir, { recursive: true, force: true });
    })());
  // An interrupted run still ends its servers and drops its databases.
  const interrupted = (signal: NodeJS.Signals) => void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const seeder = await startTailor('seeder', { workers: 1, dataDir });
    let seeded: Seeded;
    const sqlite = createSqliteDb(path.join(dataDir, 'tailor.db'));
    try {
      seeded = await seedProject(seeder.url, sqlite);
    } finally {
      await sqlite.close();
      await seeder.stop();
    }
    console.log(
      `\nSQLite project: ${EXPERIENCES} active experiences (half A/B) + 1 probe, ${AUDIENCES} audiences of 3–12 rules, ${fmt(VISITORS)} visitor profiles; seeded in ${seeded.seconds.toFixed(1)} s`,
    );
    if (PARTS.has('cores')) {
      console.log(`\n1. Cores: SQLite, --workers ${counts.join(' / ')}, ${CONNECTIONS} connections`);
      printCores(await measureCores(dataDir, seeded, counts), counts);
    }

    if (PARTS.has('propagation') || PARTS.has('ingestion')) {
      const connected = await connectPostgres();
      if (typeof connected === 'string') console.log(`\nPostgreSQL at ${PG_URL} is unreachable (${connected}): skipping the PostgreSQL runs`);
      else bench = connected;
    }
    if (PARTS.has('propagation')) await measureAllPropagation(bench, pgDataDir, dataDir, seeded);
    if (PARTS.has('ingestion')) {
      console.log('\n3. Ingestion on PostgreSQL: two instances on a fresh database, one A/B test');
      if (bench === null) console.log('  skipped: PostgreSQL is unreachable');
      else await measureIngestion(bench, pgDataDir);
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUp();
  }
}
