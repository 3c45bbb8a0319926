import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

interface Row {
  uid: string;
  userUid: string | null;
  name: string | null;
  email: string;
  status: 'ACCEPTED' | 'PENDING';
  role: 'OWNER' | 'MEMBER';
  invitedBy: string;
  invitationUrl: string | null;
}

describe('project users and invitations', () => {
  let t: TestApp;
  let owner: TestUser;
  let member: TestUser;
  let project: TestProject;
  beforeEach(async () => {
    t = await createTestApp();
    owner = await t.createUser('MEMBER');
    member = await t.createUser('MEMBER');
    project = await createTestProject(t, { members: [{ user: owner, role: 'OWNER' }, { user: member, role: 'MEMBER' }] });
  });
  afterEach(async () => {
    await t.close();
  });

  const invite = (payload: Record<string, unknown>, as: TestUser = owner) =>
    t.app.inject({ method: 'POST', url: `/api/projects/${project.uid}/invitations`, headers: as.headers, payload });
  const users = async (as: TestUser = owner) =>
    json<Row[]>(await t.app.inject({ method: 'GET', url: `/api/projects/${project.uid}/users`, headers: as.headers }));

  it('invites emails (deduplicated, lower-cased) and answers the pending rows with their links', async () => {
    const res = await invite({ emails: ['New@Example.com', 'new@example.com ', 'other@example.com'], message: 'Join us', role: 'OWNER' });
    expect(res.statusCode).toBe(201);
    const rows = json<Row[]>(res);
    expect(rows.map((r) => r.email)).toEqual(['new@example.com', 'other@example.com']);
    expect(rows[0]).toMatchObject({ status: 'PENDING', role: 'OWNER', userUid: null, name: null, invitedBy: `User${owner.email.match(/\d+/)?.[0]} MEMBER` });
    expect(rows[0]?.invitationUrl).toMatch(/^\/invitations\/[A-Za-z0-9_-]{43}$/);
  });

  it('stores only the digest of an invitation link: nothing in the database lets a reader accept it', async () => {
    const rows = json<Row[]>(await invite({ emails: ['secret@example.com', 'other@example.com'] }));
    const tokens = rows.map((r) => r.invitationUrl?.split('/').pop() ?? '');
    const stored = await t.db.kysely.selectFrom('invitations').selectAll().execute();
    const dump = JSON.stringify(stored);
    for (const token of tokens) {
      expect(token).toHaveLength(43);
      expect(dump).not.toContain(token);
    }
    expect(stored.every((s) => /^[0-9a-f]{64}$/.test(s.token_hash))).toBe(true);
    expect(Object.keys(stored[0] ?? {})).not.toContain('token');
  });

  it('defaults the role to MEMBER', async () => {
    expect(json<Row[]>(await invite({ emails: ['x@example.com'] }))[0]?.role).toBe('MEMBER');
  });

  it('lists members and pending invitations without links (a link is shown only when issued)', async () => {
    await invite({ emails: ['pending@example.com'] });
    const asOwner = await users(owner);
    expect(asOwner.map((r) => [r.email, r.status])).toEqual([
      [owner.email, 'ACCEPTED'],
      [member.email, 'ACCEPTED'],
      ['pending@example.com', 'PENDING'],
    ]);
    expect(asOwner[0]).toMatchObject({ uid: owner.uid, userUid: owner.uid, invitedBy: 'System', invitationUrl: null });
    expect(asOwner[2]?.invitationUrl).toBeNull();
    expect((await users(member))[2]?.invitationUrl).toBeNull();
  });

  it('issues a new link for a pending invitation: the old one stops working, role and message are kept', async () => {
    const first = json<Row[]>(await invite({ emails: ['lost@example.com'], role: 'OWNER', message: 'Welcome' }))[0];
    const oldToken = first?.invitationUrl?.split('/').pop() ?? '';
    const res = await t.app.inject({ method: 'POST', url: `/api/projects/${project.uid}/invitations/${first?.uid}/link`, headers: owner.headers });
    expect(res.statusCode).toBe(201);
    const row = json<Row>(res);
    expect(row).toMatchObject({ uid: first?.uid, role: 'OWNER', status: 'PENDING' });
    const newToken = row.invitationUrl?.split('/').pop() ?? '';
    expect(newToken).not.toBe(oldToken);
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${oldToken}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${newToken}` })).statusCode).toBe(200);
    const stored = await t.db.kysely.selectFrom('invitations').select(['message', 'role']).where('uid', '=', row.uid).executeTakeFirstOrThrow();
    expect(stored).toEqual({ message: 'Welcome', role: 'OWNER' });
    const asMember = await t.app.inject({ method: 'POST', url: `/api/projects/${project.uid}/invitations/${first?.uid}/link`, headers: member.headers });
    expect(asMember.statusCode).toBe(403);
    const unknown = await t.app.inject({ method: 'POST', url: `/api/projects/${project.uid}/invitations/abcdefabcdefabcdefabcdef/link`, headers: owner.headers });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses to invite an existing member with 409 naming the email', async () => {
    const res = await invite({ emails: ['fresh@example.com', member.email.toUpperCase()] });
    expect(res.statusCode).toBe(409);
    expect(json(res)).toMatchObject({ error: 'personalize.MEMBERS.ALREADY_MEMBER', emails: [member.email] });
    expect(json<{ message: string }>(res).message).toContain(member.email);
    expect((await users()).some((r) => r.email === 'fresh@example.com')).toBe(false);
  });

  it('re-inviting a pending email replaces its link', async () => {
    const first = json<Row[]>(await invite({ emails: ['again@example.com'] }))[0];
    const second = json<Row[]>(await invite({ emails: ['again@example.com'], role: 'OWNER' }))[0];
    expect(second?.uid).toBe(first?.uid);
    expect(second?.invitationUrl).not.toBe(first?.invitationUrl);
    expect(second?.role).toBe('OWNER');
    const oldToken = first?.invitationUrl?.split('/').pop() ?? '';
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${oldToken}` })).statusCode).toBe(404);
    expect((await users()).filter((r) => r.email === 'again@example.com')).toHaveLength(1);
  });

  it('rejects bad invitation bodies with a path per problem', async () => {
    const bad = await invite({ emails: ['ok@example.com', 'not-an-email'], message: 'm'.repeat(1001), role: 'ADMIN' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(bad).errors).sort()).toEqual(['emails[1]', 'message', 'role']);
    const none = await invite({ emails: [] });
    expect(Object.keys(json<{ errors: object }>(none).errors)).toEqual(['emails']);
    const many = await invite({ emails: Array.from({ length: 21 }, (_, i) => `u${i}@example.com`) });
    expect(Object.keys(json<{ errors: object }>(many).errors)).toEqual(['emails']);
  });

  it('changes a role and refuses to demote the last Owner', async () => {
    const promote = await t.app.inject({ method: 'PUT', url: `/api/projects/${project.uid}/users/${member.uid}`, headers: owner.headers, payload: { role: 'OWNER' } });
    expect(promote.statusCode).toBe(200);
    expect(json<Row>(promote)).toMatchObject({ uid: member.uid, role: 'OWNER', status: 'ACCEPTED' });
    const demoteOwner = await t.app.inject({ method: 'PUT', url: `/api/projects/${project.uid}/users/${owner.uid}`, headers: owner.headers, payload: { role: 'MEMBER' } });
    expect(demoteOwner.statusCode).toBe(200);
    const demoteLast = await t.app.inject({ method: 'PUT', url: `/api/projects/${project.uid}/users/${member.uid}`, headers: member.headers, payload: { role: 'MEMBER' } });
    expect(demoteLast.statusCode).toBe(400);
    expect(json(demoteLast).error).toBe('personalize.MEMBERS.LAST_OWNER');
  });

  it('removes a member and refuses to remove the last Owner', async () => {
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.uid}/users/${member.uid}`, headers: owner.headers });
    expect(removed.statusCode).toBe(204);
    expect((await users()).map((r) => r.email)).toEqual([owner.email]);
    const last = await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.uid}/users/${owner.uid}`, headers: t.owner.headers });
    expect(last.statusCode).toBe(400);
    expect(json(last).error).toBe('personalize.MEMBERS.LAST_OWNER');
    expect((await t.app.inject({ method: 'GET', url: `/api/projects/${project.uid}`, headers: member.headers })).statusCode).toBe(403);
  });

  it('answers 400 for malformed and 404 for unknown user and invitation uids', async () => {
    const base = `/api/projects/${project.uid}`;
    const cases = [
      ['PUT', `${base}/users/nope`, 400, 'userUid'],
      ['DELETE', `${base}/users/nope`, 400, 'userUid'],
      ['DELETE', `${base}/invitations/nope`, 400, 'invitationUid'],
    ] as const;
    for (const [method, url, status, path] of cases) {
      const res = await t.app.inject({ method, url, headers: owner.headers, payload: method === 'PUT' ? { role: 'OWNER' } : undefined });
      expect(res.statusCode, url).toBe(status);
      expect(Object.keys(json<{ errors: object }>(res).errors)).toEqual([path]);
    }
    const unknown = 'abcdefabcdefabcdefabcdef';
    expect((await t.app.inject({ method: 'PUT', url: `${base}/users/${unknown}`, headers: owner.headers, payload: { role: 'OWNER' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `${base}/users/${unknown}`, headers: owner.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `${base}/invitations/${unknown}`, headers: owner.headers })).statusCode).toBe(404);
    const badRole = await t.app.inject({ method: 'PUT', url: `${base}/users/${member.uid}`, headers: owner.headers, payload: { role: 'KING' } });
    expect(Object.keys(json<{ errors: object }>(badRole).errors)).toEqual(['role']);
  });

  it('revokes an invitation so its link stops working', async () => {
    const row = json<Row[]>(await invite({ emails: ['gone@example.com'] }))[0];
    const res = await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.uid}/invitations/${row?.uid}`, headers: owner.headers });
    expect(res.statusCode).toBe(204);
    const token = row?.invitationUrl?.split('/').pop() ?? '';
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` })).statusCode).toBe(404);
  });

  it('audits invitations, role changes, removals and revocations', async () => {
    const row = json<Row[]>(await invite({ emails: ['audit@example.com'] }))[0];
    await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.uid}/invitations/${row?.uid}`, headers: owner.headers });
    await t.app.inject({ method: 'PUT', url: `/api/projects/${project.uid}/users/${member.uid}`, headers: owner.headers, payload: { role: 'OWNER' } });
    await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.uid}/users/${member.uid}`, headers: owner.headers });
    const entries = await t.db.kysely.selectFrom('audit_entries').select('action').where('project_uid', '=', project.uid).orderBy('seq').execute();
    expect(entries.map((e) => e.action)).toEqual(['member.invited', 'invitation.revoked', 'member.role_changed', 'member.removed']);
  });
});

describe('invitation links under PUBLIC_URL', () => {
  it('are absolute at the public origin, and still accepted by their token', async () => {
    const t = await createTestApp({ env: { PUBLIC_URL: 'https://tailor.example.com' } });
    try {
      const project = await createTestProject(t);
      const res = await t.app.inject({ method: 'POST', url: `/api/projects/${project.uid}/invitations`, headers: t.owner.headers, payload: { emails: ['x@example.com'] } });
      const url = json<Row[]>(res)[0]?.invitationUrl ?? '';
      expect(url).toMatch(/^https:\/\/tailor\.example\.com\/invitations\/[A-Za-z0-9_-]{43}$/);
      const info = await t.app.inject({ method: 'GET', url: `/api/invitations/${new URL(url).pathname.split('/').pop() ?? ''}` });
      expect(info.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
