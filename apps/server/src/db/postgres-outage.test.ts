import { execFile as execFileCallback, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import { edgeSeed, equalsRule } from '../modules/edge/edge-test-seed.js';
import { fixedClock } from '../shared/clock.js';
import type { TestApp, TestUser } from '../test/test-app.js';
import { createTestProject } from '../test/test-project.js';
import { createPostgresDb, type Db } from './create-db.js';
import { DATABASE_UNAVAILABLE } from './database-unavailable.js';
import { migrateToLatest } from './migrator.js';

/**
 * A real outage: a PostgreSQL cluster of this test's own (never the shared one CI tests run on)
 * is stopped for 20 s under edge and Management API load, then started again, while one app
 * keeps running over one connection pool.
 */

const execFile = promisify(execFileCallback);
const OUTAGE_MS = 20_000;
const RECOVERY_LIMIT_MS = 15_000;

function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')) && fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b));
  const newest = versions.at(-1);
  return newest === undefined ? undefined : path.join(root, newest, 'bin');
}

/** initdb and pg_ctl refuse to run as root: there they run as the postgres user. */
const asRoot = process.getuid?.() === 0;
function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) };
  } catch {
    return undefined;
  }
}
const pgBin = findPgBin();
const pgUser = asRoot ? postgresUser() : undefined;
const runnable = pgBin !== undefined && (!asRoot || pgUser !== undefined);

