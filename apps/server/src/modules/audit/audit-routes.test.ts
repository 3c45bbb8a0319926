import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

type Body = Record<string, unknown>;

describe('audit log routes', () => {
  let t: TestApp;
  let member: TestUser;
  let projectOwner: TestUser;
  let project: TestProject;
  let other: TestProject;
  beforeEach(async () => {
    t = await createTestApp();
    member = await t.createUser('MEMBER');
    projectOwner = await t.createUser('MEMBER');
    project = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }, { user: projectOwner, role: 'OWNER' }] });
    other = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }] });
  });
  afterEach(async () => {
    await t.close();
  });

  const createEvent = (key: string, p: TestProject = project) => t.app.inject({ method: 'POST', url: '/api/events', headers: p.headersFor(member), payload: { key } });
  const read = (query: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/api/audit-log${query}`, headers });

  it("shows a project's entries to its Owners and org Owners/Admins, not to Members or outsiders", async () => {
    await createEvent('a');
    await createEvent('b', other);
    const asOwner = await read('', project.headersFor(projectOwner));
    expect(asOwner.statusCode).toBe(200);
    const entries = json<Body[]>(asOwner);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      uid: expect.stringMatching(/^[0-9a-f]{24}$/),
      orgUid: expect.any(String),
      projectUid: project.uid,
      actorUid: member.uid,
      actorName: expect.any(String),
      action: 'event.created',
      resourceType: 'event',
      resourceUid: expect.any(String),
      revision: 1,
      summary: { key: 'a' },
      createdAt: '2026-11-29T12:00:00.000Z',
    });
    expect((await read('', project.headersFor(t.owner))).statusCode).toBe(200);
    expect((await read('', project.headersFor(member))).statusCode).toBe(403);
    const outsider = await t.createUser('MEMBER');
    expect((await read('', project.headersFor(outsider))).statusCode).toBe(403);
    expect((await read('', { 'x-project-uid': project.uid })).statusCode).toBe(401);
  });

  it('shows the whole organization to org Owners and Admins without x-project-uid, and to nobody else', async () => {
    await createEvent('a');
    await createEvent('b', other);
    const admin = await t.createUser('ADMIN');
    const all = json<Body[]>(await read('?resource=event', admin.headers));
    expect(all.map((e) => e.projectUid).sort()).toEqual([project.uid, other.uid].sort());
    expect((await read('', projectOwner.headers)).statusCode).toBe(403);
    expect((await read('', member.headers)).statusCode).toBe(403);
  });

  it('filters by resource, resource uid, actor and time', async () => {
    const first = json(await createEvent('a'));
    t.clock.advance(60_000);
    await createEvent('b');
    await t.app.inject({ method: 'POST', url: '/api/attributes', headers: project.headersFor(projectOwner), payload: { name: 'Plan', key: 'plan' } });
    const h = project.headersFor(projectOwner);
    expect(json<Body[]>(await read('?resource=attribute', h)).map((e) => e.action)).toEqual(['attribute.created']);
    expect(json<Body[]>(await read(`?resourceUid=${String(first.uid)}`, h))).toHaveLength(1);
    expect(json<Body[]>(await read(`?actor=${projectOwner.uid}`, h)).map((e) => e.action)).toEqual(['attribute.created']);
    expect(json<Body[]>(await read('?from=2026-11-29T12:00:30.000Z', h))).toHaveLength(2);
    expect(json<Body[]>(await read('?to=2026-11-29T12:00:30Z', h))).toHaveLength(1);
  });

  it('pages newest first with an opaque cursor until the last page', async () => {
    for (const key of ['a', 'b', 'c', 'd', 'e']) await createEvent(key);
    const h = project.headersFor(projectOwner);
    const seen: unknown[] = [];
    let query = '?resource=event&limit=2';
    let pages = 0;
    for (;;) {
      const res = await read(query, h);
      pages += 1;
      seen.push(...json<Body[]>(res).map((e) => (e.summary as Body).key));
      const next = res.headers['x-next-cursor'];
      if (typeof next !== 'string') break;
      expect(res.headers.link).toContain(`cursor=${next}`);
      query = `?resource=event&limit=2&cursor=${next}`;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('rejects malformed query parameters with their names as paths', async () => {
    const h = project.headersFor(projectOwner);
    for (const [query, path] of [
      ['?cursor=abc', 'cursor'],
      ['?limit=0', 'limit'],
      ['?limit=1000', 'limit'],
      ['?from=yesterday', 'from'],
      ['?actor=bob', 'actor'],
    ] as const) {
      const res = await read(query, h);
      expect(res.statusCode).toBe(400);
      expect(Object.keys(json<{ errors: Body }>(res).errors)).toEqual([path]);
    }
  });
});
