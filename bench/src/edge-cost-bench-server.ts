/**
 * The server side of the edge cost benchmark (ADR 0080), in its own process like the edge
 * benchmark's and running the built server: seeds the costliest project the limits allow
 * (edge-cost-fixtures.ts) and a cheap one through the Management API, measures in this process
 * the CPU of each worst manifest (through `app.inject`, so nothing else runs meanwhile), then
 * listens on loopback for the load generator.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { decisionWork } from '@tailor/engine';
import { buildApp, type App } from '../../apps/server/dist/app.js';
import { loadConfig } from '../../apps/server/dist/config.js';
import { createDb } from '../../apps/server/dist/db/create-db.js';
import { toJson } from '../../apps/server/dist/db/mappers.js';
import { migrateToLatest } from '../../apps/server/dist/db/migrator.js';
import { answerBenchMessages } from './bench-child.js';
import { ATTRIBUTES, attributeKey, worstDefinitions, worstHeaders, worstProfile } from './edge-cost-fixtures.js';

type Json = Record<string, unknown>;

/** CPU per manifest, ms. */
export interface CpuFigures {
  p50: number;
  p99: number;
  mean: number;
  max: number;
  /** Wall time per manifest, p50 and p99: process CPU also counts V8's background threads (compiler, concurrent GC). */
  wallP50: number;
  wallP99: number;
  /** Share of these decisions that spent their whole budget. */
  exhausted: number;
}

export interface CostServerReady {
  type: 'ready';
  port: number;
  worstHeaders: Record<string, string>;
  cheapHeaders: Record<string, string>;
  regexRules: number;
  regexInstructions: number;
  liveBytes: number;
  bounded: CpuFigures;
  unboundedMs: number;
  cheapCpu: CpuFigures;
  seedSeconds: number;
}

const SAMPLES = Number(process.env.EDGE_COST_SAMPLES ?? 300);
const UNBOUNDED_SAMPLES = 2;
const WORST_VISITOR = 'worst-visitor';
const CHEAP_VISITOR = 'cheap-visitor';

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** CPU (user + system) of each of `n` manifests, one after another, after a warm-up. */
async function cpuPerManifest(app: App, headers: Record<string, string>, n: number, warmup: number): Promise<CpuFigures> {
  const get = () => app.inject({ method: 'GET', url: '/edge/manifest', headers });
  for (let i = 0; i < warmup; i++) await get();
  const exhaustedBefore = decisionWork.exhaustedDecisions;
  const ms: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < n; i++) {
    const before = process.cpuUsage();
    const started = performance.now();
    const response = await get();
    wall.push(performance.now() - started);
    const used = process.cpuUsage(before);
    if (response.statusCode !== 200) throw new Error(`manifest → ${response.statusCode} ${response.body}`);
    ms.push((used.user + used.system) / 1000);
  }
  const exhausted = (decisionWork.exhaustedDecisions - exhaustedBefore) / n;
  const mean = ms.reduce((a, b) => a + b, 0) / n;
  ms.sort((a, b) => a - b);
  wall.sort((a, b) => a - b);
  return { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), mean, max: ms[ms.length - 1] ?? Number.NaN, wallP50: quantile(wall, 0.5), wallP99: quantile(wall, 0.99), exhausted };
}

