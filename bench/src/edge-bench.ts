/**
 * Edge benchmark (issue 5, "Speed"). A child process serves the real app (see
 * edge-bench-server.ts); this process loads it over loopback with autocannon, 50 connections:
 *   1. a bare route of the same server returning a static body as large as a manifest (baseline),
 *   2. GET /edge/manifest for 10,000 stored visitors (varied user-agents and IPs),
 *   3. the manifest again at half of (2)'s throughput, evenly paced (paced-load.ts), for p99 under moderate load,
 *   4. (3) again while a steady 20 audience edits/s go through the Management API (each one
 *      recompiles the project's snapshot in the server before its save returns).
 * The server's event-loop delay is printed per run: it tells the server's own stalls from
 * waiting for a CPU that other processes hold. Then the server's snapshot builds during (4) and
 * the compile time of the bench project in the server process, from scratch and incremental.
 * Goals: manifest ≥ 60 % of the static route's req/s; p99 < 10 ms at half load, and with edits
 * ≤ 1.5× without; edit → manifest < 50 ms.
 * EDGE_BENCH_SECONDS (≤ 20) sets each run's length, EDGE_BENCH_ROUNDS the number of alternating rounds.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { benchDefinition } from './edge-bench-audiences.js';
import type { BenchServerBuilds, BenchServerCompileTimes, BenchServerReady } from './edge-bench-server.js';
import { probeDefinition } from './edge-bench-probe.js';
import { pacedLoad, type PacedFigures } from './paced-load.js';
import { prng } from './stats.js';

const CONNECTIONS = 50;
const RUN_SECONDS = Number(process.env.EDGE_BENCH_SECONDS ?? 10); // each run ≤ 20 s
const VISITORS = 10_000;
const EDITS = 20; // sequential edits on the idle server
const EDIT_RATE = 20; // audience edits/s during the half-load run
const MAX_EDITS = 400; // bound on the edits of one run
const ROUNDS = Math.max(1, Number(process.env.EDGE_BENCH_ROUNDS ?? 2)); // alternating rounds; each figure is its best

const USER_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
];
const IPS = ['8.8.8.8', '81.2.69.142', '1.1.1.1', '2001:4860:4860::8888', '10.0.0.7'];

/** One load run's figures, paced or not. */
type RunFigures = PacedFigures;

/** A different stored visitor, user-agent and IP on every request, as real traffic has. */
function visitorHeaders(headers: Record<string, string>, n: number): Record<string, string> {
  return {
    ...headers,
    'x-cs-personalize-user-uid': `visitor-${n % VISITORS}`,
    'user-agent': USER_AGENTS[n % USER_AGENTS.length] as string,
    'x-forwarded-for': IPS[n % IPS.length] as string,
    'x-page-url': `https://shop.example/p/${n % 50}?utm_source=bench`,
  };
}

/** Evenly paced load at `rate` req/s (see paced-load.ts: autocannon's rate limit fires in bursts). */
function paced(url: string, headers: Record<string, string>, label: string, rate: number): Promise<RunFigures> {
  return pacedLoad(url, rate, Math.min(RUN_SECONDS, 20), CONNECTIONS, label, (n) => visitorHeaders(headers, n));
}

function load(url: string, headers: Record<string, string>, label: string): Promise<RunFigures> {
  let n = 0;
  const options: autocannon.Options = {
    url,
    connections: CONNECTIONS,
    duration: Math.min(RUN_SECONDS, 20),
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          n += 1;
          return { ...request, headers: visitorHeaders(headers, n) };
        },
      },
    ],
  };
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => {
      if (error) reject(error);
      else
        resolve({
          label,
          total: result.requests.total,
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
        });
    });
  });
}

type Edge = { experiences: Array<{ shortUid: string; activeVariantShortUid: string | null }> };

function managementHeaders(ready: BenchServerReady): Record<string, string> {
  return { authtoken: ready.authtoken, 'x-project-uid': ready.projectUid, 'content-type': 'application/json' };
}

async function putDefinition(base: string, ready: BenchServerReady, audienceUid: string, definition: Record<string, unknown>): Promise<void> {
  const put = await fetch(`${base}/api/audiences/${audienceUid}`, { method: 'PUT', headers: managementHeaders(ready), body: JSON.stringify({ definition }) });
  if (!put.ok) throw new Error(`audience edit → ${put.status} ${await put.text()}`);
}

