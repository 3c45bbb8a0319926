import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { createTestProject } from '../../test/test-project.js';

/**
 * docs/api-conventions.md, "Roles": who may do what on every project endpoint. Each case gets a fresh
 * project in which the project Owner and Member hold their roles and the org Owner/Admin hold
 * none, so their access comes from the org role alone.
 */
type Role = 'outsider' | 'projectMember' | 'projectOwner' | 'orgAdmin' | 'orgOwner';
const ROLES: Role[] = ['outsider', 'projectMember', 'projectOwner', 'orgAdmin', 'orgOwner'];

interface Fixture {
  projectUid: string;
  targetUid: string;
  invitationUid: string;
}

interface Endpoint {
  name: string;
  request(f: Fixture): { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: Record<string, unknown> };
  expected: Record<Role, number>;
}

const read = { outsider: 403, projectMember: 200, projectOwner: 200, orgAdmin: 200, orgOwner: 200 };
const manage = (ok: number) => ({ outsider: 403, projectMember: 403, projectOwner: ok, orgAdmin: ok, orgOwner: ok });

let nameCounter = 0;
const ENDPOINTS: Endpoint[] = [
  { name: 'GET /projects', request: () => ({ method: 'GET', url: '/api/projects' }), expected: { ...read, outsider: 200 } },
  {
    name: 'POST /projects',
    request: () => ({ method: 'POST', url: '/api/projects', payload: { name: `New ${(nameCounter += 1)}`, description: '' } }),
    expected: { outsider: 403, projectMember: 403, projectOwner: 403, orgAdmin: 201, orgOwner: 201 },
  },
  { name: 'GET /projects/:uid', request: (f) => ({ method: 'GET', url: `/api/projects/${f.projectUid}` }), expected: read },
  {
    name: 'PUT /projects/:uid',
    request: (f) => ({ method: 'PUT', url: `/api/projects/${f.projectUid}`, payload: { description: 'changed' } }),
    expected: manage(200),
  },
  { name: 'DELETE /projects/:uid', request: (f) => ({ method: 'DELETE', url: `/api/projects/${f.projectUid}` }), expected: manage(204) },
  {
    name: 'PUT /projects/:uid/limits',
    request: (f) => ({ method: 'PUT', url: `/api/projects/${f.projectUid}/limits`, payload: { audiences: 200 } }),
    expected: { outsider: 403, projectMember: 403, projectOwner: 403, orgAdmin: 403, orgOwner: 200 },
  },
  { name: 'GET /projects/:uid/users', request: (f) => ({ method: 'GET', url: `/api/projects/${f.projectUid}/users` }), expected: read },
  {
    name: 'POST /projects/:uid/invitations',
    request: (f) => ({ method: 'POST', url: `/api/projects/${f.projectUid}/invitations`, payload: { emails: ['invitee@example.com'] } }),
    expected: manage(201),
  },
  {
    name: 'PUT /projects/:uid/users/:userUid',
    request: (f) => ({ method: 'PUT', url: `/api/projects/${f.projectUid}/users/${f.targetUid}`, payload: { role: 'OWNER' } }),
    expected: manage(200),
  },
  {
    name: 'DELETE /projects/:uid/users/:userUid',
    request: (f) => ({ method: 'DELETE', url: `/api/projects/${f.projectUid}/users/${f.targetUid}` }),
    expected: manage(204),
  },
  {
    name: 'DELETE /projects/:uid/invitations/:invitationUid',
    request: (f) => ({ method: 'DELETE', url: `/api/projects/${f.projectUid}/invitations/${f.invitationUid}` }),
    expected: manage(204),
  },
];

describe('project role matrix', () => {
  let t: TestApp;
  let users: Record<Role, TestUser>;
  let target: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    users = {
      outsider: await t.createUser('MEMBER'),
      projectMember: await t.createUser('MEMBER'),
      projectOwner: await t.createUser('MEMBER'),
      orgAdmin: await t.createUser('ADMIN'),
      orgOwner: t.owner,
    };
    target = await t.createUser('MEMBER');
  });
  afterAll(async () => {
    await t.close();
  });

  async function fixture(): Promise<Fixture> {
    const project = await createTestProject(t, {
      members: [
        { user: users.projectOwner, role: 'OWNER' },
        { user: users.projectMember, role: 'MEMBER' },
        { user: target, role: 'MEMBER' },
      ],
    });
    const invited = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.uid}/invitations`,
      headers: t.owner.headers,
      payload: { emails: ['pending@example.com'] },
    });
    const invitationUid = json<Array<{ uid: string }>>(invited)[0]?.uid ?? '';
    return { projectUid: project.uid, targetUid: target.uid, invitationUid };
  }

  const cases = ENDPOINTS.flatMap((endpoint) => ROLES.map((role) => ({ endpoint, role, status: endpoint.expected[role] })));

  it.each(cases)('$endpoint.name as $role → $status', async ({ endpoint, role, status }) => {
    const f = await fixture();
    const { method, url, payload } = endpoint.request(f);
    const res = await t.app.inject({ method, url, headers: users[role].headers, ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(status);
    if (status === 403) expect(json<{ error: string }>(res).error).toMatch(/^personalize\.[A-Z]+\.[A-Z_]+$/);
    if (endpoint.name === 'GET /projects') {
      const visible = json<Array<{ uid: string }>>(res).some((p) => p.uid === f.projectUid);
      expect(visible).toBe(role !== 'outsider');
    }
  });
});
