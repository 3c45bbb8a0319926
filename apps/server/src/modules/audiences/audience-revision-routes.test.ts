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

describe('audience revision routes', () => {
  let t: TestApp;
  let member: TestUser;
  let owner: TestUser;
  let project: TestProject;
  beforeEach(async () => {
    t = await createTestApp();
    member = await t.createUser('MEMBER');
    owner = await t.createUser('MEMBER');
    project = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }, { user: owner, role: 'OWNER' }] });
  });
  afterEach(async () => {
    await t.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: unknown, headers: Record<string, string> = {}, user: TestUser = member) =>
    t.app.inject({ method, url: `/api/${path}`, headers: { ...project.headersFor(user), ...headers }, ...(payload === undefined ? {} : { payload: payload as Body }) });

  async function audienceWithHistory(): Promise<string> {
    const created = json(await call('POST', 'audiences', { name: 'Gold', description: 'v1', definition: group([country('US'), country('FR')]) }));
    const uid = String(created.uid);
    t.clock.advance(60_000);
    await call('PUT', `audiences/${uid}`, { name: 'Gold+', definition: group([country('US'), country('DE'), country('IT')], 'OR') });
    return uid;
  }

  it('keeps a revision per write, newest first, with who, when, the full body and a change summary', async () => {
    const uid = await audienceWithHistory();
    const revisions = json<Body[]>(await call('GET', `audiences/${uid}/revisions`));
    expect(revisions.map((r) => [r.number, r.action])).toEqual([
      [2, 'updated'],
      [1, 'created'],
    ]);
    expect(revisions[0]).toMatchObject({ audienceUid: uid, name: 'Gold+', description: 'v1', createdBy: member.uid, createdAt: '2026-11-29T12:01:00.000Z', restoredFrom: null });
    expect(revisions[0]?.summary).toEqual({
      name: { from: 'Gold', to: 'Gold+' },
      rules: {
        added: [{ path: 'definition.rules[2]', rule: country('IT') }],
        removed: [],
        changed: [
          { path: 'definition.rules[1]', from: country('FR'), to: country('DE') },
          { path: 'definition.combinationType', from: 'AND', to: 'OR' },
        ],
      },
    });
    const one = await call('GET', `audiences/${uid}/revisions/1`);
    expect(json(one)).toMatchObject({ number: 1, name: 'Gold', definition: group([country('US'), country('FR')]) });
    expect((await call('GET', `audiences/${uid}/revisions/9`)).statusCode).toBe(404);
    expect((await call('GET', `audiences/${uid}/revisions/zero`)).statusCode).toBe(400);
  });

  it('restores a revision as a new revision, conflict-protected like an update', async () => {
    const uid = await audienceWithHistory();
    const stale = await call('POST', `audiences/${uid}/revisions/1/restore`, { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(json(stale)).toMatchObject({ error: 'personalize.AUDIENCES.VERSION_CONFLICT', current: { version: 2, name: 'Gold+' } });
    const restored = await call('POST', `audiences/${uid}/revisions/1/restore`, undefined, { 'if-match': '"2"' });
    expect(restored.statusCode).toBe(200);
    expect(json(restored)).toMatchObject({ name: 'Gold', description: 'v1', version: 3, definition: group([country('US'), country('FR')]) });
    expect(restored.headers.etag).toBe('"3"');
    const latest = json(await call('GET', `audiences/${uid}/revisions/3`));
    expect(latest).toMatchObject({ action: 'restored', restoredFrom: 1, summary: { restoredFrom: 1, name: { from: 'Gold+', to: 'Gold' } } });
    const log = json<Body[]>(await call('GET', `audit-log?resourceUid=${uid}`, undefined, {}, owner));
    expect(log.map((e) => [e.action, e.revision])).toEqual([
      ['audience.restored', 3],
      ['audience.updated', 2],
      ['audience.created', 1],
    ]);
  });

  it('refuses to restore a revision whose attribute is gone, or whose name is now taken', async () => {
    const attr = json(await call('POST', 'attributes', { name: 'Plan', key: 'plan' }));
    const planRule = { __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: attr.uid }, attributeMatchCondition: 'HAS_ANY_VALUE', invertCondition: false };
    const created = json(await call('POST', 'audiences', { name: 'Planners', definition: group([planRule]) }));
    const uid = String(created.uid);
    await call('PUT', `audiences/${uid}`, { name: 'Renamed', definition: group([country('US')]) });
    expect((await call('DELETE', `attributes/${String(attr.uid)}`)).statusCode).toBe(204);
    const gone = await call('POST', `audiences/${uid}/revisions/1/restore`);
    expect(gone.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: Body }>(gone).errors)).toEqual(['definition.rules[0].attribute.ref']);

    await call('PUT', `audiences/${uid}`, { name: 'Gold', definition: group([country('US')]) });
    await call('POST', 'audiences', { name: 'Renamed', definition: group([country('FR')]) });
    const taken = await call('POST', `audiences/${uid}/revisions/2/restore`);
    expect(taken.statusCode).toBe(409);
    expect(json(taken).error).toBe('personalize.AUDIENCES.DUPLICATE_NAME');
    expect(json<Body[]>(await call('GET', `audiences/${uid}/revisions`))).toHaveLength(3);
  });

  it("keeps a deleted audience's history readable by project Owners only, until the project goes", async () => {
    const uid = await audienceWithHistory();
    expect((await call('DELETE', `audiences/${uid}`)).statusCode).toBe(204);
    expect((await call('GET', `audiences/${uid}/revisions`)).statusCode).toBe(403);
    const asOwner = await call('GET', `audiences/${uid}/revisions`, undefined, {}, owner);
    expect(asOwner.statusCode).toBe(200);
    expect(json<Body[]>(asOwner)).toHaveLength(2);
    expect((await call('GET', `audiences/${uid}/revisions/1`, undefined, {}, t.owner)).statusCode).toBe(200);
    expect((await call('POST', `audiences/${uid}/revisions/1/restore`, undefined, {}, owner)).statusCode).toBe(404);
    expect((await call('GET', `audiences/${'1'.repeat(24)}/revisions`, undefined, {}, owner)).statusCode).toBe(404);

    await t.db.kysely.deleteFrom('projects').where('uid', '=', project.uid).execute();
    const left = await t.db.kysely.selectFrom('audience_revisions').select('number').where('audience_uid', '=', uid).execute();
    expect(left).toEqual([]);
  });

  it('hides history from outsiders', async () => {
    const uid = await audienceWithHistory();
    const outsider = await t.createUser('MEMBER');
    expect((await call('GET', `audiences/${uid}/revisions`, undefined, {}, outsider)).statusCode).toBe(403);
    expect((await call('POST', `audiences/${uid}/revisions/1/restore`, undefined, {}, outsider)).statusCode).toBe(403);
  });
});
