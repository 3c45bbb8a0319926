/**
 * What SQLite's `synchronous = FULL` (the default: every commit synced, so an acknowledged write
 * survives a power loss) costs against `NORMAL` (survives a process crash only), on whole
 * requests of the real app over a database file, in the same run:
 *   1. audience edits, one after another (a transaction with its revision and audit entry);
 *   2. edge event batches of 10, 20 in flight (group-committed writes).
 * Modes alternate over several rounds; each figure is the median of its rounds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp, type App } from '../../apps/server/src/app.js';
import { loadConfig } from '../../apps/server/src/config.js';
import { createSqliteDb, type Db } from '../../apps/server/src/db/create-db.js';
import { migrateToLatest } from '../../apps/server/src/db/migrator.js';

type Mode = 'FULL' | 'NORMAL';
const ROUNDS = 3;
const EDITS = Number(process.env.DURABILITY_BENCH_EDITS ?? 300);
const EVENT_BATCHES = Number(process.env.DURABILITY_BENCH_BATCHES ?? 2000);
const IN_FLIGHT = 20;

interface Figures {
  editMs: number;
  eventsPerSecond: number;
}

async function seeded(mode: Mode, dir: string): Promise<{ app: App; db: Db; headers: Record<string, string>; projectUid: string }> {
  const db = createSqliteDb(path.join(dir, `${mode}-${Date.now()}.db`), mode);
  await migrateToLatest(db);
  const config = loadConfig({ MANAGEMENT_RATE_LIMIT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', SQLITE_SYNCHRONOUS: mode });
  const app = await buildApp({ config, db, logger: false, webDist: '/nonexistent' });
  await app.ready();
  const user = await app.services.identity.createUser({ email: 'bench@example.com', password: 'bench password', firstName: 'Bench', lastName: '', orgRole: 'OWNER' });
  const session = await app.services.identity.openSession(user);
  const auth = { authtoken: session.token, 'content-type': 'application/json' };
  const project = await app.inject({ method: 'POST', url: '/api/projects', headers: auth, payload: { name: 'Durability' } });
  const projectUid = (JSON.parse(project.body) as { uid: string }).uid;
  const headers = { ...auth, 'x-project-uid': projectUid };
  const event = await app.inject({ method: 'POST', url: '/api/events', headers, payload: { key: 'clicked', description: '' } });
  if (event.statusCode !== 201) throw new Error(`event create: ${event.statusCode} ${event.body}`);
  return { app, db, headers, projectUid };
}

async function measure(mode: Mode, dir: string): Promise<Figures> {
  const { app, db, headers, projectUid } = await seeded(mode, dir);
  try {
    const definition = {
      __type: 'RuleCombination',
      combinationType: 'AND',
      rules: [{ __type: 'Rule', attribute: { __type: 'PresetAttributeReference', ref: 'COUNTRY' }, attributeMatchCondition: 'STRING_EQUALS', attributeMatchOptions: { __type: 'StringMatchOptions', value: 'FR' }, invertCondition: false }],
    };
    const created = await app.inject({ method: 'POST', url: '/api/audiences', headers, payload: { name: 'Edited', definition } });
    const audienceUid = (JSON.parse(created.body) as { uid: string }).uid;
    const started = performance.now();
    for (let i = 0; i < EDITS; i++) {
      const res = await app.inject({ method: 'PUT', url: `/api/audiences/${audienceUid}`, headers, payload: { name: 'Edited', description: `edit ${i}`, definition } });
      if (res.statusCode !== 200) throw new Error(`audience edit: ${res.statusCode} ${res.body}`);
    }
    const editMs = (performance.now() - started) / EDITS;

    const edgeHeaders = { 'x-project-uid': projectUid, 'content-type': 'application/json' };
    let next = 0;
    const worker = async () => {
      while (next < EVENT_BATCHES) {
        const n = next++;
        const payload = Array.from({ length: 10 }, () => ({ type: 'EVENT', eventKey: 'clicked' }));
        const res = await app.inject({ method: 'POST', url: '/edge/events', headers: { ...edgeHeaders, 'x-cs-personalize-user-uid': `visitor${n}` }, payload });
        if (res.statusCode >= 300) throw new Error(`events: ${res.statusCode} ${res.body}`);
      }
    };
    const eventsStarted = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const eventsPerSecond = (EVENT_BATCHES * 10) / ((performance.now() - eventsStarted) / 1000);
    return { editMs, eventsPerSecond };
  } finally {
    await app.close();
    await db.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export async function runDurabilityBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-durability-'));
  const runs: Record<Mode, Figures[]> = { FULL: [], NORMAL: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of round % 2 === 0 ? (['NORMAL', 'FULL'] as const) : (['FULL', 'NORMAL'] as const)) runs[mode].push(await measure(mode, dir));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const figure = (mode: Mode) => ({ editMs: median(runs[mode].map((r) => r.editMs)), eventsPerSecond: median(runs[mode].map((r) => r.eventsPerSecond)) });
  const full = figure('FULL');
  const normal = figure('NORMAL');
  console.log('\n== durability: SQLite synchronous FULL (default) vs NORMAL, whole requests, median of %d rounds', ROUNDS);
  console.log(`audience edit:   FULL ${full.editMs.toFixed(2)} ms   NORMAL ${normal.editMs.toFixed(2)} ms   FULL/NORMAL ${(full.editMs / normal.editMs).toFixed(2)}×`);
  console.log(
    `edge events (10/batch, ${IN_FLIGHT} in flight):   FULL ${Math.round(full.eventsPerSecond)}/s   NORMAL ${Math.round(normal.eventsPerSecond)}/s   FULL/NORMAL ${(full.eventsPerSecond / normal.eventsPerSecond).toFixed(2)}`,
  );
}
