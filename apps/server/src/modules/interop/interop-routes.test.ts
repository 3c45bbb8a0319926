import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportReport, ProjectFile } from '@tailor/contract';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import { projectSnapshot, seedInteropProject } from './interop-test-seed.js';

describe('project export and import routes', () => {
  let t: TestApp;
  let source: TestProject;
  beforeEach(async () => {
    t = await createTestApp();
    source = await createTestProject(t, { name: 'Source' });
    await seedInteropProject(t, source);
  });
  afterEach(async () => {
    await t.close();
  });

  const projectOf = (uid: string): TestProject => ({ uid, headersFor: (user) => ({ ...user.headers, 'x-project-uid': uid }) });

  async function exportFile(query = ''): Promise<ProjectFile> {
    const res = await t.app.inject({ method: 'GET', url: `/api/projects/${source.uid}/export${query}`, headers: t.owner.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="Source.tailor-project.json"');
    return json<ProjectFile>(res);
  }

  const importFile = (body: unknown, query = '') =>
    t.app.inject({ method: 'POST', url: `/api/projects/import${query}`, headers: { ...t.owner.headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });

  async function projectNames(): Promise<string[]> {
    return json<Array<{ name: string }>>(await t.app.inject({ method: 'GET', url: '/api/projects', headers: t.owner.headers })).map((p) => p.name);
  }

  it('exports the documented format and imports it into a new project equal up to uids', async () => {
    const file = await exportFile();
    expect(file).toMatchObject({ format: 'tailor-project', formatVersion: 1, project: { name: 'Source', description: '' }, source: { projectUid: source.uid } });
    expect(file.attributes.map((a) => a.key).sort()).toEqual(['age', 'plan']);
    expect(file.audiences.every((a) => a.history === undefined)).toBe(true);
    // Listed in priority order: the A/B test was moved to the top.
    expect(file.experiences.map((e) => [e.name, e.versions.map((v) => v.status)])).toEqual([
      ['Checkout test', ['ACTIVE', 'DRAFT']],
      ['Hero', ['ACTIVE', 'DRAFT']],
    ]);
    expect(file.priority).toEqual(file.experiences.map((e) => e.uid));

    const res = await importFile(file, '?name=Production');
    expect(res.statusCode).toBe(201);
    const report = json<ImportReport>(res);
    expect(report).toMatchObject({
      dryRun: false,
      ok: true,
      project: { name: 'Production' },
      created: { attributes: 2, audiences: 3, audienceRevisions: 3, events: 2, experiences: 2, versions: 4 },
      problems: [],
    });
    const copy = projectOf(report.project.uid ?? '');
    expect(await projectSnapshot(t, copy)).toEqual(await projectSnapshot(t, source));
    // The imported project exports to the same file, up to uids and times.
    const again = json<ProjectFile>(await t.app.inject({ method: 'GET', url: `/api/projects/${copy.uid}/export`, headers: t.owner.headers }));
    expect(again.experiences.map((e) => e.versions.map((v) => v.variants.map((x) => [x.shortUid, x.name])))).toEqual(
      file.experiences.map((e) => e.versions.map((v) => v.variants.map((x) => [x.shortUid, x.name]))),
    );
  });

  it('keeps archived versions and, with history, every audience revision', async () => {
    const gold = json<Array<{ uid: string; name: string; definition: unknown }>>(
      await t.app.inject({ method: 'GET', url: '/api/audiences', headers: source.headersFor(t.owner) }),
    ).find((a) => a.name === 'Gold');
    await t.app.inject({ method: 'PUT', url: `/api/audiences/${gold?.uid ?? ''}`, headers: source.headersFor(t.owner), payload: { description: 'second' } });
    await t.app.inject({ method: 'PUT', url: `/api/audiences/${gold?.uid ?? ''}`, headers: source.headersFor(t.owner), payload: { name: 'Gold members' } });
    const hero = json<Array<{ uid: string; name: string; latestVersion: string }>>(
      await t.app.inject({ method: 'GET', url: '/api/experiences', headers: source.headersFor(t.owner) }),
    ).find((e) => e.name === 'Hero');
    const draft = json<Array<{ status: string; variants: unknown[] }>>(
      await t.app.inject({ method: 'GET', url: `/api/experiences/${hero?.uid ?? ''}/versions`, headers: source.headersFor(t.owner) }),
    ).find((v) => v.status === 'DRAFT');
    const activated = await t.app.inject({
      method: 'PUT',
      url: `/api/experiences/${hero?.uid ?? ''}/versions/${hero?.latestVersion ?? ''}`,
      headers: source.headersFor(t.owner),
      payload: { ...draft, status: 'ACTIVE' },
    });
    expect(activated.statusCode).toBe(200);
    const file = await exportFile('?withHistory=true');
    expect(file.experiences.find((e) => e.name === 'Hero')?.versions.map((v) => v.status)).toEqual(['ARCHIVED', 'ACTIVE']);
    const history = file.audiences.find((a) => a.name === 'Gold members')?.history ?? [];
    expect(history.map((r) => [r.number, r.action, r.name])).toEqual([
      [1, 'created', 'Gold'],
      [2, 'updated', 'Gold'],
      [3, 'updated', 'Gold members'],
    ]);
    const report = json<ImportReport>(await importFile(file, '?name=With%20history'));
    expect(report.created.audienceRevisions).toBe(5);
    const copy = projectOf(report.project.uid ?? '');
    expect(await projectSnapshot(t, copy)).toEqual(await projectSnapshot(t, source));
    const again = json<ProjectFile>(await t.app.inject({ method: 'GET', url: `/api/projects/${copy.uid}/export`, headers: t.owner.headers }));
    expect(again.experiences.map((e) => e.versions.map((v) => [v.status, v.variants.map((x) => x.name)]))).toEqual(
      file.experiences.map((e) => e.versions.map((v) => [v.status, v.variants.map((x) => x.name)])),
    );
    const imported = json<Array<{ uid: string; name: string; version: number }>>(
      await t.app.inject({ method: 'GET', url: '/api/audiences', headers: copy.headersFor(t.owner) }),
    ).find((a) => a.name === 'Gold members');
    const revisions = json<Array<{ number: number; name: string; description: string }>>(
      await t.app.inject({ method: 'GET', url: `/api/audiences/${imported?.uid ?? ''}/revisions`, headers: copy.headersFor(t.owner) }),
    );
    expect(revisions.map((r) => [r.number, r.name, r.description]).sort()).toEqual([
      [1, 'Gold', 'Gold visitors'],
      [2, 'Gold', 'second'],
      [3, 'Gold members', 'second'],
    ]);
  });

  it('re-creates a paused version, variant payloads and an equal A/B split, and the edge serves the copy at once', async () => {
    const api = (method: 'GET' | 'PUT', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: source.headersFor(t.owner), ...(payload ? { payload } : {}) });
    const checkout = json<Array<{ uid: string; name: string }>>(await api('GET', '/api/experiences')).find((e) => e.name === 'Checkout test');
    const versions = json<Array<{ uid: string; status: string; variants: Array<Record<string, unknown>> }>>(await api('GET', `/api/experiences/${checkout?.uid ?? ''}/versions`));
    const active = versions.find((v) => v.status === 'ACTIVE');
    const draft = versions.find((v) => v.status === 'DRAFT');
    const paused = await api('PUT', `/api/experiences/${checkout?.uid ?? ''}/versions/${active?.uid ?? ''}`, { ...active, status: 'PAUSED' });
    expect(paused.statusCode).toBe(200);
    const edited = await api('PUT', `/api/experiences/${checkout?.uid ?? ''}/versions/${draft?.uid ?? ''}`, {
      status: 'DRAFT',
      variantSplit: 'EQUAL',
      variants: [
        { shortUid: '0', name: 'Control', payload: { color: 'blue' } },
        { shortUid: '1', name: 'Treatment', payload: { color: 'red' } },
        { name: 'Third' },
      ],
    });
    expect(edited.statusCode).toBe(200);
    const report = json<ImportReport>(await importFile(await exportFile(), '?name=Paused'));
    const copy = projectOf(report.project.uid ?? '');
    const [before, after] = [await projectSnapshot(t, source), await projectSnapshot(t, copy)];
    expect(after).toEqual(before);
    expect(JSON.stringify(after)).toContain('"status":"PAUSED"');
    expect(JSON.stringify(after)).toContain('"trafficDistribution":34');
    const manifest = await t.app.inject({ method: 'GET', url: '/edge/manifest', headers: { 'x-project-uid': copy.uid } });
    expect(manifest.statusCode).toBe(200);
    expect(json<{ experiences: Array<{ shortUid: string }> }>(manifest).experiences).toHaveLength(2);
  });

  it('answers a dry run with what would be created, and creates nothing', async () => {
    const file = await exportFile();
    const res = await importFile(file, '?dryRun=true&name=Rehearsal');
    expect(res.statusCode).toBe(200);
    expect(json<ImportReport>(res)).toMatchObject({ dryRun: true, ok: true, project: { uid: null, name: 'Rehearsal' }, created: { experiences: 2, versions: 4 } });
    expect(await projectNames()).toEqual(['Source']);
    const clash = json<ImportReport>(await importFile(file, '?dryRun=true'));
    expect(clash).toMatchObject({ ok: false, problems: [{ path: 'project', message: expect.stringContaining('A project named "Source" already exists') }] });
  });

  it('refuses a duplicate project name with 409 and names the way out', async () => {
    const res = await importFile(await exportFile());
    expect(res.statusCode).toBe(409);
    expect(json(res)).toMatchObject({ error: 'personalize.PROJECTS.DUPLICATE_NAME', message: expect.stringContaining('--name') });
    expect(await projectNames()).toEqual(['Source']);
  });

  it('imports into an empty existing project, and refuses one that is not empty', async () => {
    const file = await exportFile();
    const empty = await createTestProject(t, { name: 'Empty' });
    const full = await importFile(file, `?into=${source.uid}`);
    expect(full.statusCode).toBe(409);
    expect(json(full)).toMatchObject({ error: 'personalize.IMPORT.TARGET_NOT_EMPTY', counts: { attributes: 2, audiences: 3, events: 2, experiences: 2 } });
    const res = await importFile(file, `?into=${empty.uid}`);
    expect(res.statusCode).toBe(201);
    expect(json<ImportReport>(res).project).toEqual({ uid: empty.uid, name: 'Empty' });
    expect(await projectSnapshot(t, empty)).toEqual(await projectSnapshot(t, source));
  });

  it('rejects a file of another format version, naming the field', async () => {
    const res = await importFile({ ...(await exportFile()), formatVersion: 2 }, '?name=X');
    expect(res.statusCode).toBe(400);
    expect(json(res)).toEqual({ errors: { formatVersion: [expect.stringContaining('Expected formatVersion 1')] } });
    expect(await projectNames()).toEqual(['Source']);
  });

  it('rejects a truncated file as malformed JSON', async () => {
    const text = JSON.stringify(await exportFile());
    const res = await t.app.inject({ method: 'POST', url: '/api/projects/import?name=X', headers: { ...t.owner.headers, 'content-type': 'application/json' }, payload: text.slice(0, text.length / 2) });
    expect(res.statusCode).toBe(400);
    expect(json(res)).toEqual({ errors: { body: [expect.stringContaining('malformed JSON')] } });
  });

  it('names the audience and the JSON path of a dangling attribute reference', async () => {
    const file = await exportFile();
    file.attributes = file.attributes.filter((a) => a.key !== 'age');
    const res = await importFile(file, '?name=X');
    expect(res.statusCode).toBe(400);
    const nested = file.audiences.findIndex((a) => a.name === 'Nested');
    expect(json<{ errors: Record<string, string[]> }>(res).errors).toEqual({
      [`audiences[${nested}].definition.rules[1].rules[0].attribute.ref`]: [expect.stringMatching(/^Audience "Nested": .*not in the file's attributes/)],
    });
    const dry = json<ImportReport>(await importFile(file, '?name=X&dryRun=true'));
    expect(dry).toMatchObject({ ok: false, problems: [{ path: `audiences[${nested}].definition.rules[1].rules[0].attribute.ref` }] });
    expect(await projectNames()).toEqual(['Source']);
  });

  it('names dangling audience and event references of experiences, and duplicates in the file', async () => {
    const file = await exportFile();
    file.audiences = file.audiences.filter((a) => a.name !== 'US');
    file.events.push({ ...file.events[0]!, uid: 'ffffffffffffffffffffffff' });
    const res = await importFile(file, '?name=X');
    const errors = json<{ errors: Record<string, string[]> }>(res).errors;
    expect(Object.keys(errors)).toEqual(
      expect.arrayContaining(['events[2].key', 'experiences[0].versions[0].targeting.audience.audiences[0]', 'experiences[1].versions[0].variants[1].audiences[1]']),
    );
    expect(errors['experiences[0].versions[0].targeting.audience.audiences[0]']?.[0]).toMatch(/^Experience "Checkout test" refers to audience/);
  });

  it('is all or nothing: a failure in the last experience leaves no project behind', async () => {
    const file = await exportFile();
    const last = file.experiences.at(-1);
    if (last) last.tags = ['not a tag!'];
    const res = await importFile(file, '?name=Half');
    expect(res.statusCode).toBe(400);
    expect(json<{ errors: Record<string, string[]> }>(res).errors).toEqual({ [`experiences[${file.experiences.length - 1}].tags[0]`]: [expect.stringContaining('Experience "')] });
    expect(await projectNames()).toEqual(['Source']);
    const attributeRows = await t.db.kysely.selectFrom('attributes').select('uid').execute();
    expect(attributeRows).toHaveLength(2);
  });

  it('answers 413 for a file over the import limit, before parsing it', async () => {
    const huge = `{"format":"tailor-project","pad":"${'x'.repeat(51 * 1024 * 1024)}"}`;
    const res = await t.app.inject({ method: 'POST', url: '/api/projects/import', headers: { ...t.owner.headers, 'content-type': 'application/json' }, payload: huge });
    expect(res.statusCode).toBe(413);
    expect(json(res)).toMatchObject({ error: 'personalize.REQUEST.BODY_TOO_LARGE' });
  });

  it('lets members export but only org Owners/Admins import a new project', async () => {
    const member = await t.createUser('MEMBER');
    const shared = await createTestProject(t, { name: 'Shared', members: [{ user: member, role: 'MEMBER' }] });
    const outsider = await t.createUser('MEMBER');
    expect((await t.app.inject({ method: 'GET', url: `/api/projects/${shared.uid}/export`, headers: outsider.headers })).statusCode).toBe(403);
    const exported = await t.app.inject({ method: 'GET', url: `/api/projects/${shared.uid}/export`, headers: member.headers });
    expect(exported.statusCode).toBe(200);
    const file = { ...json<ProjectFile>(exported), project: { name: 'Mine', description: '' } };
    const res = await t.app.inject({ method: 'POST', url: '/api/projects/import?name=Mine', headers: { ...member.headers, 'content-type': 'application/json' }, payload: JSON.stringify(file) });
    expect(res.statusCode).toBe(403);
  });

  it('documents both routes and the file format in the OpenAPI document', async () => {
    const doc = json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(await t.app.inject({ method: 'GET', url: '/api/openapi' }));
    expect(Object.keys(doc.paths['/projects/{uid}/export'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/projects/import']?.post?.responses ?? {})).toEqual(expect.arrayContaining(['200', '201', '400', '403', '409', '413']));
    expect(JSON.stringify(doc.paths['/projects/{uid}/export']?.get?.responses['200'])).toContain('ProjectFile');
  });
});
