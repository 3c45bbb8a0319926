import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equalsRule } from '../modules/edge/edge-test-seed.js';
import { checkFreshness, EVERYONE, NO_ONE, seedPropagationProject, type PropagationProject } from '../test/propagation-checks.js';
import { manifestOf, startServer, type ManifestVariants, type ServerProcess } from '../test/server-process.js';
import { isPostgresRun } from '../test/test-db.js';

const listeningPids = (server: ServerProcess) =>
  server
    .lines()
    .filter((line) => typeof line.msg === 'string' && line.msg.startsWith('Server listening'))
    .map((line) => Number(line.pid));

describe.skipIf(isPostgresRun())('tailor serve --workers 2 on one SQLite file', () => {
  let dataDir: string;
  let server: ServerProcess;
  let project: PropagationProject;
  let shortUid: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-workers-'));
    server = await startServer({ env: { DATA_DIR: dataDir }, args: ['--workers', '2'] });
    project = await seedPropagationProject(server.url);
    ({ shortUid } = await project.segmented('Banner'));
  }, 90_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts two workers on one port beside a primary that runs the background jobs once', () => {
    const pids = listeningPids(server);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(server.pid);
    const leaders = server.lines().filter((line) => line.msg === 'running background jobs (analytics rollup, retention) for this installation');
    expect(leaders.map((line) => line.pid)).toEqual([server.pid]);
  });

  it('serves an edit made through one worker from every worker once 250 ms have passed', async () => {
    for (const [from, to] of [
      [EVERYONE, NO_ONE],
      [NO_ONE, EVERYONE],
      [EVERYONE, NO_ONE],
    ] as const) {
      const shown = (definition: typeof EVERYONE) => (manifest: ManifestVariants) => ((manifest.get(shortUid) ?? null) !== null) === (definition === EVERYONE);
      const report = await checkFreshness({
        readers: [server.url],
        projectUid: project.uid,
        answers: 6,
        before: shown(from),
        write: async () => {
          const response = await project.api.call('PUT', `/api/audiences/${project.audienceUid}`, { definition: to });
          expect(response.status).toBe(200);
        },
        after: shown(to),
      });
      expect(report.stale).toEqual([]);
    }
  }, 60_000);

  it('decides on attributes set through one worker in every worker once 250 ms have passed', async () => {
    const plan = await project.api.create('/api/attributes', { name: 'Plan', key: 'plan', description: '' });
    const pro = await project.api.create('/api/audiences', {
      name: 'Pro',
      description: '',
      definition: equalsRule(String(plan.uid), 'pro'),
    });
    const offer = await project.api.create('/api/experiences', { name: 'Pro offer', __type: 'SEGMENTED' });
    const activated = await project.api.call('PUT', `/api/experiences/${String(offer.uid)}/versions/${String(offer.latestVersion)}`, {
      status: 'ACTIVE',
      variants: [{ __type: 'SegmentedVariant', name: 'Offer', audiences: [pro.uid], audienceCombinationType: 'OR' }],
    });
    expect(activated.status).toBe(200);
    const offered = async () => (await manifestOf(server.url, project.uid, 'returning-visitor')).get(String(offer.shortUid)) ?? null;
    for (const value of ['pro', 'free', 'pro']) {
      // Both workers serve (and cache) the visitor's profile first.
      for (let i = 0; i < 6; i += 1) await offered();
      const response = await fetch(`${server.url}/edge/user-attributes`, {
        method: 'PATCH',
        headers: { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': 'returning-visitor', 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ plan: value }),
      });
      expect(response.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const answers = [];
      for (let i = 0; i < 6; i += 1) answers.push(await offered());
      expect(answers).toEqual(Array.from({ length: 6 }, () => (value === 'pro' ? '0' : null)));
    }
  }, 60_000);

  it('answers /metrics through either worker with the whole instance\'s figures', async () => {
    const read = async () => {
      const text = await (await fetch(`${server.url}/metrics`, { headers: { connection: 'close' } })).text();
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
      return { manifests: value('tailor_edge_manifests_total'), leader: value('tailor_background_jobs_leader'), text };
    };
    const before = await read();
    for (let i = 0; i < 10; i += 1) await manifestOf(server.url, project.uid, `counted-${i}`);
    const after = await read();
    expect(after.manifests - before.manifests).toBe(10);
    expect(after.leader).toBe(1);
    expect(after.text.match(/^# TYPE tailor_background_jobs_leader /gm)).toHaveLength(1);
  });

  it('replaces a worker that was killed, and keeps serving meanwhile', async () => {
    const [victim, survivor] = listeningPids(server);
    process.kill(victim!, 'SIGKILL');
    const noticed = (line: Record<string, unknown>) => typeof line.msg === 'string' && line.msg.startsWith(`worker ${victim} exited (SIGKILL); starting another`);
    while (!server.lines().some(noticed)) await new Promise((resolve) => setTimeout(resolve, 20));
    // The other worker answers everything while the primary forks a replacement.
    for (let i = 0; i < 5; i += 1) expect((await manifestOf(server.url, project.uid, `during-${i}`)).has(shortUid)).toBe(true);
    const deadline = Date.now() + 30_000;
    while (listeningPids(server).length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const pids = listeningPids(server);
    expect(pids).toHaveLength(3);
    expect(pids.slice(2)).not.toContain(victim);
    expect(pids).toContain(survivor);
  }, 60_000);

  it('drains every worker and exits 0 on SIGTERM', async () => {
    const code = await server.stop('SIGTERM');
    expect(code).toBe(0);
    const drained = server.lines().filter((line) => line.msg === 'shutting down: finishing in-flight requests').map((line) => Number(line.pid));
    expect(drained.sort()).toEqual(listeningPids(server).slice(-2).sort());
  }, 30_000);
});