async function pg(tool: string, args: string[]): Promise<void> {
  const command = path.join(pgBin ?? '', tool);
  if (asRoot) await execFile('runuser', ['-u', 'postgres', '--', command, ...args]);
  else await execFile(command, args);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Cluster {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  remove(): Promise<void>;
}

async function createCluster(): Promise<Cluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-outage-'));
  if (pgUser !== undefined) fs.chownSync(dir, pgUser.uid, pgUser.gid);
  const data = path.join(dir, 'data');
  const port = await freePort();
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  let running = false;
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await pg('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
      running = true;
    },
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    async remove() {
      if (running) await cluster.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}

type Phase = 'before' | 'stopping' | 'outage' | 'starting' | 'after';

interface Outcome {
  kind: 'manifest-new' | 'manifest-returning' | 'events' | 'write' | 'readyz';
  /** The phase when the request was sent and when its answer came; "during the outage" means both were 'outage'. */
  sent: Phase;
  answered: Phase;
  status: number;
  retryAfter: string | null;
  body: string;
  /** What the request expected, to check the answer against. */
  expect?: string;
  visitor?: string;
}

interface ManifestBody {
  experiences: Array<{ shortUid: string; activeVariantShortUid: string | null }>;
}

describe('a PostgreSQL outage', () => {
  let cluster: Cluster | undefined;
  let db: Db | undefined;
  let app: App | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-outage-data-'));
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await cluster?.remove();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(!runnable)(
    'keeps the edge deciding, refuses events and writes with 503 + Retry-After, loses no acknowledged event, and recovers without a restart',
    async () => {
      cluster = await createCluster();
      db = createPostgresDb(cluster.url, { max: 5 });
      await migrateToLatest(db);
      const logLines: Array<{ level: number; msg?: string }> = [];
      const clock = fixedClock(new Date());
      const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: cluster.url, LOG_LEVEL: 'warn', MANAGEMENT_RATE_LIMIT: '0' });
      app = await buildApp({ config, db, clock, logger: { write: (line) => logLines.push(JSON.parse(line) as { level: number; msg?: string }) }, webDist: '/nonexistent' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      if (typeof address !== 'object' || address === null) throw new Error('not listening');
      const base = `http://127.0.0.1:${address.port}`;

      // Seeding through the Management API, as the console would.
      const ownerUser = await app.services.identity.createUser({ email: 'owner@example.com', password: 'correct horse battery', firstName: 'Owner', lastName: 'OWNER', orgRole: 'OWNER' });
      const owner: TestUser = { uid: ownerUser.uid, email: ownerUser.email, token: '', headers: { authtoken: (await app.services.identity.openSession(ownerUser)).token } };
      const t: TestApp = { app, db, clock, owner, createUser: () => Promise.reject(new Error('not needed')), close: () => Promise.resolve() };
      const project = await createTestProject(t);
      const seed = edgeSeed(t, project);
      const plan = await seed.attribute('plan');
      const pro = await seed.audience('Pro', equalsRule(plan, 'pro'));
      const offer = await seed.segmented('Pro offer', [{ name: 'Pro', audiences: [pro] }]);
      const hero = await seed.abTest('Hero', [
        { name: 'A', trafficDistribution: 50 },
        { name: 'B', trafficDistribution: 50 },
      ]);
      await seed.event('purchase');
      const edgeHeaders = { 'x-project-uid': project.uid };
      const managementHeaders = { ...project.headersFor(owner), 'content-type': 'application/json' };

      // Returning visitors: a stored profile and the decisions it gave before the outage.
      const returning = ['r1', 'r2', 'r3', 'r4'];
      const baseline = new Map<string, string>();
      for (const [i, visitor] of returning.entries()) {
        const patched = await fetch(`${base}/edge/user-attributes`, {
          method: 'PATCH',
          headers: { ...edgeHeaders, 'x-cs-personalize-user-uid': visitor, 'content-type': 'application/json' },
          body: JSON.stringify({ plan: i % 2 === 0 ? 'pro' : 'free' }),
        });
        expect(patched.status).toBe(200);
        const manifest = await fetch(`${base}/edge/manifest`, { headers: { ...edgeHeaders, 'x-cs-personalize-user-uid': visitor } });
        expect(manifest.status).toBe(200);
        baseline.set(visitor, decisions((await manifest.json()) as ManifestBody));
      }

      let phase: Phase = 'before';
      const outcomes: Outcome[] = [];
      async function send(kind: Outcome['kind'], url: string, init: RequestInit, extra: Pick<Outcome, 'expect' | 'visitor'> = {}): Promise<Outcome> {
        const sent = phase;
        const response = await fetch(`${base}${url}`, { ...init, signal: AbortSignal.timeout(10_000) });
        const outcome: Outcome = { kind, sent, answered: phase, status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text(), ...extra };
        if (kind === 'manifest-new') outcome.visitor = response.headers.get('x-cs-personalize-user-uid') ?? '';
        outcomes.push(outcome);
        return outcome;
      }

      let counter = 0;
      let loading = true;
      /** One visitor's round: a first manifest, a returning visitor's manifest, and their events. */
      async function edgeLoad(): Promise<void> {
        for (let round = 0; loading && round < 5000; round++) {
          const n = counter++;
          const isPro = n % 2 === 0;
          await send('manifest-new', '/edge/manifest', { headers: { ...edgeHeaders, 'x-live-attributes': JSON.stringify({ plan: isPro ? 'pro' : 'free' }) } }, { expect: isPro ? '0' : 'none' });
          const visitor = returning[n % returning.length] ?? 'r1';
          await send('manifest-returning', '/edge/manifest', { headers: { ...edgeHeaders, 'x-cs-personalize-user-uid': visitor } }, { visitor, expect: baseline.get(visitor) ?? '' });
          // Half the batches also carry a conversion, which is checked against the event keys.
          const items = [{ type: 'IMPRESSION', experienceShortUid: hero, variantShortUid: '0' }, ...(n % 2 === 0 ? [{ type: 'EVENT', eventKey: 'purchase' }] : [])];
          await send('events', '/edge/events', { method: 'POST', headers: { ...edgeHeaders, 'x-cs-personalize-user-uid': `outage-${n}`, 'content-type': 'application/json' }, body: JSON.stringify(items) }, { visitor: `outage-${n}`, expect: String(items.length) });
          await sleep(20);
        }
      }
      let writes = 0;
      const write = () => send('write', '/api/attributes', { method: 'POST', headers: managementHeaders, body: JSON.stringify({ name: `During ${writes}`, key: `during${writes++}`, description: '' }) });
      const readyz = () => send('readyz', '/readyz', {});
      /** Management writes and readiness probes once a second while `phase` stays `within`. */
      async function probe(within: Phase): Promise<void> {
        while (loading && phase === within) {
          await write();
          await readyz();
          await sleep(1000);
        }
      }

      const load = Promise.all([edgeLoad(), edgeLoad(), edgeLoad()]);
      await sleep(2000);
      expect((await readyz()).status).toBe(200);

      phase = 'stopping';
      await cluster.stop();
      phase = 'outage';
      const outageProbes = probe('outage');
      await sleep(OUTAGE_MS);
      phase = 'starting';
      await outageProbes;
      await cluster.start();
      phase = 'after';

      // The same app and pool: polled until a write and an event batch succeed again.
      const recoveredBy = Date.now() + RECOVERY_LIMIT_MS;
      let recovered = false;
      while (!recovered && Date.now() < recoveredBy) {
        const [w, e] = [await write(), outcomes.filter((o) => o.kind === 'events' && o.sent === 'after').at(-1)];
        recovered = w.status === 201 && e?.status === 200 && (await readyz()).status === 200;
        if (!recovered) await sleep(250);
      }
      await sleep(1000);
      loading = false;
      await load;
      expect(recovered).toBe(true);

      const during = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind && o.sent === 'outage' && o.answered === 'outage');
      const summary = (list: Outcome[]) => list.map((o) => `${o.kind} ${o.sent}→${o.answered} ${o.status} ${o.body.slice(0, 160)}`);

      // 1. Nothing anywhere, in any phase, was a 500; the error handler's 500 path never ran.
      expect(summary(outcomes.filter((o) => o.status >= 500 && o.status !== 503))).toEqual([]);
      expect(logLines.filter((l) => l.msg === 'unhandled error')).toEqual([]);

      // 2. New visitors are decided from the snapshots in memory, through the whole run.
      const firstManifests = outcomes.filter((o) => o.kind === 'manifest-new');
      expect(during('manifest-new').length).toBeGreaterThan(50);
      expect(summary(firstManifests.filter((o) => o.status !== 200 || offerDecision(o.body, offer) !== o.expect))).toEqual([]);
      // A/B bucketing follows the visitor uid: the uids handed out during the outage get the same variant once it is over.
      for (const o of during('manifest-new').slice(0, 20)) {
        const live = JSON.stringify({ plan: o.expect === '0' ? 'pro' : 'free' });
        const again = await fetch(`${base}/edge/manifest`, { headers: { ...edgeHeaders, 'x-cs-personalize-user-uid': o.visitor ?? '', 'x-live-attributes': live } });
        expect(decisions((await again.json()) as ManifestBody)).toBe(decisions(JSON.parse(o.body) as ManifestBody));
      }

      // 3. A returning visitor gets the decision it had, throughout: its profile's last read stands
      //    in while the database cannot be asked.
      expect(summary(outcomes.filter((o) => o.kind === 'manifest-returning' && !(o.status === 200 && decisions(JSON.parse(o.body) as ManifestBody) === o.expect)))).toEqual([]);

      // 4. Event batches: stored (200) or refused with a Retry-After (503), never half-answered.
      const batches = outcomes.filter((o) => o.kind === 'events');
      expect(summary(batches.filter((o) => !(o.status === 200 || (o.status === 503 && o.retryAfter !== null))))).toEqual([]);
      const refusedDuring = during('events');
      expect(refusedDuring.length).toBeGreaterThan(20);
      expect(summary(refusedDuring.filter((o) => o.status !== 503 || !o.body.includes(DATABASE_UNAVAILABLE)))).toEqual([]);
      expect(batches.filter((o) => o.sent === 'before' && o.status === 200).length).toBeGreaterThan(0);
      expect(batches.filter((o) => o.sent === 'after' && o.status === 200).length).toBeGreaterThan(0);

      // 5. Every acknowledged event is stored: each 200's visitor has all of its rows.
      const rows = await db.kysely.selectFrom('edge_events').select(['visitor_uid']).where('project_uid', '=', project.uid).where('visitor_uid', 'like', 'outage-%').execute();
      const storedRows = new Map<string, number>();
      for (const row of rows) storedRows.set(row.visitor_uid, (storedRows.get(row.visitor_uid) ?? 0) + 1);
      const acknowledged = batches.filter((o) => o.status === 200);
      expect(acknowledged.filter((o) => String(storedRows.get(o.visitor ?? '') ?? 0) !== o.expect).map((o) => o.visitor)).toEqual([]);

      // 6. Management API writes during the outage: 503, the code, a Retry-After.
      const writesDuring = during('write');
      expect(writesDuring.length).toBeGreaterThan(5);
      expect(summary(writesDuring.filter((o) => o.status !== 503 || o.retryAfter === null || (JSON.parse(o.body) as { error?: string }).error !== DATABASE_UNAVAILABLE))).toEqual([]);

      // 7. Readiness said the database was not ok during the outage, and ok after.
      const probesDuring = during('readyz');
      expect(probesDuring.length).toBeGreaterThan(5);
      expect(
        summary(probesDuring.filter((o) => o.status !== 503 || (JSON.parse(o.body) as { checks?: { database?: { ok: boolean; error?: string } } }).checks?.database?.ok !== false)),
      ).toEqual([]);
      expect(probesDuring.every((o) => !o.body.includes(cluster?.url ?? 'postgres://'))).toBe(true);
      const lastProbe = outcomes.filter((o) => o.kind === 'readyz').at(-1);
      expect(lastProbe?.status).toBe(200);
      expect(JSON.parse(lastProbe?.body ?? '{}')).toMatchObject({ status: 'ready', checks: { database: { ok: true } } });
    },
    90_000,
  );
});

/** Every experience's variant (or "none"), as one comparable string. */
function decisions(body: ManifestBody): string {
  return body.experiences.map((e) => `${e.shortUid}=${e.activeVariantShortUid ?? 'none'}`).join(',');
}

function offerDecision(body: string, offer: string): string {
  const found = (JSON.parse(body) as ManifestBody).experiences.find((e) => e.shortUid === offer);
  return found === undefined ? 'missing' : (found.activeVariantShortUid ?? 'none');
}