/** Edit number `n` of the probe audience, and the probe variant a manifest shows once it is served. */
function probeEdit(ready: BenchServerReady, n: number): { definition: Record<string, unknown>; expected: string | null } {
  return n % 2 === 0 ? { definition: probeDefinition(ready.probeAttributeUid, 'probe-b'), expected: '0' } : { definition: probeDefinition(ready.probeAttributeUid, 'probe-a'), expected: null };
}

async function probeDecision(base: string, ready: BenchServerReady): Promise<string | null> {
  const edge = { 'x-project-uid': ready.projectUid, 'x-cs-personalize-user-uid': 'probe-visitor', 'x-live-attributes': JSON.stringify({ s0: 'probe-b' }) };
  const body = (await (await fetch(`${base}/edge/manifest`, { headers: edge })).json()) as Edge;
  return body.experiences.find((e) => e.shortUid === ready.probeShortUid)?.activeVariantShortUid ?? null;
}

/** Edits the probe audience, then fetches manifests until one reflects the edit; ms per edit. */
async function editLatencies(base: string, ready: BenchServerReady): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const { definition, expected } = probeEdit(ready, i);
    const t0 = performance.now();
    await putDefinition(base, ready, ready.probeAudienceUid, definition);
    for (let attempt = 0; ; attempt++) {
      if ((await probeDecision(base, ready)) === expected) break;
      if (attempt > 1000) throw new Error('the edit never reached the manifest');
    }
    times.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return times.sort((a, b) => a - b);
}

interface PacedEdits {
  /** ms from each edit's scheduled start until its save returned (the server then serves it), sorted. */
  latencies: number[];
  /** Edits per second achieved. */
  rate: number;
}

/**
 * `rate` audience edits per second for `seconds`, at most MAX_EDITS: edit k is due at k / rate
 * and timed from then, so an edit that waits for the one before it counts the wait. Odd edits
 * give one of the seeded audiences (used by the experiences) a new random definition; even ones
 * toggle the probe, and a manifest read right after the save must show it, since a save returns
 * only once this server decides from the new data.
 */
async function pacedEdits(base: string, ready: BenchServerReady, rate: number, seconds: number, seed: number): Promise<PacedEdits> {
  const r = prng(seed);
  const total = Math.min(MAX_EDITS, Math.round(rate * seconds));
  const latencies: number[] = [];
  const start = performance.now();
  for (let k = 0; k < total; k++) {
    const due = start + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (k % 2 === 1) {
      const uid = ready.audienceUids[Math.floor(r() * ready.audienceUids.length)] as string;
      await putDefinition(base, ready, uid, benchDefinition(r, ready.attributeUids));
      latencies.push(performance.now() - due);
      continue;
    }
    const { definition, expected } = probeEdit(ready, k / 2);
    await putDefinition(base, ready, ready.probeAudienceUid, definition);
    latencies.push(performance.now() - due);
    const decided = await probeDecision(base, ready);
    if (decided !== expected) throw new Error(`the manifest after a save showed ${String(decided)}, expected ${String(expected)}`);
  }
  return { latencies: latencies.sort((a, b) => a - b), rate: total / ((performance.now() - start) / 1000) };
}

function row(f: RunFigures): string {
  return `${f.label.padEnd(38)} ${f.rps.toFixed(0).padStart(8)} req/s   p50 ${String(f.p50).padStart(3)} ms   p99 ${String(f.p99).padStart(3)} ms   errors ${f.errors}  non-2xx ${f.non2xx}`;
}

/** The server's CPU time (user + system, µs) so far: contention on a shared machine inflates wall time far more than this. */
async function serverCpu(child: ChildProcess): Promise<{ micros: number; system: number; loop: LoopDelay }> {
  child.send('cpu');
  const [reply] = (await once(child, 'message')) as [{ type: 'cpu'; micros: { user: number; system: number }; loop: LoopDelay }];
  return { micros: reply.micros.user + reply.micros.system, system: reply.micros.system, loop: reply.loop };
}

/** The server's event-loop delay during a run (ms): its own stalls, as opposed to waiting for a CPU. */
interface LoopDelay {
  p99: number;
  max: number;
}

/**
 * cpuPerRequest includes the kernel's share (systemPerRequest). Over loopback that share also holds
 * delivering each response to the load generator and waking it when it sleeps, which costs a slow
 * route more per request than a fast one: its client sleeps between responses (ADR 0079).
 */
type Measured = RunFigures & { cpuPerRequest: number; systemPerRequest: number; loop: LoopDelay };

