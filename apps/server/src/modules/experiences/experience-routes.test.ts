import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { experienceClient, type ExperienceBody } from '../../test/test-experiences.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

describe('experience routes', () => {
  let t: TestApp;
  let project: TestProject;
  let api: ReturnType<typeof experienceClient>;
  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t);
    api = experienceClient(t, project);
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates an experience with a DRAFT version and answers latestVersion', async () => {
    const res = await api.call('POST', '/api/experiences', { name: 'Homepage hero', description: 'Hero banner', __type: 'SEGMENTED' });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const body = json<ExperienceBody>(res);
    expect(body).toMatchObject({
      _id: body.uid,
      name: 'Homepage hero',
      description: 'Hero banner',
      __type: 'SEGMENTED',
      shortUid: '0',
      status: 'DRAFT',
      tags: [],
      priority: 1,
      activatedAt: null,
      project: project.uid,
      version: 1,
      createdByUserName: expect.any(String),
    });
    expect(body.uid).toMatch(/^[0-9a-f]{24}$/);
    expect(body._cms).toBeUndefined();
    const versions = await api.versions(body.uid);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ uid: body.latestVersion, status: 'DRAFT', variants: [], versionNumber: 1 });
  });

  it('assigns base-36 shortUids from the project counter, never reused after a delete', async () => {
    const shortUids: string[] = [];
    for (let i = 0; i < 12; i++) shortUids.push((await api.create({ name: `E${i}`, __type: 'AB_TEST' })).shortUid);
    expect(shortUids).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b']);
    const list = json<ExperienceBody[]>(await api.call('GET', '/api/experiences'));
    const last = list.at(-1);
    expect((await api.call('DELETE', `/api/experiences/${last?.uid ?? ''}`)).statusCode).toBe(204);
    expect((await api.create({ name: 'after', __type: 'AB_TEST' })).shortUid).toBe('c');
  });

  it('accepts the whole exported experience the CLI re-posts, ignoring server-owned fields', async () => {
    const exported = {
      _id: '65f0c0ffee0000000000abcd',
      uid: '65f0c0ffee0000000000abcd',
      name: 'Imported',
      description: 'from another stack',
      __type: 'SEGMENTED',
      shortUid: 'zz',
      status: 'ACTIVE',
      latestVersion: '65f0c0ffee0000000000abce',
      _cms: { variantGroup: 'cs_old', variants: { '0': 'csold' } },
      project: '65f0c0ffee0000000000ffff',
      tags: ['Promo'],
      referredAudiences: [],
      createdAt: '2020-01-01T00:00:00.000Z',
      version: 7,
      variations: [],
      targeting: { audience: { audiences: [], audienceCombinationType: 'OR' } },
    };
    const created = await api.create(exported);
    expect(created.uid).not.toBe(exported.uid);
    expect(created).toMatchObject({ shortUid: '0', status: 'DRAFT', project: project.uid, tags: ['promo'], version: 1 });
    expect(created.latestVersion).not.toBe(exported.latestVersion);
    expect(created._cms).toBeUndefined();
    expect(created.createdAt).not.toBe(exported.createdAt);
  });

  it('lower-cases, de-duplicates and checks tags with paths', async () => {
    const ok = await api.create({ name: 'Tagged', __type: 'SEGMENTED', tags: ['Summer', 'summer', 'promo:2026', 'a_b-c'] });
    expect(ok.tags).toEqual(['summer', 'promo:2026', 'a_b-c']);
    const bad = await api.call('POST', '/api/experiences', { name: 'Bad', __type: 'SEGMENTED', tags: ['ok', 'no spaces', 'x'.repeat(33)] });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(bad).errors)).toEqual(['tags[1]', 'tags[2]']);
    const eleven = await api.call('POST', '/api/experiences', { name: 'Many', __type: 'SEGMENTED', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) });
    expect(eleven.statusCode).toBe(400);
    expect(json<{ errors: Record<string, string[]> }>(eleven).errors.tags?.[0]).toContain('at most 10');
    const duplicatesOnly = await api.create({ name: 'Dups', __type: 'SEGMENTED', tags: [...Array.from({ length: 10 }, (_, i) => `t${i}`), 'T0'] });
    expect(duplicatesOnly.tags).toHaveLength(10);
  });

  it('rejects a missing name and an unknown type with paths', async () => {
    const res = await api.call('POST', '/api/experiences', { __type: 'MULTI_ARMED' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(res).errors).sort()).toEqual(['__type', 'name']);
  });

  it('refuses a create beyond the project limit with the Contentstack code', async () => {
    const small = await createTestProject(t, { limits: { experiences: 2 } });
    const client = experienceClient(t, small);
    await client.create({ name: 'one', __type: 'SEGMENTED' });
    await client.create({ name: 'two', __type: 'SEGMENTED' });
    const res = await client.call('POST', '/api/experiences', { name: 'three', __type: 'SEGMENTED' });
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toBe('personalization.EXPERIENCES.MAX_EXPERIENCES_COUNT_EXCEEDED');
    // The refused create did not consume a shortUid.
    await client.call('DELETE', `/api/experiences/${json<ExperienceBody[]>(await client.call('GET', '/api/experiences'))[0]?.uid ?? ''}`);
    expect((await client.create({ name: 'three', __type: 'SEGMENTED' })).shortUid).toBe('2');
  });

  it('lists experiences as a bare array in priority order', async () => {
    const a = await api.create({ name: 'A', __type: 'SEGMENTED' });
    const b = await api.create({ name: 'B', __type: 'AB_TEST' });
    const res = await api.call('GET', '/api/experiences');
    expect(res.statusCode).toBe(200);
    const list = json<ExperienceBody[]>(res);
    expect(list.map((e) => [e.uid, e.priority])).toEqual([
      [a.uid, 1],
      [b.uid, 2],
    ]);
  });

  it('updates experience-level fields with patch semantics and bumps version and ETag', async () => {
    const created = await api.create({ name: 'Old', description: 'd', __type: 'SEGMENTED', tags: ['x'] });
    const res = await api.call('PUT', `/api/experiences/${created.uid}`, { name: 'New', tags: ['Y'] });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(json(res)).toMatchObject({ name: 'New', description: 'd', tags: ['y'], version: 2, __type: 'SEGMENTED' });
    const cleared = await api.call('PUT', `/api/experiences/${created.uid}`, { description: null, tags: null });
    expect(json(cleared)).toMatchObject({ description: '', tags: [] });
    const get = await api.call('GET', `/api/experiences/${created.uid}`);
    expect(get.headers.etag).toBe('"3"');
  });

  it('answers 409 VERSION_CONFLICT with the current copy for a stale If-Match or body version', async () => {
    const created = await api.create({ name: 'Race', __type: 'SEGMENTED' });
    await api.call('PUT', `/api/experiences/${created.uid}`, { name: 'First' });
    const byHeader = await api.call('PUT', `/api/experiences/${created.uid}`, { name: 'Second' }, { 'if-match': '"1"' });
    expect(byHeader.statusCode).toBe(409);
    expect(json(byHeader)).toMatchObject({ error: 'personalize.EXPERIENCES.VERSION_CONFLICT', current: { name: 'First', version: 2 } });
    const byBody = await api.call('PUT', `/api/experiences/${created.uid}`, { name: 'Second', version: 1 });
    expect(byBody.statusCode).toBe(409);
    const fresh = await api.call('PUT', `/api/experiences/${created.uid}`, { name: 'Second', version: 2 }, { 'if-match': '"2"' });
    expect(fresh.statusCode).toBe(200);
    const staleDelete = await api.call('DELETE', `/api/experiences/${created.uid}`, undefined, { 'if-match': '"1"' });
    expect(staleDelete.statusCode).toBe(409);
  });

  it('refuses a type change once a version has variants', async () => {
    const created = await api.create({ name: 'Typed', __type: 'AB_TEST' });
    const empty = await api.call('PUT', `/api/experiences/${created.uid}`, { __type: 'SEGMENTED' });
    expect(empty.statusCode).toBe(200);
    const back = await api.call('PUT', `/api/experiences/${created.uid}`, { __type: 'AB_TEST' });
    expect(back.statusCode).toBe(200);
    await api.putVersion(created.uid, created.latestVersion, { status: 'DRAFT', variants: [{ name: 'A' }, { name: 'B' }] });
    const res = await api.call('PUT', `/api/experiences/${created.uid}`, { __type: 'SEGMENTED' });
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toBe('personalize.EXPERIENCES.CANNOT_CHANGE_TYPE');
  });

  it('answers 404 for an unknown experience and 400 for a malformed uid', async () => {
    expect((await api.call('GET', '/api/experiences/0123456789abcdef01234567')).statusCode).toBe(404);
    expect(json(await api.call('GET', '/api/experiences/0123456789abcdef01234567')).error).toBe('personalize.EXPERIENCES.NOT_FOUND');
    expect((await api.call('GET', '/api/experiences/test-experience-uid')).statusCode).toBe(400);
    expect((await api.call('PUT', '/api/experiences/0123456789abcdef01234567', { name: 'x' })).statusCode).toBe(404);
    expect((await api.call('DELETE', '/api/experiences/0123456789abcdef01234567')).statusCode).toBe(404);
  });

  it('does not show another project’s experience', async () => {
    const other = await createTestProject(t);
    const foreign = await experienceClient(t, other).create({ name: 'Theirs', __type: 'SEGMENTED' });
    expect((await api.call('GET', `/api/experiences/${foreign.uid}`)).statusCode).toBe(404);
    expect((await api.call('DELETE', `/api/experiences/${foreign.uid}`)).statusCode).toBe(404);
  });

  it('deletes an active experience (204), with its versions, and removes it from the priority list', async () => {
    const a = await api.create({ name: 'A', __type: 'AB_TEST' });
    const b = await api.create({ name: 'B', __type: 'AB_TEST' });
    const activated = await api.putVersion(a.uid, a.latestVersion, { status: 'ACTIVE', variants: [{ name: 'x' }, { name: 'y' }] });
    expect(activated.statusCode).toBe(200);
    const res = await api.call('DELETE', `/api/experiences/${a.uid}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(json(await api.call('GET', '/api/experiences-priority'))).toEqual({ priorityOrder: [b.uid] });
    expect((await api.call('GET', `/api/experiences/${a.uid}/versions`)).statusCode).toBe(404);
    const rows = await t.db.kysely.selectFrom('experience_versions').select('uid').where('experience_uid', '=', a.uid).execute();
    expect(rows).toEqual([]);
  });

  it('records audit entries for create, update and delete', async () => {
    const created = await api.create({ name: 'Audited', __type: 'SEGMENTED' });
    await api.call('PUT', `/api/experiences/${created.uid}`, { name: 'Audited 2' });
    await api.call('DELETE', `/api/experiences/${created.uid}`);
    const actions = await t.db.kysely.selectFrom('audit_entries').select('action').where('resource_uid', '=', created.uid).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['experience.created', 'experience.updated', 'experience.deleted']);
  });

  it('lists every experience endpoint in the OpenAPI document', async () => {
    const doc = json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(await t.app.inject({ method: 'GET', url: '/api/openapi' }));
    expect(Object.keys(doc.paths['/experiences'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/experiences/{uid}'] ?? {}).sort()).toEqual(['delete', 'get', 'put']);
    expect(Object.keys(doc.paths['/experiences/{uid}/versions'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/experiences/{uid}/versions/{versionUid}'] ?? {}).sort()).toEqual(['delete', 'put']);
    expect(Object.keys(doc.paths['/experiences-priority'] ?? {}).sort()).toEqual(['get', 'put']);
    expect(Object.keys(doc.paths['/experiences/{uid}/versions/{versionUid}']?.put?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409']),
    );
  });
});
