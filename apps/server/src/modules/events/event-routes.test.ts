import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

type Body = Record<string, unknown>;

describe('event routes', () => {
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

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: Body, headers: Record<string, string> = {}, user: TestUser = member, p: TestProject = project) =>
    t.app.inject({ method, url: `/api/${path}`, headers: { ...p.headersFor(user), ...headers }, ...(payload ? { payload } : {}) });

  it('creates, lists, gets, updates and deletes an event as a Member', async () => {
    const res = await call('POST', 'events', { key: 'clickCTA', description: 'CTA clicks', uid: 'ignored', name: 'ignored' });
    expect(res.statusCode).toBe(201);
    const created = json(res);
    expect(created).toMatchObject({ key: 'clickCTA', description: 'CTA clicks', project: project.uid, version: 1, createdBy: member.uid, createdByUserName: expect.any(String) });
    expect(res.headers.etag).toBe('"1"');
    const uid = String(created.uid);
    expect(json<Body[]>(await call('GET', 'events'))).toEqual([{ ...created, referenceCount: 0 }]);
    expect((await call('GET', `events/${uid}`)).headers.etag).toBe('"1"');
    const updated = await call('PUT', `events/${uid}`, { description: 'Clicks on the CTA' }, { 'if-match': '"1"' });
    expect(json(updated)).toMatchObject({ key: 'clickCTA', description: 'Clicks on the CTA', version: 2 });
    const stale = await call('PUT', `events/${uid}`, { key: 'other', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(json(stale)).toMatchObject({ error: 'personalize.EVENTS.VERSION_CONFLICT', current: { version: 2, description: 'Clicks on the CTA' } });
    expect((await call('DELETE', `events/${uid}`)).statusCode).toBe(204);
    expect((await call('GET', `events/${uid}`)).statusCode).toBe(404);
    const log = json<Body[]>(await call('GET', `audit-log?resource=event`, undefined, {}, t.owner));
    expect(log.map((e) => e.action)).toEqual(['event.deleted', 'event.updated', 'event.created']);
  });

  it('rejects empty, whitespace-only, control-character and duplicate keys', async () => {
    for (const key of ['', '   ', 'tab\there', 7]) {
      const res = await call('POST', 'events', { key } as Body);
      expect(res.statusCode).toBe(400);
      expect(Object.keys(json<{ errors: Body }>(res).errors)).toEqual(['key']);
    }
    expect((await call('POST', 'events', { key: 'purchase' })).statusCode).toBe(201);
    const dup = await call('POST', 'events', { key: 'purchase' });
    expect(dup.statusCode).toBe(409);
    expect(json(dup).error).toBe('personalize.EVENTS.DUPLICATE_KEY');
    const other = json(await call('POST', 'events', { key: 'signup' }));
    const clash = await call('PUT', `events/${String(other.uid)}`, { key: 'purchase' });
    expect(clash.statusCode).toBe(409);
    expect(json<Body[]>(await call('GET', 'events'))).toHaveLength(2);
  });

  it('enforces the event limit with the Contentstack code', async () => {
    const small = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }], limits: { events: 1 } });
    expect((await call('POST', 'events', { key: 'a' }, {}, member, small)).statusCode).toBe(201);
    const second = await call('POST', 'events', { key: 'b' }, {}, member, small);
    expect(second.statusCode).toBe(400);
    expect(json(second).error).toBe('personalization.EVENTS.MAX_EVENTS_COUNT_EXCEEDED');
  });

  it('lists metric references from the injected source and refuses to delete while one blocks', async () => {
    const created = json(await call('POST', 'events', { key: 'purchase' }));
    const uid = String(created.uid);
    t.app.services.referenceSources.push({
      async audienceReferences() {
        return new Map();
      },
      async eventReferences(_db, _projectUid, uids) {
        return new Map(uids.map((u) => [u, [{ kind: 'experience' as const, uid: 'e'.repeat(24), name: 'Checkout test', versionStatus: 'DRAFT', via: 'metric' as const, path: 'metrics[0]', blocking: true }]]));
      },
    });
    expect(json<Body[]>(await call('GET', `events/${uid}/references`))).toEqual([expect.objectContaining({ name: 'Checkout test', via: 'metric' })]);
    expect(json<Body[]>(await call('GET', 'events'))[0]?.referenceCount).toBe(1);
    const refused = await call('DELETE', `events/${uid}`);
    expect(refused.statusCode).toBe(409);
    expect(json(refused)).toMatchObject({ error: 'personalize.EVENTS.REFERENCED', references: [{ uid: 'e'.repeat(24) }] });
  });

  it('keeps outsiders out and answers 400 / 404 for malformed / unknown uids', async () => {
    const outsider = await t.createUser('MEMBER');
    expect((await call('GET', 'events', undefined, {}, outsider)).statusCode).toBe(403);
    expect((await call('POST', 'events', { key: 'x' }, {}, outsider)).statusCode).toBe(403);
    expect((await call('GET', 'events/xyz')).statusCode).toBe(400);
    expect((await call('PUT', `events/${'a'.repeat(24)}`, { key: 'x' })).statusCode).toBe(404);
  });
});
