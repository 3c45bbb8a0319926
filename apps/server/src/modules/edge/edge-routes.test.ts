import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newUid } from '../../shared/ids.js';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import { listRecentVisitors } from '../visitors/index.js';
import { edgeSeed, type EdgeSeed } from './edge-test-seed.js';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let t: TestApp;
let project: TestProject;
let seed: EdgeSeed;

beforeEach(async () => {
  t = await createTestApp({ env: { TRUST_PROXY: 'loopback, 10.0.0.0/8' } });
  project = await createTestProject(t);
  seed = edgeSeed(t, project);
});
afterEach(async () => t.close());

function manifest(headers: Record<string, string> = {}, query = '') {
  return t.app.inject({ method: 'GET', url: `/edge/manifest${query}`, headers: { 'x-project-uid': project.uid, ...headers } });
}

function patch(visitor: string | undefined, payload: string) {
  return t.app.inject({
    method: 'PATCH',
    url: '/edge/user-attributes',
    headers: { 'x-project-uid': project.uid, 'content-type': 'text/plain;charset=UTF-8', ...(visitor ? { 'x-cs-personalize-user-uid': visitor } : {}) },
    payload,
  });
}

function postEvents(visitor: string | undefined, payload: string) {
  return t.app.inject({
    method: 'POST',
    url: '/edge/events',
    headers: { 'x-project-uid': project.uid, 'content-type': 'text/plain;charset=UTF-8', ...(visitor ? { 'x-cs-personalize-user-uid': visitor } : {}) },
    payload,
  });
}

async function storedEvents() {
  return t.db.kysely.selectFrom('edge_events').selectAll().where('project_uid', '=', project.uid).orderBy('received_at').execute();
}

