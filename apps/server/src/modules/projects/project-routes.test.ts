import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createTestProject } from '../../test/test-project.js';

interface ProjectBody {
  uid: string;
  _id: string;
  name: string;
  description: string;
  organizationUid: string;
  connectedStackApiKey: string | null;
  audienceCount: number;
  activeExperienceCount: number;
  userCount: number;
  currentUserRole: string | null;
  canManage: boolean;
  limits: Record<string, number>;
  createdByUserName: string;
}

describe('project routes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const create = (payload: unknown, headers = t.owner.headers) =>
    t.app.inject({ method: 'POST', url: '/api/projects', headers, payload: payload as Record<string, unknown> });

  it('creates a project with the Contentstack shape and makes the creator its Owner', async () => {
    const res = await create({ name: '  Web  ', description: 'Main site', connectedStackApiKey: 'blt123' });
    expect(res.statusCode).toBe(201);
    const body = json<ProjectBody>(res);
    expect(body.uid).toMatch(/^[0-9a-f]{24}$/);
    expect(body._id).toBe(body.uid);
    expect(body).toMatchObject({
      name: 'Web',
      description: 'Main site',
      connectedStackApiKey: 'blt123',
      audienceCount: 0,
      activeExperienceCount: 0,
      userCount: 1,
      currentUserRole: 'OWNER',
      canManage: true,
      createdAt: '2026-11-29T12:00:00.000Z',
      createdBy: t.owner.uid,
    });
    expect(body.limits.audiences).toBe(100);
    const org = await t.app.services.identity.getOrganization();
    expect(body.organizationUid).toBe(org.uid);
    const users = await t.app.inject({ method: 'GET', url: `/api/projects/${body.uid}/users`, headers: t.owner.headers });
    expect(json<Array<{ email: string; role: string; invitedBy: string }>>(users)).toEqual([
      expect.objectContaining({ email: 'owner@example.com', role: 'OWNER', invitedBy: 'System', status: 'ACCEPTED' }),
    ]);
  });

  it('ignores server-owned fields the CLI re-posts', async () => {
    const res = await create({ name: 'Copy', description: '', uid: 'x', _id: 'y', createdAt: 'z', audienceCount: 9 });
    expect(res.statusCode).toBe(201);
    expect(json<ProjectBody>(res).audienceCount).toBe(0);
    expect(json<ProjectBody>(res).uid).not.toBe('x');
  });

  it('refuses a duplicate name in any case with 409 personalize.PROJECTS.DUPLICATE_NAME', async () => {
    expect((await create({ name: 'Web', description: '' })).statusCode).toBe(201);
    const dup = await create({ name: 'WEB', description: '' });
    expect(dup.statusCode).toBe(409);
    expect(json(dup).error).toBe('personalize.PROJECTS.DUPLICATE_NAME');
    const other = json<ProjectBody>(await create({ name: 'Other', description: '' }));
    const rename = await t.app.inject({ method: 'PUT', url: `/api/projects/${other.uid}`, headers: t.owner.headers, payload: { name: 'web' } });
    expect(rename.statusCode).toBe(409);
    expect(json(rename).error).toBe('personalize.PROJECTS.DUPLICATE_NAME');
  });

  it('answers 400 with a path per ill-typed field', async () => {
    const res = await create({ name: 5, description: [], connectedStackApiKey: 7 });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(res).errors).sort()).toEqual(['connectedStackApiKey', 'description', 'name']);
    const blank = await create({ name: '   ', description: 'x'.repeat(2001) });
    expect(Object.keys(json<{ errors: object }>(blank).errors).sort()).toEqual(['description', 'name']);
    const long = await create({ name: 'n'.repeat(201) });
    expect(json<{ errors: Record<string, string[]> }>(long).errors.name?.[0]).toContain('200');
  });

  it('answers 401 without a token', async () => {
    const project = await createTestProject(t);
    for (const [method, url] of [
      ['GET', '/api/projects'],
      ['POST', '/api/projects'],
      ['GET', `/api/projects/${project.uid}`],
      ['PUT', `/api/projects/${project.uid}`],
      ['DELETE', `/api/projects/${project.uid}`],
    ] as const) {
      const res = await t.app.inject({ method, url, payload: method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' } });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('answers 400 for a malformed uid and 404 for an unknown one', async () => {
    const malformed = await t.app.inject({ method: 'GET', url: '/api/projects/not-a-uid', headers: t.owner.headers });
    expect(malformed.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(malformed).errors)).toEqual(['uid']);
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const res = await t.app.inject({ method, url: '/api/projects/0123456789abcdef01234567', headers: t.owner.headers, payload: method === 'PUT' ? {} : undefined });
      expect(res.statusCode, method).toBe(404);
      expect(json(res).error).toBe('personalize.PROJECTS.NOT_FOUND');
    }
  });

  it('answers 413 for an oversized body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { ...t.owner.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x', description: 'd'.repeat(1_100_000) }),
    });
    expect(res.statusCode).toBe(413);
  });

  it('filters by connectedStackApiKey and answers a bare array', async () => {
    await create({ name: 'A', description: '', connectedStackApiKey: 'blt_a' });
    await create({ name: 'B', description: '', connectedStackApiKey: 'blt_b' });
    await create({ name: 'C', description: '' });
    const all = json<ProjectBody[]>(await t.app.inject({ method: 'GET', url: '/api/projects', headers: t.owner.headers }));
    expect(all.map((p) => p.name)).toEqual(['A', 'B', 'C']);
    const filtered = await t.app.inject({ method: 'GET', url: '/api/projects?connectedStackApiKey=blt_b', headers: t.owner.headers });
    expect(json<ProjectBody[]>(filtered).map((p) => p.name)).toEqual(['B']);
    const none = await t.app.inject({ method: 'GET', url: '/api/projects?connectedStackApiKey=blt_zzz', headers: t.owner.headers });
    expect(json(none)).toEqual([]);
  });

  it('checks the organization_uid header against this organization', async () => {
    const org = await t.app.services.identity.getOrganization();
    const ok = await t.app.inject({ method: 'GET', url: '/api/projects', headers: { ...t.owner.headers, organization_uid: org.uid } });
    expect(ok.statusCode).toBe(200);
    const other = await t.app.inject({ method: 'GET', url: '/api/projects', headers: { ...t.owner.headers, organization_uid: 'ffffffffffffffffffffffff' } });
    expect(other.statusCode).toBe(403);
    expect(json(other).error).toBe('personalize.PROJECTS.ORGANIZATION_MISMATCH');
    expect(json<{ message: string }>(other).message).toContain(org.uid);
    const malformed = await create({ name: 'X' }, { ...t.owner.headers, organization_uid: 'org_1' });
    expect(malformed.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(malformed).errors)).toEqual(['organization_uid']);
  });

  it('shows org Members only the projects they belong to', async () => {
    const member = await t.createUser('MEMBER');
    const mine = await createTestProject(t, { name: 'Mine', members: [{ user: member, role: 'MEMBER' }] });
    await createTestProject(t, { name: 'Not mine' });
    const list = json<ProjectBody[]>(await t.app.inject({ method: 'GET', url: '/api/projects', headers: member.headers }));
    expect(list.map((p) => p.uid)).toEqual([mine.uid]);
    expect(list[0]).toMatchObject({ currentUserRole: 'MEMBER', canManage: false });
    const admin = await t.createUser('ADMIN');
    const adminList = json<ProjectBody[]>(await t.app.inject({ method: 'GET', url: '/api/projects', headers: admin.headers }));
    expect(adminList).toHaveLength(2);
    expect(adminList[0]).toMatchObject({ currentUserRole: null, canManage: true });
  });

  it('updates with patch semantics: absent unchanged, null clears', async () => {
    const created = json<ProjectBody>(await create({ name: 'Web', description: 'About', connectedStackApiKey: 'blt1' }));
    t.clock.advance(1000);
    const put = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PUT', url: `/api/projects/${created.uid}`, headers: t.owner.headers, payload });
    const renamed = json<ProjectBody & { updatedAt: string }>(await put({ name: 'Site' }));
    expect(renamed).toMatchObject({ name: 'Site', description: 'About', connectedStackApiKey: 'blt1', updatedAt: '2026-11-29T12:00:01.000Z' });
    const cleared = json<ProjectBody>(await put({ description: null, connectedStackApiKey: null }));
    expect(cleared).toMatchObject({ name: 'Site', description: '', connectedStackApiKey: null });
    const illTyped = await put({ name: '' });
    expect(illTyped.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(illTyped).errors)).toEqual(['name']);
  });

  it('deletes a project with its members and invitations in one go', async () => {
    const created = json<ProjectBody>(await create({ name: 'Doomed', description: '' }));
    const invite = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${created.uid}/invitations`,
      headers: t.owner.headers,
      payload: { emails: ['someone@example.com'] },
    });
    expect(invite.statusCode).toBe(201);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/projects/${created.uid}`, headers: t.owner.headers });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    const count = async (table: 'project_members' | 'invitations') =>
      (await t.db.kysely.selectFrom(table).select('project_uid').where('project_uid', '=', created.uid).execute()).length;
    expect(await count('project_members')).toBe(0);
    expect(await count('invitations')).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: `/api/projects/${created.uid}`, headers: t.owner.headers })).statusCode).toBe(404);
  });

  it('audits creation, update and deletion', async () => {
    const created = json<ProjectBody>(await create({ name: 'Audited', description: '' }));
    await t.app.inject({ method: 'PUT', url: `/api/projects/${created.uid}`, headers: t.owner.headers, payload: { name: 'Audited 2' } });
    await t.app.inject({ method: 'DELETE', url: `/api/projects/${created.uid}`, headers: t.owner.headers });
    const actions = await t.db.kysely
      .selectFrom('audit_entries')
      .select(['action', 'actor_uid'])
      .where('project_uid', '=', created.uid)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['project.created', 'member.added', 'project.updated', 'project.deleted']);
    expect(new Set(actions.map((a) => a.actor_uid))).toEqual(new Set([t.owner.uid]));
  });

  it('takes audience and active experience counts from the plugged-in stats sources, summed', async () => {
    const created = json<ProjectBody>(await create({ name: 'Counted', description: '' }));
    t.app.services.projectStats.push(
      { countsFor: async (uids) => new Map(uids.map((uid) => [uid, { audienceCount: 3 }])) },
      { countsFor: async (uids) => new Map(uids.map((uid) => [uid, { activeExperienceCount: 2 }])) },
    );
    const got = json<ProjectBody>(await t.app.inject({ method: 'GET', url: `/api/projects/${created.uid}`, headers: t.owner.headers }));
    expect(got).toMatchObject({ audienceCount: 3, activeExperienceCount: 2 });
  });

  it('counts accepted members only in userCount', async () => {
    const created = json<ProjectBody>(await create({ name: 'People', description: '' }));
    await t.app.inject({ method: 'POST', url: `/api/projects/${created.uid}/invitations`, headers: t.owner.headers, payload: { emails: ['a@example.com', 'b@example.com'] } });
    const got = json<ProjectBody>(await t.app.inject({ method: 'GET', url: `/api/projects/${created.uid}`, headers: t.owner.headers }));
    expect(got.userCount).toBe(1);
  });

  it('lets the org Owner override limits; null returns to the default; authorizeProject sees them', async () => {
    const created = json<ProjectBody>(await create({ name: 'Big', description: '' }));
    const url = `/api/projects/${created.uid}/limits`;
    const set = await t.app.inject({ method: 'PUT', url, headers: t.owner.headers, payload: { audiences: 500, events: 7 } });
    expect(set.statusCode).toBe(200);
    expect(json<ProjectBody>(set).limits).toMatchObject({ audiences: 500, events: 7, attributes: 100 });
    const { authorizeProject } = await import('./project-access.js');
    const actor = (await t.app.services.identity.authenticate(t.owner.token))?.actor;
    if (!actor) throw new Error('no actor');
    expect((await authorizeProject(t.db.kysely, actor, created.uid, 'read')).limits.audiences).toBe(500);
    const reset = await t.app.inject({ method: 'PUT', url, headers: t.owner.headers, payload: { audiences: null } });
    expect(json<ProjectBody>(reset).limits).toMatchObject({ audiences: 100, events: 7 });
    const bad = await t.app.inject({ method: 'PUT', url, headers: t.owner.headers, payload: { audiences: 0, events: 'many' } });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(bad).errors).sort()).toEqual(['audiences', 'events']);
  });
});
