/** The scale benchmark's seeding over the Management API and its load generators. */
import autocannon from 'autocannon';
import { type Db } from '../../apps/server/src/db/create-db.js';
import { ATTRIBUTES, attributeKey, attributeValue, benchDefinition } from './edge-bench-audiences.js';
import { probeDefinition } from './edge-bench-probe.js';
import { prng } from './stats.js';
import { ADMIN, AUDIENCES, CONNECTIONS, cpuDelta, cpuOf, EXPERIENCES, IPS, machineBusy, type Server, USER_AGENTS, VISITORS } from './scale-bench-processes.js';


export interface Seeded {
  projectUid: string;
  authtoken: string;
  probeAudienceUid: string;
  probeAttributeUid: string;
  probeShortUid: string;
  seconds: number;
}

export type Json = Record<string, unknown>;

export async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/api/user-session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: ADMIN }) });
  if (response.status !== 200) throw new Error(`log-in → ${response.status} ${await response.text()}`);
  return ((await response.json()) as { user: { authtoken: string } }).user.authtoken;
}

export function caller(url: string, authtoken: string) {
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
export async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
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
export async function seedProject(url: string, db: Db): Promise<Seeded> {
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


export interface LoadFigures {
  label: string;
  total: number;
  ok: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export function visitorHeaders(projectUid: string, n: number, visitors = VISITORS): Record<string, string> {
  return {
    'x-project-uid': projectUid,
    'x-cs-personalize-user-uid': `visitor-${n % visitors}`,
    'user-agent': USER_AGENTS[n % USER_AGENTS.length] as string,
    'x-forwarded-for': IPS[n % IPS.length] as string,
    'x-page-url': `https://shop.example/p/${n % 50}?utm_source=bench`,
  };
}

export function cannon(label: string, url: string, seconds: number, connections: number, request: (n: number) => { method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<LoadFigures> {
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

export const manifestLoad = (url: string, projectUid: string, label: string, seconds: number, visitors = VISITORS) =>
  cannon(label, `${url}/edge/manifest`, seconds, CONNECTIONS, (n) => ({ headers: visitorHeaders(projectUid, n, visitors) }));

export interface WithCpu<T> {
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

export async function withCpu<T>(servers: readonly Server[], run: () => Promise<T>): Promise<WithCpu<T>> {
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
