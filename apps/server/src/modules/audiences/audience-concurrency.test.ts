import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

type Body = Record<string, unknown>;

const definition = {
  __type: 'RuleCombination',
  combinationType: 'AND',
  rules: [{ __type: 'Rule', attribute: { __type: 'PresetAttributeReference', ref: 'COUNTRY' }, attributeMatchCondition: 'STRING_EQUALS', attributeMatchOptions: { __type: 'StringMatchOptions', value: 'US' }, invertCondition: false }],
};

describe('concurrent audience writes', () => {
  let t: TestApp;
  let member: TestUser;
  let project: TestProject;
  beforeEach(async () => {
    t = await createTestApp();
    member = await t.createUser('MEMBER');
    project = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }, { user: t.owner, role: 'OWNER' }] });
  });
  afterEach(async () => {
    await t.close();
  });

  it('lets exactly one of 50 updates based on the same version win; the 49 others get 409 with the winner', async () => {
    const created = json(await t.app.inject({ method: 'POST', url: '/api/audiences', headers: project.headersFor(member), payload: { name: 'Gold', definition } }));
    const uid = String(created.uid);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.app.inject({ method: 'PUT', url: `/api/audiences/${uid}`, headers: project.headersFor(member), payload: { description: `writer ${i}`, version: 1 } }),
      ),
    );
    const winners = responses.filter((r) => r.statusCode === 200);
    const losers = responses.filter((r) => r.statusCode === 409);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    const winner = json(winners[0] as (typeof responses)[number]);
    expect(winner.version).toBe(2);
    for (const loser of losers) {
      expect(json(loser)).toMatchObject({ error: 'personalize.AUDIENCES.VERSION_CONFLICT', current: { version: 2, description: winner.description } });
    }
    const revisions = json<Body[]>(await t.app.inject({ method: 'GET', url: `/api/audiences/${uid}/revisions`, headers: project.headersFor(member) }));
    expect(revisions.map((r) => [r.number, r.description])).toEqual([
      [2, winner.description],
      [1, ''],
    ]);
    const log = json<Body[]>(await t.app.inject({ method: 'GET', url: `/api/audit-log?resource=audience&resourceUid=${uid}`, headers: project.headersFor(t.owner) }));
    expect(log.map((e) => [e.action, e.revision])).toEqual([
      ['audience.updated', 2],
      ['audience.created', 1],
    ]);
    expect(json(await t.app.inject({ method: 'GET', url: `/api/audiences/${uid}`, headers: project.headersFor(member) }))).toMatchObject({ version: 2, description: winner.description });
  });

  it('accepts every unconditional write (no version, no If-Match), each as its own revision', async () => {
    const created = json(await t.app.inject({ method: 'POST', url: '/api/audiences', headers: project.headersFor(member), payload: { name: 'Gold', definition } }));
    const uid = String(created.uid);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => t.app.inject({ method: 'PUT', url: `/api/audiences/${uid}`, headers: project.headersFor(member), payload: { description: `w${i}` } })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(new Set(responses.map((r) => json(r).version))).toEqual(new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    const revisions = json<Body[]>(await t.app.inject({ method: 'GET', url: `/api/audiences/${uid}/revisions`, headers: project.headersFor(member) }));
    expect(revisions).toHaveLength(11);
  });
});
