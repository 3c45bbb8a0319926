import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFreshness, EVERYONE, NO_ONE, seedPropagationProject, type PropagationProject } from '../test/propagation-checks.js';
import { apiClient, manifestOf, startServer, type ManifestVariants, type ServerProcess } from '../test/server-process.js';
import { isPostgresRun } from '../test/test-db.js';

const LEADING = 'running background jobs (analytics rollup, retention) for this installation';
const leads = (server: ServerProcess) => server.lines().filter((line) => line.msg === LEADING).length;

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(!isPostgresRun())('instances sharing one PostgreSQL database', () => {
  const adminUrl = process.env.DATABASE_URL ?? '';
  const name = `tailor_instances_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  // A database of its own: the change channel and the job lock are per database and schema.
  let url = '';
  let servers: ServerProcess[] = [];
  let project: PropagationProject;

  beforeAll(async () => {
    url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
    await withAdmin(adminUrl, (client) => client.query(`create database ${name}`));
    // Three instances released at once against the empty database: all must migrate and bootstrap.
    servers = await Promise.all([1, 2, 3].map(() => startServer({ env: { DATABASE_URL: url } })));
    project = await seedPropagationProject(servers[0]!.url);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    if (url === '') return;
    await withAdmin(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
  });

  it('all come up from an empty database at once, with one organization and one owner between them', async () => {
    for (const server of servers) expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const counts = await withAdmin(url, async (client) => ({
      organizations: Number((await client.query('select count(*) from organizations')).rows[0].count),
      users: Number((await client.query('select count(*) from users')).rows[0].count),
    }));
    expect(counts).toEqual({ organizations: 1, users: 1 });
  });

  it('runs the background jobs on exactly one instance', () => {
    expect(servers.map(leads).sort()).toEqual([0, 0, 1]);
  });

  it('serves an audience edit made through one instance from the idle others once 250 ms have passed', async () => {
    const { shortUid } = await project.segmented('Banner');
    const shown = (everyone: boolean) => (manifest: ManifestVariants) => ((manifest.get(shortUid) ?? null) !== null) === everyone;
    for (const everyone of [false, true, false, true]) {
      const report = await checkFreshness({
        readers: servers.slice(1).map((s) => s.url),
        projectUid: project.uid,
        before: shown(!everyone),
        write: async () => {
          const response = await project.api.call('PUT', `/api/audiences/${project.audienceUid}`, { definition: everyone ? EVERYONE : NO_ONE });
          expect(response.status).toBe(200);
        },
        after: shown(everyone),
      });
      expect(report.stale).toEqual([]);
    }
  }, 60_000);

  it('propagates activations, pauses, priority changes and deletes as promptly', async () => {
    const readers = servers.slice(1).map((s) => s.url);
    const first = await project.api.call('GET', '/api/experiences');
    const known = (first.body as Array<{ shortUid: string }>).map((e) => e.shortUid);
    let created: Awaited<ReturnType<PropagationProject['segmented']>> | undefined;
    const steps: Array<{ name: string; before: (m: ManifestVariants) => boolean; write: () => Promise<void>; after: (m: ManifestVariants) => boolean }> = [
      {
        name: 'activation',
        before: (m) => m.size === known.length,
        write: async () => {
          created = await project.segmented('Second');
        },
        after: (m) => created !== undefined && (m.get(created.shortUid) ?? null) !== null,
      },
      {
        name: 'pause',
        before: (m) => (m.get(created!.shortUid) ?? null) !== null,
        write: async () => {
          const response = await project.api.call('PUT', `/api/experiences/${created!.uid}/versions/${created!.versionUid}`, { status: 'PAUSED', variants: created!.variants });
          expect(response.status).toBe(200);
        },
        after: (m) => m.get(created!.shortUid) === null,
      },
      {
        name: 'resume',
        before: (m) => m.get(created!.shortUid) === null,
        write: async () => {
          const response = await project.api.call('PUT', `/api/experiences/${created!.uid}/versions/${created!.versionUid}`, { status: 'ACTIVE', variants: created!.variants });
          expect(response.status).toBe(200);
        },
        after: (m) => (m.get(created!.shortUid) ?? null) !== null,
      },
      {
        name: 'priority',
        before: (m) => [...m.keys()].at(-1) === created!.shortUid,
        write: async () => {
          const order = (await project.api.call('GET', '/api/experiences-priority')).body as { priorityOrder: string[] };
          const reordered = [created!.uid, ...order.priorityOrder.filter((uid) => uid !== created!.uid)];
          const response = await project.api.call('PUT', '/api/experiences-priority', { priorityOrder: reordered });
          expect(response.status).toBe(200);
        },
        after: (m) => [...m.keys()][0] === created!.shortUid,
      },
      {
        name: 'delete',
        before: (m) => m.has(created!.shortUid),
        write: async () => {
          const response = await project.api.call('DELETE', `/api/experiences/${created!.uid}`);
          expect(response.status).toBe(204);
        },
        after: (m) => !m.has(created!.shortUid),
      },
    ];
    for (const step of steps) {
      const report = await checkFreshness({ readers, projectUid: project.uid, before: step.before, write: step.write, after: step.after });
      expect({ step: step.name, stale: report.stale }).toEqual({ step: step.name, stale: [] });
    }
  }, 90_000);

  it('stores each event accepted by either instance once and counts each impression once', async () => {
    const goal = await project.api.create('/api/events', { key: `goal-${Date.now()}`, description: '' });
    const experience = await project.api.create('/api/experiences', { name: 'Split', __type: 'AB_TEST' });
    const activated = await project.api.call('PUT', `/api/experiences/${experience.uid}/versions/${experience.latestVersion}`, {
      status: 'ACTIVE',
      variants: [
        { name: 'Control', trafficDistribution: 50 },
        { name: 'Other', trafficDistribution: 50 },
      ],
      metrics: [{ __type: 'Primary', event: goal.uid }],
    });
    expect(activated.status).toBe(200);
    const send = async (server: ServerProcess, visitor: string) => {
      const variant = (await manifestOf(server.url, project.uid, visitor)).get(experience.shortUid as string);
      const response = await fetch(`${server.url}/edge/events`, {
        method: 'POST',
        headers: { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': visitor, 'content-type': 'application/json' },
        body: JSON.stringify([{ type: 'IMPRESSION', experienceShortUid: experience.shortUid, variantShortUid: variant }]),
      });
      expect(response.status).toBeLessThan(300);
    };
    const [a, b] = servers as [ServerProcess, ServerProcess];
    for (let i = 0; i < 20; i += 1) await send(a, `only-a-${i}`);
    for (let i = 0; i < 20; i += 1) await send(b, `only-b-${i}`);
    // The same visitor's impression reaching both instances (a retry through another one).
    for (let i = 0; i < 10; i += 1) await Promise.all([send(a, `both-${i}`), send(b, `both-${i}`)]);

    const stored = await withAdmin(url, async (client) =>
      Number((await client.query("select count(*) from edge_events where project_uid = $1 and type = 'IMPRESSION'", [project.uid])).rows[0].count),
    );
    // The impression both instances received is one row: the dedup key holds across instances.
    expect(stored).toBe(50);
    const reader = await apiClient(b.url, project.uid);
    let impressions = 0;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const summary = await reader.call('GET', `/api/experiences/${experience.uid}/analytics/summary`);
      if (summary.status === 200) impressions = (summary.body as { variants: Array<{ impressions: number }> }).variants.reduce((sum, v) => sum + v.impressions, 0);
      if (impressions >= 50) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(impressions).toBe(50);
  }, 60_000);

  it('hands the background jobs to another instance when the leader stops', async () => {
    const leader = servers.find((server) => leads(server) === 1)!;
    await leader.stop('SIGTERM');
    const others = servers.filter((server) => server !== leader);
    const deadline = Date.now() + 20_000;
    while (others.every((server) => leads(server) === 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(others.map(leads).sort()).toEqual([0, 1]);
  }, 30_000);
});