async function main(): Promise<void> {
  const started = performance.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-edge-cost-'));
  const config = loadConfig({ MANAGEMENT_RATE_LIMIT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', TAILOR_ADMIN_EMAIL: 'bench@example.com', TAILOR_ADMIN_PASSWORD: 'bench-password' });
  const db = createDb(config.database);
  await migrateToLatest(db);
  const app = await buildApp({ config, db, logger: false, webDist: '/nonexistent' });
  await app.ready();
  await app.services.identity.bootstrap(config.admin);
  const login = await app.inject({ method: 'POST', url: '/api/user-session', payload: { user: { email: 'bench@example.com', password: 'bench-password' } } });
  const authtoken = (JSON.parse(login.body) as { user: { authtoken: string } }).user.authtoken;
  const call = async (method: 'POST' | 'PUT', url: string, payload: Json, projectUid?: string): Promise<Json> => {
    const response = await app.inject({ method, url, payload, headers: { authtoken, ...(projectUid ? { 'x-project-uid': projectUid } : {}) } });
    if (response.statusCode >= 300) throw new Error(`${method} ${url} → ${response.statusCode} ${response.body}`);
    return JSON.parse(response.body) as Json;
  };
  const segmented = async (projectUid: string, name: string, audienceUid: string) => {
    const exp = await call('POST', '/api/experiences', { name, __type: 'SEGMENTED' }, projectUid);
    const variants = [{ __type: 'SegmentedVariant', name: 'Only', audiences: [audienceUid], audienceCombinationType: 'OR' }];
    await call('PUT', `/api/experiences/${exp.uid as string}/versions/${exp.latestVersion as string}`, { status: 'ACTIVE', variants }, projectUid);
  };
  const storeProfile = (projectUid: string, visitorUid: string, attributes: Json) => {
    const now = new Date().toISOString();
    return db.kysely.insertInto('visitor_profiles').values({ project_uid: projectUid, visitor_uid: visitorUid, attributes: toJson(attributes), created_at: now, updated_at: now }).execute();
  };

  // The costliest project, at the default limits.
  const worst = (await call('POST', '/api/projects', { name: 'Worst case' })).uid as string;
  const uids: string[] = [];
  for (let n = 0; n < ATTRIBUTES; n++) uids.push((await call('POST', '/api/attributes', { name: attributeKey(n), key: attributeKey(n), description: '' }, worst)).uid as string);
  const { definitions, regexRules, regexInstructions } = worstDefinitions(uids);
  for (const [i, definition] of definitions.entries()) {
    const audience = (await call('POST', '/api/audiences', { name: `Worst ${i}`, description: '', definition }, worst)).uid as string;
    await segmented(worst, `Worst ${i}`, audience);
  }
  await storeProfile(worst, WORST_VISITOR, worstProfile());

  // The cheap project: what most projects look like.
  const cheap = (await call('POST', '/api/projects', { name: 'Cheap' })).uid as string;
  const plan = (await call('POST', '/api/attributes', { name: 'plan', key: 'plan', description: '' }, cheap)).uid as string;
  for (let i = 0; i < 10; i++) {
    const rule = { __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: plan }, attributeMatchCondition: 'STRING_EQUALS', attributeMatchOptions: { __type: 'StringMatchOptions', value: `tier-${i}` }, invertCondition: false };
    const audience = (await call('POST', '/api/audiences', { name: `Tier ${i}`, description: '', definition: { __type: 'RuleCombination', combinationType: 'AND', rules: [rule] } }, cheap)).uid as string;
    await segmented(cheap, `Tier ${i}`, audience);
  }
  await storeProfile(cheap, CHEAP_VISITOR, { plan: 'tier-3' });

  const headers = worstHeaders(worst, WORST_VISITOR);
  const cheapHeaders = { 'x-project-uid': cheap, 'x-cs-personalize-user-uid': CHEAP_VISITOR };
  const bounded = await cpuPerManifest(app, headers, SAMPLES, 30);
  const cheapCpu = await cpuPerManifest(app, cheapHeaders, SAMPLES, 30);
  // The same manifest without the decision's budget: what the limits on each factor alone allow.
  decisionWork.setBudget(1e15);
  const unbounded = await cpuPerManifest(app, headers, UNBOUNDED_SAMPLES, 0);
  decisionWork.setBudget();

  await app.listen({ port: 0, host: '127.0.0.1' });
  const ready: CostServerReady = {
    type: 'ready',
    port: (app.server.address() as AddressInfo).port,
    worstHeaders: headers,
    cheapHeaders,
    regexRules,
    regexInstructions,
    liveBytes: Buffer.byteLength(headers['x-live-attributes'] ?? ''),
    bounded,
    unboundedMs: unbounded.mean,
    cheapCpu,
    seedSeconds: (performance.now() - started) / 1000,
  };
  process.send?.(ready);
  // The longest stall of this process's event loop during each run: what one request made every other wait.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  answerBenchMessages({
    profileFile: path.join(os.tmpdir(), 'edge-cost.cpuprofile'),
    extra: () => {
      const loop = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      loopDelay.reset();
      return { loop, exhausted: decisionWork.exhaustedDecisions };
    },
    stop: () =>
      app
        .close()
        .then(() => db.close())
        .finally(() => fs.rmSync(dataDir, { recursive: true, force: true })),
  });
}

await main();
