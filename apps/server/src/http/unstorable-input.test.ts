import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../test/test-app.js';
import { createTestProject, type TestProject } from '../test/test-project.js';
import { edgeSeed, equalsRule } from '../modules/edge/edge-test-seed.js';

// Text PostgreSQL cannot store (SQLite would keep it silently): every test runs on both databases
// and expects the same 400 naming the path, never a 500, and nothing stored.
const NUL = 'expected text without NUL (U+0000) characters, received a string containing one';
const SURROGATE = 'expected text without unpaired UTF-16 surrogates (U+D800 to U+DFFF), received a string containing one';
const nulKey = (key: string) => `expected text without NUL (U+0000) characters, received the key ${JSON.stringify(key)}`;

let t: TestApp;
let project: TestProject;
beforeEach(async () => {
  t = await createTestApp();
  project = await createTestProject(t, { name: 'Launch' });
});
afterEach(async () => t.close());

function expectRefused(response: { statusCode: number; body: string }, errors: Record<string, string[]>): void {
  expect(response.statusCode, response.body).toBe(400);
  expect(JSON.parse(response.body)).toEqual({ errors });
}

describe('unstorable text in bodies', () => {
  it('refuses a NUL in the login email', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/user-session', payload: { user: { email: 'a\u0000@example.com', password: 'correct horse battery' } } });
    expectRefused(res, { 'user.email': [NUL] });
  });

  it('refuses a NUL in the first name of an accepted invitation and keeps the invitation open', async () => {
    const invite = await t.app.inject({ method: 'POST', url: `/api/projects/${project.uid}/invitations`, headers: t.owner.headers, payload: { emails: ['new@example.com'] } });
    expect(invite.statusCode).toBe(201);
    const token = json<Array<{ invitationUrl: string }>>(invite)[0]?.invitationUrl.split('/').pop() ?? '';
    const res = await t.app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload: { user: { firstName: 'a\u0000', password: 'analytical engine' } } });
    expectRefused(res, { 'user.firstName': [NUL] });
    const info = await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` });
    expect(json(info).accountExists).toBe(false);
  });

  it('refuses a NUL or a lone surrogate in a new project and stores nothing', async () => {
    const create = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/projects', headers: t.owner.headers, payload });
    expectRefused(await create({ name: 'a\u0000b' }), { name: [NUL] });
    expectRefused(await create({ name: 'Web', description: 'x\u0000' }), { description: [NUL] });
    expectRefused(await create({ name: '\ud800' }), { name: [SURROGATE] });
    expectRefused(await create({ name: 'Web', description: 'tail \udc00 first' }), { description: [SURROGATE] });
    const list = await t.app.inject({ method: 'GET', url: '/api/projects', headers: t.owner.headers });
    expect(json<Array<{ name: string }>>(list).map((p) => p.name)).toEqual(['Launch']);
  });

  it('accepts well-formed text outside the Basic Multilingual Plane', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/projects', headers: t.owner.headers, payload: { name: 'Rocket 🚀', description: '𝄞' } });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ name: 'Rocket 🚀', description: '𝄞' });
  });

  it('refuses a NUL in a project update and keeps the project unchanged', async () => {
    const update = (payload: Record<string, unknown>) => t.app.inject({ method: 'PUT', url: `/api/projects/${project.uid}`, headers: t.owner.headers, payload });
    expectRefused(await update({ name: 'a\u0000' }), { name: [NUL] });
    expectRefused(await update({ description: '\u0000' }), { description: [NUL] });
    const res = await t.app.inject({ method: 'GET', url: `/api/projects/${project.uid}`, headers: t.owner.headers });
    expect(json(res)).toMatchObject({ name: 'Launch', description: '' });
  });

  it('names nested paths and every offending value at once', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: t.owner.headers,
      payload: { name: 'a\u0000', extra: { list: ['ok', 'b\u0000'] } },
    });
    expectRefused(res, { name: [NUL], 'extra.list[1]': [NUL] });
  });

  it('refuses a key with a NUL, naming the object that holds it', async () => {
    const top = await t.app.inject({ method: 'POST', url: '/api/projects', headers: t.owner.headers, payload: { name: 'Web', 'x\u0000': 1 } });
    expectRefused(top, { body: [nulKey('x\u0000')] });
    const nested = await t.app.inject({ method: 'POST', url: '/api/user-session', payload: { user: { email: 'owner@example.com', password: 'p', 'k\u0000': 1 } } });
    expectRefused(nested, { user: [nulKey('k\u0000')] });
  });
});

describe('unstorable text where it was refused before the one rule', () => {
  it('refuses it in attribute names, event descriptions and audience definitions', async () => {
    const headers = project.headersFor(t.owner);
    const post = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, headers, payload });
    expectRefused(await post('/api/attributes', { name: 'Plan\u0000', key: 'plan' }), { name: [NUL] });
    expectRefused(await post('/api/events', { key: 'signup', description: '\ud800' }), { description: [SURROGATE] });
    const plan = await edgeSeed(t, project).attribute('plan');
    const definition = equalsRule(plan, 'gold\u0000');
    expectRefused(await post('/api/audiences', { name: 'Gold', definition }), { 'definition.rules[0].attributeMatchOptions.value': [NUL] });
    const audiences = await t.app.inject({ method: 'GET', url: '/api/audiences', headers });
    expect(json<unknown[]>(audiences)).toEqual([]);
  });

  it('answers a 400 rather than overflowing the stack for a deeply nested body', async () => {
    const depth = 200_000;
    const payload = `{"name":"Deep","deep":${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}}`;
    const res = await t.app.inject({ method: 'POST', url: '/api/projects', headers: { ...t.owner.headers, 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(res).errors)).toEqual([`deep${'[0]'.repeat(depth)}`]);
  });
});

describe('unstorable text on the Edge API', () => {
  it('refuses a NUL in a user-attribute value or key and stores nothing', async () => {
    await edgeSeed(t, project).attribute('plan');
    const patch = (payload: string) =>
      t.app.inject({
        method: 'PATCH',
        url: '/edge/user-attributes',
        headers: { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': 'visitor-1', 'content-type': 'text/plain;charset=UTF-8' },
        payload,
      });
    expectRefused(await patch('{"plan":"a\\u0000"}'), { plan: [NUL] });
    expectRefused(await patch('{"pl\\u0000an":"gold"}'), { body: [nulKey('pl\u0000an')] });
    expectRefused(await patch('{"plan":"\\ud83d"}'), { plan: [SURROGATE] });
    const profiles = await t.db.kysely.selectFrom('visitor_profiles').selectAll().execute();
    expect(profiles).toEqual([]);
  });

  it('refuses a NUL inside x-live-attributes, naming the attribute', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/edge/manifest',
      headers: { 'x-project-uid': project.uid, 'x-live-attributes': '{"plan":"a\\u0000"}' },
    });
    expectRefused(res, { 'headers.x-live-attributes.plan': [NUL] });
  });

  it('refuses a NUL in a header it reads', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/edge/manifest', headers: { 'x-project-uid': `${project.uid}\u0000` } });
    expectRefused(res, { 'headers.x-project-uid': [NUL] });
  });
});

describe('unstorable text in query strings and paths', () => {
  it('refuses a NUL in the connectedStackApiKey filter', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/projects?connectedStackApiKey=a%00b', headers: t.owner.headers });
    expectRefused(res, { connectedStackApiKey: [NUL] });
  });

  it('refuses a NUL in the audit-log resource filters', async () => {
    const headers = project.headersFor(t.owner);
    expectRefused(await t.app.inject({ method: 'GET', url: '/api/audit-log?resource=a%00b', headers }), { resource: [NUL] });
    expectRefused(await t.app.inject({ method: 'GET', url: '/api/audit-log?resourceUid=a%00b', headers }), { resourceUid: [NUL] });
  });

  it('refuses a NUL in a query key, naming the query string', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/projects?a%00=1', headers: t.owner.headers });
    expectRefused(res, { querystring: [nulKey('a\u0000')] });
  });

  it('refuses a NUL in a path parameter', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/invitations/a%00b' });
    expectRefused(res, { token: [NUL] });
  });
});