async function measured(child: ChildProcess, run: () => Promise<RunFigures>): Promise<Measured> {
  const before = await serverCpu(child);
  const figures = await run();
  const after = await serverCpu(child);
  const n = Math.max(1, figures.total);
  return { ...figures, cpuPerRequest: (after.micros - before.micros) / n, systemPerRequest: (after.system - before.system) / n, loop: after.loop };
}

async function serverBuilds(child: ChildProcess): Promise<BenchServerBuilds['builds']> {
  child.send('builds');
  const [reply] = (await once(child, 'message')) as [BenchServerBuilds];
  return reply.builds;
}

/** The server's snapshot builds by kind while `run` ran: how many, and their mean duration in ms. */
async function withBuilds<T>(child: ChildProcess, run: () => Promise<T>): Promise<{ result: T; builds: Record<'full' | 'incremental', { count: number; meanMs: number }> }> {
  const before = await serverBuilds(child);
  const result = await run();
  const after = await serverBuilds(child);
  const diff = (kind: 'full' | 'incremental') => {
    const count = after[kind].count - before[kind].count;
    return { count, meanMs: count === 0 ? NaN : ((after[kind].seconds - before[kind].seconds) * 1000) / count };
  };
  return { result, builds: { full: diff('full'), incremental: diff('incremental') } };
}

