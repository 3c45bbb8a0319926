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
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createPostgresDb, createSqliteDb } from '../../apps/server/src/db/create-db.js';
import { probeDefinition } from './edge-bench-probe.js';
import { pacedLoad, type PacedFigures } from './paced-load.js';
import { connectPostgres, freshDatabase, measureIngestion, type PgBench } from './scale-bench-ingestion.js';
import { caller, cannon, type Json, type LoadFigures, manifestLoad, type Seeded, seedProject, visitorHeaders, withCpu } from './scale-bench-load.js';
import { AUDIENCES, CONNECTIONS, EDIT_TIMEOUT_MS, EDITS, EXPERIENCES, fmt, FRESH_GOAL_MS, machineBusy, PARTS, pct, PG_URL, POLL_MS, RECURRING_VISITORS, ROUNDS, running, SECONDS, type Server, sleep, startTailor, VISITORS, WARM_UP_SECONDS } from './scale-bench-processes.js';


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
