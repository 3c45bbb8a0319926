import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/test-app.js';
import { experienceClient } from '../../test/test-experiences.js';
import { createTestProject } from '../../test/test-project.js';

/**
 * Spec §5: project Members manage experiences, versions and priority like Owners; org
 * Owners/Admins act as project Owners; a user without a role in the project gets 403; no token 401.
 * Each case gets a fresh project with one experience (and its draft) to act on.
 */
type Role = 'outsider' | 'projectMember' | 'projectOwner' | 'orgAdmin' | 'anonymous';
const ROLES: Role[] = ['outsider', 'projectMember', 'projectOwner', 'orgAdmin', 'anonymous'];

interface Fixture {
  expUid: string;
  draftUid: string;
}

interface Endpoint {
  name: string;
  request(f: Fixture): { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: Record<string, unknown> };
  ok: number;
}

const ENDPOINTS: Endpoint[] = [
  { name: 'GET /experiences', request: () => ({ method: 'GET', url: '/api/experiences' }), ok: 200 },
  { name: 'POST /experiences', request: () => ({ method: 'POST', url: '/api/experiences', payload: { name: 'New', __type: 'AB_TEST' } }), ok: 201 },
  { name: 'GET /experiences/:uid', request: (f) => ({ method: 'GET', url: `/api/experiences/${f.expUid}` }), ok: 200 },
  { name: 'PUT /experiences/:uid', request: (f) => ({ method: 'PUT', url: `/api/experiences/${f.expUid}`, payload: { name: 'Renamed' } }), ok: 200 },
  { name: 'DELETE /experiences/:uid', request: (f) => ({ method: 'DELETE', url: `/api/experiences/${f.expUid}` }), ok: 204 },
  { name: 'GET versions', request: (f) => ({ method: 'GET', url: `/api/experiences/${f.expUid}/versions` }), ok: 200 },
  {
    name: 'PUT version',
    request: (f) => ({ method: 'PUT', url: `/api/experiences/${f.expUid}/versions/${f.draftUid}`, payload: { status: 'ACTIVE', variants: [{ name: 'A' }, { name: 'B' }] } }),
    ok: 200,
  },
  {
    name: 'POST version (after discarding the draft is impossible: a live version first)',
    request: (f) => ({ method: 'POST', url: `/api/experiences/${f.expUid}/versions`, payload: { status: 'ACTIVE', variants: [{ name: 'A' }, { name: 'B' }] } }),
    ok: 201,
  },
  { name: 'DELETE version (the only draft → rule, not role)', request: (f) => ({ method: 'DELETE', url: `/api/experiences/${f.expUid}/versions/${f.draftUid}` }), ok: 400 },
  { name: 'GET /experiences-priority', request: () => ({ method: 'GET', url: '/api/experiences-priority' }), ok: 200 },
  { name: 'PUT /experiences-priority', request: (f) => ({ method: 'PUT', url: '/api/experiences-priority', payload: { priorityOrder: [f.expUid] } }), ok: 200 },
];

describe('experience role matrix', () => {
  let t: TestApp;
  let member: TestUser;
  let projectOwner: TestUser;
  let outsider: TestUser;
  let orgAdmin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    member = await t.createUser('MEMBER');
    projectOwner = await t.createUser('MEMBER');
    outsider = await t.createUser('MEMBER');
    orgAdmin = await t.createUser('ADMIN');
  });
  afterAll(async () => {
    await t.close();
  });

  for (const endpoint of ENDPOINTS) {
    for (const role of ROLES) {
      const expected = role === 'outsider' ? 403 : role === 'anonymous' ? 401 : endpoint.ok;
      it(`${endpoint.name} as ${role} → ${expected}`, async () => {
        const project = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }, { user: projectOwner, role: 'OWNER' }] });
        const exp = await experienceClient(t, project).create({ name: 'Target', __type: 'AB_TEST' });
        const req = endpoint.request({ expUid: exp.uid, draftUid: exp.latestVersion });
        const user = { outsider, projectMember: member, projectOwner, orgAdmin, anonymous: null }[role];
        const headers = user ? project.headersFor(user) : { 'x-project-uid': project.uid };
        const res = await t.app.inject({ method: req.method, url: req.url, headers, ...(req.payload ? { payload: req.payload } : {}) });
        expect(res.statusCode, res.body).toBe(expected);
      });
    }
  }
});