export async function runEdgeBench(): Promise<void> {
  // EDGE_BENCH_PROFILE=<dir>: the server writes CPU profiles of one static and one manifest run there.
  const profile = process.env.EDGE_BENCH_PROFILE;
  // With EDGE_BENCH_LOG_LEVEL the server logs like production; its stdout (the log) is discarded.
  const logging = process.env.EDGE_BENCH_LOG_LEVEL !== undefined;
  // Without the `source` condition the server's packages resolve to their built dist, as in production.
  const execArgv = process.execArgv.filter((flag) => flag !== '--conditions=source');
  const child = fork(new URL('./edge-bench-server.ts', import.meta.url), { execArgv, stdio: ['inherit', logging ? 'ignore' : 'inherit', 'inherit', 'ipc'] });
  try {
    const [message] = (await once(child, 'message')) as [BenchServerReady];
    const base = `http://127.0.0.1:${message.port}`;
    const project = { 'x-project-uid': message.projectUid };
    console.log(`\nEdge benchmark: 100 active experiences (half A/B) + 1 probe, 300 audiences of 3–12 rules, ${VISITORS} visitor profiles`);
    console.log(`seeded in ${message.seedSeconds.toFixed(1)} s; manifest body ${message.manifestBytes} bytes; ${CONNECTIONS} connections, ${RUN_SECONDS} s per run`);
    console.log(`server logging: ${logging ? `pino at ${process.env.EDGE_BENCH_LOG_LEVEL ?? ''} (output discarded)` : 'off'}\n`);

    const idleEdits = await editLatencies(base, message);
    await load(`${base}/edge/manifest`, project, 'warm-up');
    // Alternate the two routes and keep each one's best run: load from other processes on the
    // machine then penalizes both alike.
    const statics: Array<Measured> = [];
    const manifests: Array<Measured> = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (profile && round === 0) child.send('profile-start');
      statics.push(await measured(child, () => load(`${base}/bench/static`, project, 'static route (same size, same server)')));
      if (profile && round === 0) {
        child.send('profile-stop:edge-static');
        await once(child, 'message');
        child.send('profile-start');
      }
      manifests.push(await measured(child, () => load(`${base}/edge/manifest`, project, 'GET /edge/manifest')));
      if (profile && round === 0) {
        child.send('profile-stop');
        await once(child, 'message');
      }
    }
    console.log(`full-load runs, req/s each: static ${statics.map((f) => f.rps.toFixed(0)).join(', ')}; manifest ${manifests.map((f) => f.rps.toFixed(0)).join(', ')}`);
    const best = (runs: Array<Measured>) => runs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const baseline = best(statics);
    const manifest = best(manifests);
    const halfRate = Math.round(manifest.rps / 2);
    // Half load alone (the issue's p99 goal), then again while 20 audience edits/s recompile the
    // snapshot. The static route at the same paced rate: what the load generator and the loopback add.
    // Tail latency on a shared 2-CPU machine is what the neighbours do at that moment: like
    // throughput, each run's p99 is the best of ROUNDS alternating runs, and every run is printed.
    const seconds = Math.min(RUN_SECONDS, 20);
    const halfStatics: Measured[] = [];
    const halves: Measured[] = [];
    const editing: Array<{ figures: Measured; edits: PacedEdits; builds: Record<'full' | 'incremental', { count: number; meanMs: number }> }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      halfStatics.push(await measured(child, () => paced(`${base}/bench/static`, project, 'static route at that rate, paced', halfRate)));
      halves.push(await measured(child, () => paced(`${base}/edge/manifest`, project, 'GET /edge/manifest at half load, paced', halfRate)));
      const { result, builds } = await withBuilds(child, () =>
        Promise.all([
          measured(child, () => paced(`${base}/edge/manifest`, project, `  … with ${EDIT_RATE} audience edits/s`, halfRate)),
          pacedEdits(base, message, EDIT_RATE, seconds, 100 + round),
        ]),
      );
      editing.push({ figures: result[0], edits: result[1], builds });
    }
    const calmest = (runs: Measured[]) => runs.reduce((a, b) => (b.p99 < a.p99 ? b : a));
    const halfStatic = calmest(halfStatics);
    const half = calmest(halves);
    const halfEditing = calmest(editing.map((e) => e.figures));
    const edited = editing.find((e) => e.figures === halfEditing) ?? (editing[0] as (typeof editing)[number]);
    console.log(`paced runs, p99 each: static ${halfStatics.map((f) => f.p99).join(', ')} ms; manifest ${halves.map((f) => f.p99).join(', ')} ms; manifest with edits ${editing.map((e) => e.figures.p99).join(', ')} ms`);
    for (const f of [baseline, manifest, halfStatic, half, halfEditing]) {
      console.log(`${row(f)}   server CPU ${f.cpuPerRequest.toFixed(0)} µs/req (kernel ${f.systemPerRequest.toFixed(0)})   loop delay p99 ${f.loop.p99.toFixed(1)} ms, max ${f.loop.max.toFixed(1)} ms`);
    }
    console.log(`\nmanifest / static throughput: ${((manifest.rps / baseline.rps) * 100).toFixed(1)} %  (goal ≥ 60 %)`);
    console.log(`manifest / static by server CPU per request: ${((baseline.cpuPerRequest / manifest.cpuPerRequest) * 100).toFixed(1)} %`);
    const user = (f: Measured) => f.cpuPerRequest - f.systemPerRequest;
    console.log(`manifest / static by server user-space CPU per request: ${((user(baseline) / user(manifest)) * 100).toFixed(1)} %`);
    console.log(`p99 at half of max throughput: ${half.p99} ms  (goal < 10 ms); the static route paced alike: ${halfStatic.p99} ms`);
    console.log(
      `p99 at half load with ${EDIT_RATE} audience edits/s (${edited.edits.rate.toFixed(1)}/s achieved): ${halfEditing.p99} ms, ` +
        `${(halfEditing.p99 / half.p99).toFixed(2)}× the ${half.p99} ms without  (goal ≤ 1.5×)`,
    );
    const q = (xs: number[], p: number) => (xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN).toFixed(1);
    console.log(`audience edit → next manifest reflecting it (${EDITS} edits, idle server; goal < 50 ms): median ${q(idleEdits, 0.5)} ms, max ${q(idleEdits, 1)} ms`);
    const loaded = edited.edits.latencies;
    console.log(`audience edit → save returned, served (${loaded.length} edits at ${EDIT_RATE}/s under half load): median ${q(loaded, 0.5)} ms, p99 ${q(loaded, 0.99)} ms, max ${q(loaded, 1)} ms`);
    const b = edited.builds;
    console.log(
      `server snapshot builds during that run (input reads + compile): incremental ${b.incremental.count}, mean ${b.incremental.meanMs.toFixed(2)} ms; ` +
        `full ${b.full.count}${b.full.count > 0 ? `, mean ${b.full.meanMs.toFixed(2)} ms` : ''}`,
    );
    child.send('compile-times');
    const [compiled] = (await once(child, 'message')) as [BenchServerCompileTimes];
    console.log(
      `compile of the bench project (${compiled.audiences} audiences, ${compiled.experiences} experiences) in the server process, ms: ` +
        `from scratch median ${compiled.full.median.toFixed(2)}, p99 ${compiled.full.p99.toFixed(2)}; ` +
        `incremental (one audience replaced) median ${compiled.incremental.median.toFixed(3)}, p99 ${compiled.incremental.p99.toFixed(3)}`,
    );
  } finally {
    child.send('stop');
    await once(child, 'exit');
  }
}
