import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

type Body = Record<string, unknown>;

const country = (value: string) => ({
  __type: 'Rule',
  attribute: { __type: 'PresetAttributeReference', ref: 'COUNTRY' },
  attributeMatchCondition: 'STRING_EQUALS',
  attributeMatchOptions: { __type: 'StringMatchOptions', value },
  invertCondition: false,
});
const group = (rules: unknown[], combinationType = 'AND') => ({ __type: 'RuleCombination', combinationType, rules });

describe('audience routes', () => {
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

  const post = (payload: unknown, p: TestProject = project, user: TestUser = member) =>
    t.app.inject({ method: 'POST', url: '/api/audiences', headers: { ...p.headersFor(user), 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  const get = (path: string, user: TestUser = member) => t.app.inject({ method: 'GET', url: `/api/${path}`, headers: project.headersFor(user) });
  const audienceCount = async () => json<Body[]>(await get('audiences')).length;
  const revisionCount = async () => Number((await t.db.kysely.selectFrom('audience_revisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('creates the spec example as a Member and returns it with version, ETag, audit fields and revision 1', async () => {
    const attr = json(await t.app.inject({ method: 'POST', url: '/api/attributes', headers: project.headersFor(member), payload: { name: 'Order value', key: 'aov' } }));
    const definition = group([
      country('US'),
      { __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: attr.uid }, attributeMatchOptions: { __type: 'NumberMatchOptions', value: 1000 }, attributeMatchCondition: 'NUMBER_GREATER_THAN', invertCondition: false },
    ]);
    const res = await post({ name: ' Valuable US Visitors ', description: 'AOV > 1000', definition, uid: 'ignored', _id: 'ignored', createdAt: 'x' });
    expect(res.statusCode).toBe(201);
    const created = json(res);
    expect(created).toMatchObject({ name: 'Valuable US Visitors', description: 'AOV > 1000', project: project.uid, version: 1, createdBy: member.uid, updatedBy: member.uid });
    expect(created.definition).toEqual({
      ...definition,
      rules: [definition.rules[0], { __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: attr.uid }, attributeMatchCondition: 'NUMBER_GREATER_THAN', attributeMatchOptions: { __type: 'NumberMatchOptions', value: 1000 }, invertCondition: false }],
    });
    expect(res.headers.etag).toBe('"1"');
    const fetched = await get(`audiences/${String(created.uid)}`);
    expect(json(fetched)).toEqual(created);
    expect(fetched.headers.etag).toBe('"1"');
    const list = json<Body[]>(await get('audiences'));
    expect(list).toEqual([{ ...created, referenceCount: 0 }]);
    const revisions = json<Body[]>(await get(`audiences/${String(created.uid)}/revisions`));
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ number: 1, action: 'created', name: 'Valuable US Visitors', summary: { name: { from: null, to: 'Valuable US Visitors' } } });
  });

  it('reports every definition problem at once with definition paths, and stores nothing', async () => {
    const other = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }] });
    const foreign = json(await t.app.inject({ method: 'POST', url: '/api/attributes', headers: other.headersFor(member), payload: { name: 'Plan', key: 'plan' } }));
    const res = await post({
      name: 'Broken',
      definition: group([
        { ...country('US'), __type: 'Rul' },
        { ...country('US'), attributeMatchCondition: 'STRING_CONTAINS' },
        { __type: 'Rule', attribute: { __type: 'PresetAttributeReference', ref: 'COUNTRY' }, attributeMatchCondition: 'NUMBER_GREATER_THAN', attributeMatchOptions: { __type: 'NumberMatchOptions', value: '5' }, invertCondition: false },
        { __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: foreign.uid }, attributeMatchCondition: 'STRING_EQUALS', attributeMatchOptions: { __type: 'StringMatchOptions', value: 'gold' }, invertCondition: false },
        group([], 'XOR'),
      ]),
    });
    expect(res.statusCode).toBe(400);
    const paths = Object.keys(json<{ errors: Body }>(res).errors);
    expect(paths).toEqual(
      expect.arrayContaining([
        'definition.rules[0].__type',
        'definition.rules[1].attributeMatchCondition',
        'definition.rules[2].attributeMatchCondition',
        'definition.rules[3].attribute.ref',
        'definition.rules[4].combinationType',
      ]),
    );
    for (const messages of Object.values(json<{ errors: Record<string, string[]> }>(res).errors)) expect(messages[0]).toMatch(/expected|Expected/);
    expect(await audienceCount()).toBe(0);
    expect(await revisionCount()).toBe(0);
  });

  it('rejects names that are empty, whitespace-only or duplicate (case-insensitively)', async () => {
    for (const name of ['', '   ', 42, null]) {
      const res = await post({ name, definition: group([country('US')]) });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(json<{ errors: Body }>(res).errors)).toEqual(['name']);
    }
    expect((await post({ name: 'Gold', definition: group([country('US')]) })).statusCode).toBe(201);
    const dup = await post({ name: 'gold', definition: group([country('FR')]) });
    expect(dup.statusCode).toBe(409);
    expect(json(dup).error).toBe('personalize.AUDIENCES.DUPLICATE_NAME');
    expect(await audienceCount()).toBe(1);
    expect(await revisionCount()).toBe(1);
  });

  it('requires a definition, refuses Lytics audiences, wrong root types and non-objects', async () => {
    const missing = await post({ name: 'No definition' });
    expect(json<{ errors: Body }>(missing).errors).toHaveProperty('definition');
    const lytics = await post({ name: 'L', source: 'LYTICS', definition: group([country('US')]) });
    expect(json(lytics).error).toBe('personalize.AUDIENCES.LYTICS_NOT_SUPPORTED');
    const wrongRoot = await post({ name: 'R', definition: { ...group([country('US')]), __type: 'Rule' } });
    expect(json<{ errors: Body }>(wrongRoot).errors).toHaveProperty(['definition.__type']);
    const notObject = await post({ name: 'S', definition: 'everyone' });
    expect(json<{ errors: Body }>(notObject).errors).toHaveProperty('definition');
    expect(await audienceCount()).toBe(0);
  });

  it('answers RULE_COUNT_EXCEEDED with the paths, honoring a per-project rule limit, and 413 for a huge body', async () => {
    const tooMany = await post({ name: 'Many', definition: group(Array.from({ length: 51 }, () => country('US'))) });
    expect(tooMany.statusCode).toBe(400);
    expect(json(tooMany)).toMatchObject({ error: 'personalize.AUDIENCES.RULE_COUNT_EXCEEDED', errors: { definition: [expect.stringContaining('51')] } });

    const strict = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }], limits: { rulesPerAudience: 2 } });
    const three = await post({ name: 'Three', definition: group([country('US'), country('FR'), country('DE')]) }, strict);
    expect(json(three).error).toBe('personalize.AUDIENCES.RULE_COUNT_EXCEEDED');

    const thousands = await post({ name: 'Huge', definition: group(Array.from({ length: 4_000 }, () => ({ attribute: { __type: 'PresetAttributeReference', ref: 'CITY' }, attributeMatchCondition: 'HAS_ANY_VALUE' }))) });
    expect(thousands.statusCode).toBe(400);
    expect(json(thousands).error).toBe('personalize.AUDIENCES.RULE_COUNT_EXCEEDED');
    const tenThousand = await post({ name: 'Huger', definition: group(Array.from({ length: 10_000 }, () => country('US'))) });
    expect(tenThousand.statusCode).toBe(413);
    expect(await audienceCount()).toBe(0);
    expect(await revisionCount()).toBe(0);
  });

  it('rejects 50-deep nesting with the path of the deepest allowed group', async () => {
    let definition: unknown = group([country('US')]);
    for (let i = 0; i < 49; i++) definition = group([definition]);
    const res = await post({ name: 'Deep', definition });
    expect(res.statusCode).toBe(400);
    const paths = Object.keys(json<{ errors: Body }>(res).errors);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths[0]).toMatch(/^definition(\.rules\[0\])+$/);
    expect(await audienceCount()).toBe(0);
  });

  it('rejects regexes that need backtracking, and answers quickly for nested quantifiers it runs in linear time', async () => {
    const regex = (pattern: string) =>
      group([{ __type: 'Rule', attribute: { __type: 'PresetAttributeReference', ref: 'REFERRER' }, attributeMatchCondition: 'MATCHES_REGEX', attributeMatchOptions: { __type: 'RegexMatchOptions', pattern }, invertCondition: false }]);
    const backref = await post({ name: 'Backref', definition: regex('(a*)*\\1') });
    expect(backref.statusCode).toBe(400);
    expect(json<{ errors: Body }>(backref).errors).toHaveProperty(['definition.rules[0].attributeMatchOptions.pattern']);
    const lookahead = await post({ name: 'Lookahead', definition: regex('(?=a)+') });
    expect(lookahead.statusCode).toBe(400);
    const nested = await post({ name: 'Nested', definition: regex('(a+)+$') });
    expect(nested.statusCode).toBe(201);
    expect((await get('audiences')).statusCode).toBe(200);
  });

  it('enforces the audience limit with the Contentstack code', async () => {
    const small = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }], limits: { audiences: 1 } });
    expect((await post({ name: 'A', definition: group([country('US')]) }, small)).statusCode).toBe(201);
    const second = await post({ name: 'B', definition: group([country('US')]) }, small);
    expect(second.statusCode).toBe(400);
    expect(json(second).error).toBe('personalization.AUDIENCES.MAX_AUDIENCES_COUNT_EXCEEDED');
  });

  it('updates with patch semantics, and a stale If-Match or body version gets 409 with the current copy and no revision', async () => {
    const created = json(await post({ name: 'Gold', description: 'd', definition: group([country('US')]) }));
    const url = `/api/audiences/${String(created.uid)}`;
    const renamed = await t.app.inject({ method: 'PUT', url, headers: { ...project.headersFor(member), 'if-match': '"1"' }, payload: { name: 'Gold 2' } });
    expect(renamed.statusCode).toBe(200);
    expect(json(renamed)).toMatchObject({ name: 'Gold 2', description: 'd', definition: created.definition, version: 2 });
    expect(renamed.headers.etag).toBe('"2"');
    const stale = await t.app.inject({ method: 'PUT', url, headers: { ...project.headersFor(member), 'if-match': '"1"' }, payload: { name: 'Mine' } });
    expect(stale.statusCode).toBe(409);
    expect(json(stale)).toMatchObject({ error: 'personalize.AUDIENCES.VERSION_CONFLICT', current: { name: 'Gold 2', version: 2 } });
    const staleBody = await t.app.inject({ method: 'PUT', url, headers: project.headersFor(member), payload: { name: 'Mine', version: 1 } });
    expect(staleBody.statusCode).toBe(409);
    const contentstack = await t.app.inject({ method: 'PUT', url, headers: project.headersFor(member), payload: { name: 'Gold', description: 'e', definition: group([country('FR')]) } });
    expect(json(contentstack)).toMatchObject({ name: 'Gold', version: 3, updatedBy: member.uid });
    expect(await revisionCount()).toBe(3);
    const invalid = await t.app.inject({ method: 'PUT', url, headers: project.headersFor(member), payload: { definition: group([country('')]) } });
    expect(invalid.statusCode).toBe(400);
    expect(await revisionCount()).toBe(3);
    expect(json(await get(`audiences/${String(created.uid)}`)).version).toBe(3);
  });

  it('deletes with If-Match, keeps the history, and 404s afterwards', async () => {
    const created = json(await post({ name: 'Gold', definition: group([country('US')]) }));
    const url = `/api/audiences/${String(created.uid)}`;
    expect((await t.app.inject({ method: 'DELETE', url, headers: { ...project.headersFor(member), 'if-match': '"7"' } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'DELETE', url, headers: { ...project.headersFor(member), 'if-match': '"1"' } })).statusCode).toBe(204);
    expect((await get(`audiences/${String(created.uid)}`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url, headers: project.headersFor(member) })).statusCode).toBe(404);
    expect(await revisionCount()).toBe(1);
  });

  it('lists references from the injected source and refuses to delete while one blocks', async () => {
    const created = json(await post({ name: 'Gold', definition: group([country('US')]) }));
    const uid = String(created.uid);
    expect(json<Body[]>(await get(`audiences/${uid}/references`))).toEqual([]);
    let blocking = true;
    t.app.services.referenceSources.push({
      async audienceReferences(_db, _projectUid, uids) {
        return new Map(uids.filter((u) => u === uid).map((u) => [u, [{ kind: 'experience' as const, uid: 'e'.repeat(24), name: 'Homepage', versionUid: 'f'.repeat(24), versionStatus: blocking ? 'ACTIVE' : 'ARCHIVED', via: 'variant' as const, path: 'variants[0].audiences[0]', blocking }]]));
      },
      async eventReferences() {
        return new Map();
      },
    });
    const refs = json<Body[]>(await get(`audiences/${uid}/references`));
    expect(refs).toEqual([expect.objectContaining({ kind: 'experience', name: 'Homepage', versionStatus: 'ACTIVE', via: 'variant', blocking: true })]);
    expect(json<Body[]>(await get('audiences'))[0]?.referenceCount).toBe(1);
    const refused = await t.app.inject({ method: 'DELETE', url: `/api/audiences/${uid}`, headers: project.headersFor(member) });
    expect(refused.statusCode).toBe(409);
    expect(json(refused)).toMatchObject({ error: 'personalize.AUDIENCES.REFERENCED', references: [{ name: 'Homepage' }] });
    blocking = false;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/audiences/${uid}`, headers: project.headersFor(member) })).statusCode).toBe(204);
  });

  it('keeps outsiders out, 400s malformed uids and 404s unknown ones', async () => {
    const outsider = await t.createUser('MEMBER');
    expect((await get('audiences', outsider)).statusCode).toBe(403);
    expect((await post({ name: 'X', definition: group([country('US')]) }, project, outsider)).statusCode).toBe(403);
    expect((await get('audiences/ABC')).statusCode).toBe(400);
    expect((await get(`audiences/${'0'.repeat(24)}`)).statusCode).toBe(404);
    expect((await get(`audiences/${'0'.repeat(24)}/references`)).statusCode).toBe(404);
    const admin = await t.createUser('ADMIN');
    expect((await get('audiences', admin)).statusCode).toBe(200);
  });

  it('emits a change event after each committed write', async () => {
    const seen: string[] = [];
    t.app.services.changes.subscribe((c) => {
      seen.push(`${c.resource}:${String(c.resourceUid)}`);
    });
    const created = json(await post({ name: 'Gold', definition: group([country('US')]) }));
    await post({ name: 'Gold', definition: group([country('US')]) });
    await t.app.inject({ method: 'DELETE', url: `/api/audiences/${String(created.uid)}`, headers: project.headersFor(member) });
    expect(seen).toEqual([`audience:${String(created.uid)}`, `audience:${String(created.uid)}`]);
  });

  it('documents the routes, the rule tree and their errors in OpenAPI', async () => {
    const doc = json<{ paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>> }>(await t.app.inject({ method: 'GET', url: '/api/openapi' }));
    const put = doc.paths['/audiences/{uid}']?.put;
    expect(Object.keys(put?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413']);
    expect(JSON.stringify(put?.requestBody)).toContain('#/components/schemas/RuleCombination');
    expect(JSON.stringify(doc.paths['/audiences']?.get?.responses['200'])).toContain('Audience');
    for (const path of ['/attributes', '/attributes/{uid}', '/attributes/{uid}/references', '/audiences/{uid}/revisions', '/audiences/{uid}/revisions/{number}', '/audiences/{uid}/revisions/{number}/restore', '/events', '/events/{uid}', '/events/{uid}/references', '/audit-log']) {
      expect(doc.paths).toHaveProperty([path]);
    }
  });
});
