import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

type Body = Record<string, unknown>;

describe('attribute routes', () => {
  let t: TestApp;
  let member: TestUser;
  let project: TestProject;
  beforeEach(async () => {
    t = await createTestApp();
    member = await t.createUser('MEMBER');
    project = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }] });
  });
  afterEach(async () => {
    await t.close();
  });

  const create = (payload: Body, user: TestUser = member, p: TestProject = project) =>
    t.app.inject({ method: 'POST', url: '/api/attributes', headers: p.headersFor(user), payload });

  it('lists the 8 presets then custom attributes, and a Member creates one with audit fields, version and ETag', async () => {
    const res = await create({ name: 'Plan', key: 'plan', description: 'Subscription plan', uid: 'ignored', createdAt: 'ignored', _id: 'x' });
    expect(res.statusCode).toBe(201);
    const created = json(res);
    expect(created).toMatchObject({ name: 'Plan', key: 'plan', description: 'Subscription plan', __type: 'CUSTOM', project: project.uid, version: 1, createdBy: member.uid });
    expect(created.uid).toMatch(/^[0-9a-f]{24}$/);
    expect(created.createdAt).toBe('2026-11-29T12:00:00.000Z');
    expect(res.headers.etag).toBe('"1"');

    const list = json<Body[]>(await t.app.inject({ method: 'GET', url: '/api/attributes', headers: project.headersFor(member) }));
    expect(list.slice(0, 8).map((a) => a.__type)).toEqual(Array(8).fill('PRESET'));
    expect(list.slice(0, 8).map((a) => a.uid).sort()).toEqual(['CITY', 'COUNTRY', 'DATE_AND_TIME', 'DEVICE_TYPE', 'OPERATING_SYSTEM', 'QUERY_PARAMETERS', 'REFERRER', 'REGION']);
    expect(list[8]).toMatchObject({ uid: created.uid, key: 'plan', referenceCount: 0 });

    const one = await t.app.inject({ method: 'GET', url: `/api/attributes/${String(created.uid)}`, headers: project.headersFor(member) });
    expect(one.statusCode).toBe(200);
    expect(one.headers.etag).toBe('"1"');
    const preset = await t.app.inject({ method: 'GET', url: '/api/attributes/COUNTRY', headers: project.headersFor(member) });
    expect(json(preset)).toEqual({ uid: 'COUNTRY', name: 'Country', description: expect.any(String), __type: 'PRESET' });
  });

  it('refuses writes to presets with 400', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/api/attributes/COUNTRY', headers: project.headersFor(member), payload: { name: 'x' } });
    expect(put.statusCode).toBe(400);
    expect(json(put).error).toBe('personalize.ATTRIBUTES.PRESET_READ_ONLY');
    const del = await t.app.inject({ method: 'DELETE', url: '/api/attributes/COUNTRY', headers: project.headersFor(member) });
    expect(del.statusCode).toBe(400);
  });

  it('rejects bad names and keys with paths, and stores nothing', async () => {
    const res = await create({ name: '   ', key: '9lives' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: Body }>(res).errors).sort()).toEqual(['key', 'name']);
    const wrongType = await create({ name: 5, key: 'ok' });
    expect(Object.keys(json<{ errors: Body }>(wrongType).errors)).toEqual(['name']);
    for (const key of ['has space', 'a.b', '', 'x'.repeat(65), 'ünï']) {
      expect((await create({ name: `N ${key}`, key })).statusCode).toBe(400);
    }
    for (const key of ['age', 'highValueCustomer', 'plan_tier', 'plan-tier', 'A1']) {
      expect((await create({ name: `N ${key}`, key })).statusCode).toBe(201);
    }
    const list = json<Body[]>(await t.app.inject({ method: 'GET', url: '/api/attributes', headers: project.headersFor(member) }));
    expect(list).toHaveLength(8 + 5);
  });

  it('answers 409 for a duplicate key or name (names case-insensitively)', async () => {
    expect((await create({ name: 'Plan', key: 'plan' })).statusCode).toBe(201);
    const dupKey = await create({ name: 'Other', key: 'plan' });
    expect(dupKey.statusCode).toBe(409);
    expect(json(dupKey).error).toBe('personalize.ATTRIBUTES.DUPLICATE_KEY');
    const dupName = await create({ name: 'PLAN', key: 'plan2' });
    expect(dupName.statusCode).toBe(409);
    expect(json(dupName).error).toBe('personalize.ATTRIBUTES.DUPLICATE_NAME');
  });

  it('enforces the per-project attribute limit with the Contentstack code', async () => {
    const small = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }], limits: { attributes: 2 } });
    expect((await create({ name: 'A', key: 'a' }, member, small)).statusCode).toBe(201);
    expect((await create({ name: 'B', key: 'b' }, member, small)).statusCode).toBe(201);
    const third = await create({ name: 'C', key: 'c' }, member, small);
    expect(third.statusCode).toBe(400);
    expect(json(third)).toMatchObject({ error: 'personalization.ATTRIBUTES.MAX_ATTRIBUTES_COUNT_EXCEEDED' });
  });

  it('updates with patch semantics and refuses a stale version with the current copy', async () => {
    const created = json(await create({ name: 'Plan', key: 'plan', description: 'd' }));
    const url = `/api/attributes/${String(created.uid)}`;
    const first = await t.app.inject({ method: 'PUT', url, headers: { ...project.headersFor(member), 'if-match': '"1"' }, payload: { name: 'Plan 2' } });
    expect(first.statusCode).toBe(200);
    expect(json(first)).toMatchObject({ name: 'Plan 2', key: 'plan', description: 'd', version: 2 });
    expect(first.headers.etag).toBe('"2"');
    const stale = await t.app.inject({ method: 'PUT', url, headers: project.headersFor(member), payload: { name: 'Plan 3', version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(json(stale)).toMatchObject({ error: 'personalize.ATTRIBUTES.VERSION_CONFLICT', current: { name: 'Plan 2', version: 2 } });
    const cleared = await t.app.inject({ method: 'PUT', url, headers: project.headersFor(member), payload: { description: null } });
    expect(json(cleared)).toMatchObject({ description: '', version: 3 });
    const badEtag = await t.app.inject({ method: 'PUT', url, headers: { ...project.headersFor(member), 'if-match': 'garbage' }, payload: {} });
    expect(badEtag.statusCode).toBe(400);
  });

  it('warns when a key changes and lists, then protects, the audiences that use the attribute', async () => {
    const attr = json(await create({ name: 'Plan', key: 'plan' }));
    const uid = String(attr.uid);
    const definition = {
      __type: 'RuleCombination',
      combinationType: 'OR',
      rules: [
        { __type: 'Rule', attribute: { __type: 'PresetAttributeReference', ref: 'COUNTRY' }, attributeMatchCondition: 'STRING_EQUALS', attributeMatchOptions: { __type: 'StringMatchOptions', value: 'US' }, invertCondition: false },
        { __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: uid }, attributeMatchCondition: 'STRING_EQUALS', attributeMatchOptions: { __type: 'StringMatchOptions', value: 'gold' }, invertCondition: false },
      ],
    };
    const audience = json(await t.app.inject({ method: 'POST', url: '/api/audiences', headers: project.headersFor(member), payload: { name: 'Gold', definition } }));

    const refs = await t.app.inject({ method: 'GET', url: `/api/attributes/${uid}/references`, headers: project.headersFor(member) });
    expect(json<Body[]>(refs)).toEqual([{ kind: 'audience', uid: audience.uid, name: 'Gold', via: 'rule', path: 'definition.rules[1].attribute', blocking: true }]);
    const list = json<Body[]>(await t.app.inject({ method: 'GET', url: '/api/attributes', headers: project.headersFor(member) }));
    expect(list.find((a) => a.uid === uid)?.referenceCount).toBe(1);

    const renamed = await t.app.inject({ method: 'PUT', url: `/api/attributes/${uid}`, headers: project.headersFor(member), payload: { key: 'tier' } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.headers['x-tailor-warning']).toBe('personalize.ATTRIBUTES.KEY_CHANGED');
    expect(json<{ warnings: Body[] }>(renamed).warnings[0]).toMatchObject({ code: 'personalize.ATTRIBUTES.KEY_CHANGED', message: expect.stringContaining('"tier"') });
    const sameKey = await t.app.inject({ method: 'PUT', url: `/api/attributes/${uid}`, headers: project.headersFor(member), payload: { name: 'Tier' } });
    expect(sameKey.headers['x-tailor-warning']).toBeUndefined();
    expect(json(sameKey).warnings).toBeUndefined();

    const del = await t.app.inject({ method: 'DELETE', url: `/api/attributes/${uid}`, headers: project.headersFor(member) });
    expect(del.statusCode).toBe(409);
    expect(json(del)).toMatchObject({ error: 'personalize.ATTRIBUTES.REFERENCED', references: [{ uid: audience.uid, path: 'definition.rules[1].attribute' }] });

    await t.app.inject({ method: 'DELETE', url: `/api/audiences/${String(audience.uid)}`, headers: project.headersFor(member) });
    const after = await t.app.inject({ method: 'DELETE', url: `/api/attributes/${uid}`, headers: project.headersFor(member) });
    expect(after.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/attributes/${uid}`, headers: project.headersFor(member) })).statusCode).toBe(404);
  });

  it('answers 400 for a malformed uid or project, 404 for an unknown one, 401 without a token, 403 for outsiders', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/attributes/not-hex', headers: project.headersFor(member) })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/attributes/${'a'.repeat(24)}`, headers: project.headersFor(member) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/attributes', headers: { ...member.headers, 'x-project-uid': 'nope' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/attributes', headers: member.headers })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/attributes', headers: { 'x-project-uid': project.uid } })).statusCode).toBe(401);
    const outsider = await t.createUser('MEMBER');
    expect((await t.app.inject({ method: 'GET', url: '/api/attributes', headers: project.headersFor(outsider) })).statusCode).toBe(403);
    expect((await create({ name: 'X', key: 'x' }, outsider)).statusCode).toBe(403);
  });

  it('records create, update and delete in the audit log', async () => {
    const attr = json(await create({ name: 'Plan', key: 'plan' }));
    const url = `/api/attributes/${String(attr.uid)}`;
    await t.app.inject({ method: 'PUT', url, headers: project.headersFor(member), payload: { key: 'tier' } });
    await t.app.inject({ method: 'DELETE', url, headers: project.headersFor(member) });
    const log = json<Body[]>(await t.app.inject({ method: 'GET', url: `/api/audit-log?resource=attribute&resourceUid=${String(attr.uid)}`, headers: project.headersFor(t.owner) }));
    expect(log.map((e) => [e.action, e.revision, e.actorUid])).toEqual([
      ['attribute.deleted', 2, member.uid],
      ['attribute.updated', 2, member.uid],
      ['attribute.created', 1, member.uid],
    ]);
    expect(log[1]?.summary).toEqual({ changes: { key: { from: 'plan', to: 'tier' } } });
  });
});