describe('GET /edge/manifest', () => {
  it('issues a new visitor uid in the response header when none is sent', async () => {
    const response = await manifest();
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-cs-personalize-user-uid']).toMatch(UUID);
    expect(json(response)).toEqual({ experiences: [], activeVariants: {} });
  });

  it('echoes a usable visitor uid and replaces an unusable one', async () => {
    expect((await manifest({ 'x-cs-personalize-user-uid': 'visitor-1' })).headers['x-cs-personalize-user-uid']).toBe('visitor-1');
    for (const bad of ['has space', 'x'.repeat(129), 'null']) {
      const response = await manifest({ 'x-cs-personalize-user-uid': bad });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-cs-personalize-user-uid']).toMatch(UUID);
    }
  });

  it('answers 404 PROJECT_NOT_FOUND as JSON for unknown and malformed project uids', async () => {
    for (const uid of [newUid(), 'nope']) {
      const response = await t.app.inject({ method: 'GET', url: '/edge/manifest', headers: { 'x-project-uid': uid } });
      expect(response.statusCode).toBe(404);
      expect(json(response)).toEqual({ error: 'personalize.MANIFEST.PROJECT_NOT_FOUND', message: `Project not found: ${uid}` });
    }
  });

  it('refuses a request without x-project-uid', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/edge/manifest' });
    expect(response.statusCode).toBe(400);
    expect(json(response)).toEqual({ errors: { 'headers.x-project-uid': [expect.stringContaining('x-project-uid')] } });
  });

  it('refuses x-live-attributes that are not a JSON object, saying why', async () => {
    const cases: Array<[string, string]> = [
      ['plan=gold', 'not JSON'],
      ['["gold"]', 'an array'],
      ['"gold"', 'string'],
      [JSON.stringify({ plan: 'x'.repeat(9000) }), 'at most 8192 bytes'],
    ];
    for (const [value, reason] of cases) {
      const response = await manifest({ 'x-live-attributes': value });
      expect(response.statusCode).toBe(400);
      expect(json<{ errors: Record<string, string[]> }>(response).errors['headers.x-live-attributes']?.[0]).toContain(reason);
    }
  });

  it('refuses more than 10 tags', async () => {
    const query = `?${Array.from({ length: 11 }, (_, i) => `tags[]=t${i}`).join('&')}`;
    const response = await manifest({}, query);
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(json(response))).toContain('at most 10 tags');
  });

  it('answers despite a 20 KB user-agent and an x-forwarded-for that is not an IP', async () => {
    const response = await manifest({ 'user-agent': `${IPHONE} ${'x'.repeat(20_000)}`, 'x-forwarded-for': 'not-an-ip, 8.8.8.8' });
    expect(response.statusCode).toBe(200);
  });

  it('records the visitor with derived presets and attributes for the impact preview', async () => {
    await seed.attribute('plan');
    await manifest({
      'x-cs-personalize-user-uid': 'seen-1',
      'x-forwarded-for': '8.8.8.8, 10.0.0.1',
      'user-agent': IPHONE,
      referer: 'https://news.example/',
      'x-page-url': 'https://shop.example/?utm=x',
      'x-live-attributes': JSON.stringify({ plan: 'gold', notDefined: 1 }),
    });
    await t.app.services.recentVisitors.flush();
    const [seen] = await listRecentVisitors(t.db, project.uid, 10);
    expect(seen).toMatchObject({
      visitorUid: 'seen-1',
      lastSeenAt: '2026-11-29T12:00:00.000Z',
      presets: {
        COUNTRY: 'US',
        REGION: 'California',
        CITY: 'Mountain View',
        DEVICE_TYPE: 'MOBILE',
        OPERATING_SYSTEM: 'IOS',
        REFERRER: 'https://news.example/',
        PAGE_URL: 'https://shop.example/?utm=x',
      },
      attributes: { plan: 'gold' },
    });
  });

  it('gives loopback and private addresses no geo', async () => {
    await manifest({ 'x-cs-personalize-user-uid': 'local', 'x-forwarded-for': '192.168.1.4' });
    await manifest({ 'x-cs-personalize-user-uid': 'loop' });
    await t.app.services.recentVisitors.flush();
    const seen = await listRecentVisitors(t.db, project.uid, 10);
    expect(seen).toHaveLength(2);
    for (const v of seen) expect(Object.keys(v.presets).filter((k) => ['COUNTRY', 'REGION', 'CITY'].includes(k))).toEqual([]);
  });

  it('allows cross-origin calls with the SDK headers and exposes the visitor uid header', async () => {
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/edge/manifest',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-project-uid,x-live-attributes' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('X-CS-Personalize-User-Uid');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('PATCH');
    const response = await manifest({ origin: 'https://shop.example' });
    expect(response.headers['access-control-expose-headers']).toBe('X-CS-Personalize-User-Uid');
  });
});

