import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

describe('accepting invitations', () => {
  let t: TestApp;
  let project: TestProject;
  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t, { name: 'Launch' });
  });
  afterEach(async () => {
    await t.close();
  });

  async function inviteToken(email: string, role: 'OWNER' | 'MEMBER' = 'MEMBER'): Promise<string> {
    const res = await t.app.inject({ method: 'POST', url: `/api/projects/${project.uid}/invitations`, headers: t.owner.headers, payload: { emails: [email], role } });
    expect(res.statusCode).toBe(201);
    return json<Array<{ invitationUrl: string }>>(res)[0]?.invitationUrl.split('/').pop() ?? '';
  }
  const accept = (token: string, user: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload: { user } });

  it('shows what the link is for without authentication', async () => {
    const token = await inviteToken('new@example.com');
    const res = await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ email: 'new@example.com', projectUid: project.uid, projectName: 'Launch', invitedBy: expect.stringMatching(/^User\d+ OWNER$/) as unknown, accountExists: false });
  });

  it('creates the account, adds the member with the invited role, logs in and consumes the link', async () => {
    const token = await inviteToken('new@example.com', 'OWNER');
    const res = await accept(token, { firstName: 'Ada', lastName: 'Lovelace', password: 'analytical engine' });
    expect(res.statusCode).toBe(200);
    const body = json<{ notice: string; projectUid: string; user: { email: string; authtoken: string; firstName: string } }>(res);
    expect(body).toMatchObject({ notice: 'Login Successful.', projectUid: project.uid, user: { email: 'new@example.com', firstName: 'Ada' } });
    expect(res.cookies.map((c) => c.name).sort()).toEqual(['tailor_csrf', 'tailor_device', 'tailor_session']);
    const me = await t.app.inject({ method: 'GET', url: '/api/user', headers: { authtoken: body.user.authtoken } });
    expect(json(me).orgRole).toBe('MEMBER');
    const rows = json<Array<{ email: string; role: string; status: string }>>(
      await t.app.inject({ method: 'GET', url: `/api/projects/${project.uid}/users`, headers: { authtoken: body.user.authtoken } }),
    );
    expect(rows).toEqual([expect.objectContaining({ email: 'new@example.com', role: 'OWNER', status: 'ACCEPTED' })]);
    expect((await accept(token, { password: 'analytical engine' })).statusCode).toBe(404);
    const login = await t.app.inject({ method: 'POST', url: '/api/user-session', payload: { user: { email: 'new@example.com', password: 'analytical engine' } } });
    expect(login.statusCode).toBe(200);
    const actions = await t.db.kysely.selectFrom('audit_entries').select('action').where('project_uid', '=', project.uid).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['member.invited', 'invitation.accepted', 'member.added']);
  });

  it('asks an existing account for its password only, and refuses a wrong one with 401', async () => {
    const existing = await t.createUser('MEMBER', 'known@example.com');
    const token = await inviteToken('known@example.com');
    expect(json(await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` })).accountExists).toBe(true);
    const wrong = await accept(token, { password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    const ok = await accept(token, { password: 'correct horse battery' });
    expect(ok.statusCode).toBe(200);
    expect(json<{ user: { uid: string } }>(ok).user.uid).toBe(existing.uid);
    const list = json<Array<{ uid: string }>>(await t.app.inject({ method: 'GET', url: '/api/projects', headers: existing.headers }));
    expect(list.map((p) => p.uid)).toEqual([project.uid]);
  });

  it('needs a first name and a long enough password for a new account', async () => {
    const token = await inviteToken('new@example.com');
    const res = await accept(token, { password: 'short' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(res).errors).sort()).toEqual(['user.firstName', 'user.password']);
    const illTyped = await accept(token, { firstName: 3 });
    expect(Object.keys(json<{ errors: object }>(illTyped).errors).sort()).toEqual(['user.firstName', 'user.password']);
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` })).statusCode).toBe(200);
  });

  it('answers 404 for unknown and expired links', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/invitations/nonsense' })).statusCode).toBe(404);
    const token = await inviteToken('late@example.com');
    t.clock.advance(15 * 24 * 60 * 60 * 1000);
    const res = await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` });
    expect(res.statusCode).toBe(404);
    expect(json(res).error).toBe('personalize.INVITATIONS.NOT_FOUND');
    expect((await accept(token, { firstName: 'L', password: 'long enough pw' })).statusCode).toBe(404);
  });
});
