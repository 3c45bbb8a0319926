/** The scale benchmark's PostgreSQL runs: fresh databases, and ingestion from two instances at once. */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { createPostgresDb, type Db } from '../../apps/server/src/db/create-db.js';
import { caller, cannon, type LoadFigures, login, withCpu } from './scale-bench-load.js';
import { cpuDelta, cpuOf, fmt, INGEST_CONNECTIONS, INGEST_VISITORS, PG_URL, SECONDS, type Server, sleep, startTailor } from './scale-bench-processes.js';


export interface PgBench {
  admin: pg.Client;
  local: boolean;
  databases: string[];
}

export async function connectPostgres(): Promise<PgBench | string> {
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

export async function freshDatabase(bench: PgBench): Promise<{ name: string; url: string }> {
  const name = `scale_bench_${randomBytes(6).toString('hex')}`;
  await bench.admin.query(`create database ${name}`);
  bench.databases.push(name);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** CPU of the PostgreSQL backends serving `database` (local servers only): the instances' queries, not the shared background writers. */
export async function backendPids(bench: PgBench, database: string): Promise<number[]> {
  if (!bench.local) return [];
  const rows = await bench.admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database]);
  return rows.rows.map((r) => r.pid);
}


export interface IngestSeeded {
  projectUid: string;
  shortUid: string;
  goal: string;
}

export async function seedIngestion(url: string): Promise<IngestSeeded> {
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

export function eventsLoad(server: Server, s: IngestSeeded, offset: number): Promise<LoadFigures> {
  return cannon(`POST /edge/events on ${server.name}`, `${server.url}/edge/events`, SECONDS, INGEST_CONNECTIONS, (n) => {
    const visitor = offset + (n % INGEST_VISITORS);
    return {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-project-uid': s.projectUid, 'x-cs-personalize-user-uid': `load-${visitor}` },
      body: JSON.stringify([{ type: 'IMPRESSION', experienceShortUid: s.shortUid, variantShortUid: String(visitor % 2) }, ...Array.from({ length: 9 }, () => ({ type: 'EVENT', eventKey: s.goal }))]),
    };
  });
}

export async function rollupLag(server: Server): Promise<{ events: number; seconds: number } | null> {
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

export async function countEvents(db: Db, projectUid: string): Promise<number> {
  const row = await db.kysely.selectFrom('edge_events').select((eb) => eb.fn.countAll<string>().as('n')).where('project_uid', '=', projectUid).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function measureIngestion(bench: PgBench, dataDir: string): Promise<void> {
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