describe('PATCH /edge/user-attributes', () => {
  beforeEach(async () => {
    await seed.attribute('plan');
    await seed.attribute('age');
  });

  it('merge-patches the profile and answers the SDK text', async () => {
    const first = await patch('v1', JSON.stringify({ plan: 'gold', age: 30 }));
    expect(first.statusCode).toBe(200);
    expect(first.body).toBe('User Attributes added successfully');
    await patch('v1', JSON.stringify({ age: null }));
    expect(await t.app.services.visitorProfiles.getAttributes(project.uid, 'v1')).toEqual({ plan: 'gold' });
  });

  it('refuses unknown keys, listing them, and stores nothing', async () => {
    const response = await patch('v1', JSON.stringify({ plan: 'gold', color: 'red', size: 2 }));
    expect(response.statusCode).toBe(400);
    expect(json<{ errors: Record<string, string[]> }>(response).errors.body?.[0]).toContain('color, size');
    expect(await t.app.services.visitorProfiles.getAttributes(project.uid, 'v1')).toEqual({});
  });

  it('refuses object and array values, arrays as the body, and malformed JSON', async () => {
    for (const body of [JSON.stringify({ plan: { tier: 'gold' } }), JSON.stringify({ plan: ['gold'] }), '["plan"]', '{"plan":']) {
      const response = await patch('v1', body);
      expect(response.statusCode).toBe(400);
      expect(Object.keys(json<{ errors: Record<string, string[]> }>(response).errors).length).toBeGreaterThan(0);
    }
  });

  it('refuses strings over 1 KB (400) and a 1 MB value (413)', async () => {
    const long = await patch('v1', JSON.stringify({ plan: 'x'.repeat(1025) }));
    expect(long.statusCode).toBe(400);
    expect(json<{ errors: Record<string, string[]> }>(long).errors.plan?.[0]).toContain('1024 bytes');
    const huge = await patch('v1', JSON.stringify({ plan: 'x'.repeat(1024 * 1024) }));
    expect(huge.statusCode).toBe(413);
    expect(json(huge)).toMatchObject({ error: 'personalize.REQUEST.BODY_TOO_LARGE' });
  });

  it('refuses more than 50 keys', async () => {
    const body = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    const response = await patch('v1', JSON.stringify(body));
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(json(response))).toContain('at most 50 attributes');
  });

  it('requires the visitor uid header and a known project', async () => {
    expect((await patch(undefined, '{"plan":"gold"}')).statusCode).toBe(400);
    expect((await patch('null', '{"plan":"gold"}')).statusCode).toBe(400);
    const unknown = await t.app.inject({
      method: 'PATCH',
      url: '/edge/user-attributes',
      headers: { 'x-project-uid': newUid(), 'x-cs-personalize-user-uid': 'v1' },
      payload: { plan: 'gold' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('feeds stored attributes into the next manifest for that visitor (recorded for the preview)', async () => {
    await patch('v2', JSON.stringify({ plan: 'gold' }));
    await manifest({ 'x-cs-personalize-user-uid': 'v2', 'x-live-attributes': '{"age":41}' });
    await t.app.services.recentVisitors.flush();
    const [seen] = await listRecentVisitors(t.db, project.uid, 1);
    expect(seen?.attributes).toEqual({ plan: 'gold', age: 41 });
  });
});

describe('POST /edge/user-attributes/actions/merge', () => {
  function merge(payload: unknown) {
    return t.app.inject({ method: 'POST', url: '/edge/user-attributes/actions/merge', headers: { 'x-project-uid': project.uid }, payload: payload as Record<string, unknown> });
  }

  it('merges source into target with the source winning, and treats self-merge as a no-op', async () => {
    await seed.attribute('plan');
    await seed.attribute('age');
    await patch('anon', JSON.stringify({ plan: 'gold' }));
    await patch('known', JSON.stringify({ plan: 'silver', age: 50 }));
    const response = await merge({ sourceUserUid: 'anon', targetUserUid: 'known' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('User Attributes merged successfully');
    expect(await t.app.services.visitorProfiles.getAttributes(project.uid, 'known')).toEqual({ plan: 'gold', age: 50 });
    expect((await merge({ sourceUserUid: 'known', targetUserUid: 'known' })).statusCode).toBe(200);
    expect(await t.app.services.visitorProfiles.getAttributes(project.uid, 'known')).toEqual({ plan: 'gold', age: 50 });
  });

  it('refuses a body without both uids', async () => {
    const response = await merge({ sourceUserUid: 'anon' });
    expect(response.statusCode).toBe(400);
    expect(json<{ errors: Record<string, string[]> }>(response).errors).toHaveProperty('targetUserUid');
  });
});

describe('POST /edge/events', () => {
  it('stores known conversion events durably before answering', async () => {
    const eventUid = await seed.event('clickCTA');
    const response = await postEvents('v1', JSON.stringify([{ type: 'EVENT', eventKey: 'clickCTA' }]));
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ accepted: 1, rejected: [] });
    const [row] = await storedEvents();
    expect(row).toMatchObject({ type: 'EVENT', visitor_uid: 'v1', event_uid: eventUid, event_key: 'clickCTA', experience_uid: null });
  });

  it('stores the valid items of a partly invalid batch and lists the rest in a 400', async () => {
    await seed.event('clickCTA');
    const batch = [
      { type: 'EVENT', eventKey: 'clickCTA' },
      { type: 'EVENT', eventKey: 'nope' },
      { type: 'IMPRESSION', experienceShortUid: 'zz', variantShortUid: '0' },
    ];
    const response = await postEvents('v1', JSON.stringify(batch));
    expect(response.statusCode).toBe(400);
    expect(json(response)).toEqual({
      error: 'personalize.EVENTS.PARTIALLY_REJECTED',
      message: '2 of 3 events were rejected; the other 1 were stored.',
      accepted: 1,
      rejected: [
        { index: 1, reason: 'Unknown event key: nope' },
        { index: 2, reason: 'Unknown experience: zz' },
      ],
    });
    expect(await storedEvents()).toHaveLength(1);
  });

  it('accepts an event key as soon as it is defined and refuses it once renamed', async () => {
    const refused = await postEvents('v1', JSON.stringify([{ type: 'EVENT', eventKey: 'signup' }]));
    expect(refused.statusCode).toBe(400);
    const uid = await seed.event('signup');
    expect((await postEvents('v1', JSON.stringify([{ type: 'EVENT', eventKey: 'signup' }]))).statusCode).toBe(200);
    const renamed = await t.app.inject({ method: 'PUT', url: `/api/events/${uid}`, headers: project.headersFor(t.owner), payload: { key: 'register' } });
    expect(renamed.statusCode).toBe(200);
    expect(json(await postEvents('v1', JSON.stringify([{ type: 'EVENT', eventKey: 'signup' }, { type: 'EVENT', eventKey: 'register' }])))).toMatchObject({
      accepted: 1,
      rejected: [{ index: 0, reason: 'Unknown event key: signup' }],
    });
    expect((await storedEvents()).map((r) => r.event_key).sort()).toEqual(['register', 'signup']);
  });

  it('refuses a malformed batch whole, storing nothing', async () => {
    await seed.event('clickCTA');
    const bodies = [
      JSON.stringify({ type: 'EVENT', eventKey: 'clickCTA' }),
      JSON.stringify([{ type: 'EVENT', eventKey: 'clickCTA' }, { type: 'CLICK' }]),
      JSON.stringify(Array.from({ length: 101 }, () => ({ type: 'EVENT', eventKey: 'clickCTA' }))),
      '[{"type":"EVENT",',
    ];
    for (const body of bodies) expect((await postEvents('v1', body)).statusCode).toBe(400);
    expect(await storedEvents()).toHaveLength(0);
  });

  it('refuses a 10,000-item batch as too large', async () => {
    const body = JSON.stringify(Array.from({ length: 10_000 }, () => ({ type: 'EVENT', eventKey: 'clickCTA' })));
    const response = await postEvents('v1', body);
    expect(response.statusCode).toBe(413);
    expect(await storedEvents()).toHaveLength(0);
  });

  it('requires the visitor uid header', async () => {
    await seed.event('clickCTA');
    const response = await postEvents(undefined, JSON.stringify([{ type: 'EVENT', eventKey: 'clickCTA' }]));
    expect(response.statusCode).toBe(400);
    expect(json<{ errors: Record<string, string[]> }>(response).errors).toHaveProperty(['headers.x-cs-personalize-user-uid']);
  });

  it('answers 404 for an unknown project', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/edge/events',
      headers: { 'x-project-uid': newUid(), 'x-cs-personalize-user-uid': 'v1' },
      payload: '[]',
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('GET /edge/openapi', () => {
  it('documents the four edge endpoints and the partial-batch answer', async () => {
    const doc = json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(
      await t.app.inject({ method: 'GET', url: '/edge/openapi' }),
    );
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/manifest', '/user-attributes', '/user-attributes/actions/merge', '/events']));
    expect(JSON.stringify(doc.paths['/events'])).toContain('PARTIALLY_REJECTED');
  });
});
