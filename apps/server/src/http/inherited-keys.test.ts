import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newUid } from '../shared/ids.js';
import { createTestApp, json, type TestApp } from '../test/test-app.js';
import { experienceClient } from '../test/test-experiences.js';
import { createTestProject, type TestProject } from '../test/test-project.js';
import { edgeSeed, equalsRule } from '../modules/edge/edge-test-seed.js';

// Keys a plain object already has (or, for __proto__, cannot hold as data): wherever input keys
// meet a `{}`, these are where lookups and assignments go wrong.
const INHERITED = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const PROTO = '__proto__';
// What a JavaScript failure leaks into a body: its message or a stack frame.
const LEAKED_ERROR = /is not a function|is not iterable|Cannot (read|set|convert|create)|TypeError|RangeError|\bat .+:\d+:\d+/;

function expectPrototypesIntact(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
}

/** No 5xx, no JavaScript error text, and a 4xx in one of the two error shapes of docs/api-conventions.md, "Errors". */
function expectClean(response: LightMyRequestResponse, what: string): void {
  expect(response.statusCode, `${what} → ${response.body}`).toBeLessThan(500);
  expect(response.body, what).not.toMatch(LEAKED_ERROR);
  if (response.statusCode >= 400 && response.statusCode !== 404 && response.headers['content-type']?.includes('json')) {
    const body = json(response);
    const shaped = typeof body.errors === 'object' ? Object.values(body.errors as object).every((m) => Array.isArray(m)) : typeof body.error === 'string' && typeof body.message === 'string';
    expect(shaped, `${what} → ${response.body}`).toBe(true);
  }
  expectPrototypesIntact();
}

let t: TestApp;
let project: TestProject;
beforeEach(async () => {
  t = await createTestApp();
  project = await createTestProject(t, { name: 'Keys' });
});
afterEach(async () => {
  expectPrototypesIntact();
  await t.close();
});

const edgeHeaders = () => ({ 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': 'visitor-1', 'content-type': 'text/plain;charset=UTF-8' });
const patchAttributes = (payload: string) => t.app.inject({ method: 'PATCH', url: '/edge/user-attributes', headers: edgeHeaders(), payload });

describe('input keys that plain objects inherit', () => {
  it('answers a clean 400 naming an inherited key whose value is invalid (the error map has no prototype)', async () => {
    for (const key of INHERITED) {
      const res = await patchAttributes(JSON.stringify({ [key]: [1] }));
      expectClean(res, key);
      expect(res.statusCode).toBe(400);
      expect(Object.keys(json<{ errors: object }>(res).errors)).toEqual([key]);
    }
  });

  it('stores inherited names as attribute keys when the project defines them, and decides by them', async () => {
    const seed = edgeSeed(t, project);
    const uids = new Map<string, string>();
    for (const key of INHERITED) uids.set(key, await seed.attribute(key));
    const audience = await seed.audience('Constructors', equalsRule(uids.get('constructor') ?? '', 'gold'));
    const shortUid = await seed.segmented('By constructor', [{ name: 'Gold', audiences: [audience] }]);
    const res = await patchAttributes(JSON.stringify({ constructor: 'gold', toString: 'x', hasOwnProperty: 'y', valueOf: 1 }));
    expectClean(res, 'patch');
    expect(res.statusCode).toBe(200);
    const profile = await t.app.services.visitorProfiles.getAttributes(project.uid, 'visitor-1');
    expect(profile).toEqual({ constructor: 'gold', toString: 'x', hasOwnProperty: 'y', valueOf: 1 });
    const manifest = await t.app.inject({ method: 'GET', url: '/edge/manifest', headers: { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': 'visitor-1' } });
    expect(json<{ activeVariants: Record<string, string | null> }>(manifest).activeVariants[shortUid]).toBe('0');
    const stranger = await t.app.inject({ method: 'GET', url: '/edge/manifest', headers: { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': 'visitor-2' } });
    expect(json<{ activeVariants: Record<string, string | null> }>(stranger).activeVariants[shortUid]).toBeNull();
  });

  it('lists inherited names as unknown attribute keys when the project does not define them', async () => {
    const res = await patchAttributes(JSON.stringify(Object.fromEntries(INHERITED.map((k) => [k, 'x']))));
    expectClean(res, 'patch');
    expect(json(res)).toEqual({ errors: { body: [`Unknown attribute keys (define them as custom attributes first): ${INHERITED.join(', ')}.`] } });
  });

  it('takes inherited names in x-live-attributes as data', async () => {
    const seed = edgeSeed(t, project);
    const audience = await seed.audience('Live', equalsRule(await seed.attribute('toString'), 'now'));
    const shortUid = await seed.segmented('By live toString', [{ name: 'Now', audiences: [audience] }]);
    const res = await t.app.inject({
      method: 'GET',
      url: '/edge/manifest',
      headers: { 'x-project-uid': project.uid, 'x-live-attributes': JSON.stringify({ toString: 'now', constructor: 'x', hasOwnProperty: 1 }) },
    });
    expectClean(res, 'manifest');
    expect(json<{ activeVariants: Record<string, string | null> }>(res).activeVariants[shortUid]).toBe('0');
  });

  it('keeps inherited names inside a variant payload as data', async () => {
    const api = experienceClient(t, project);
    const exp = await api.create({ name: 'Payload', __type: 'SEGMENTED' });
    const audience = await edgeSeed(t, project).audience('Everyone in US', equalsRule(await edgeSeed(t, project).attribute('plan'), 'x'));
    const payload = { constructor: { prototype: { polluted: true } }, toString: 'x', hasOwnProperty: [1], valueOf: null };
    const res = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: [{ name: 'A', audiences: [audience], audienceCombinationType: 'OR', payload }] });
    expectClean(res, 'put version');
    expect(res.statusCode).toBe(200);
    expect(json<{ variants: Array<{ payload: unknown }> }>(res).variants[0]?.payload).toEqual(payload);
  });
});

describe('the key __proto__', () => {
  it('is refused with a 400 naming where it was, in bodies and in x-live-attributes, and pollutes nothing', async () => {
    await edgeSeed(t, project).attribute('plan');
    const message = 'expected a key other than "__proto__", received it';
    const patch = await patchAttributes('{"__proto__":{"polluted":true},"plan":"gold"}');
    expectClean(patch, 'patch');
    expect(json(patch)).toEqual({ errors: { body: [message] } });
    // JSON may spell it with escapes; it is the same key once parsed.
    const escaped = await patchAttributes('{"\\u005f_proto__":{"polluted":true}}');
    expect(json(escaped)).toEqual({ errors: { body: [message] } });
    const nested = await t.app.inject({ method: 'POST', url: '/api/projects', headers: t.owner.headers, payload: '{"name":"P","extra":{"__proto__":{"polluted":true}}}' });
    expect(json(nested)).toEqual({ errors: { extra: [message] } });
    const live = await t.app.inject({ method: 'GET', url: '/edge/manifest', headers: { 'x-project-uid': project.uid, 'x-live-attributes': '{"__proto__":{"polluted":true}}' } });
    expect(json(live)).toEqual({ errors: { 'headers.x-live-attributes': [message] } });
    const query = await t.app.inject({ method: 'GET', url: '/api/projects?__proto__=1', headers: t.owner.headers });
    expectClean(query, 'query');
    expect(json(query)).toEqual({ errors: { querystring: [message] } });
    expect(await t.db.kysely.selectFrom('visitor_profiles').selectAll().execute()).toEqual([]);
  });
});

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

async function operations(prefix: '/api' | '/edge'): Promise<Array<{ method: string; path: string }>> {
  const doc = json<OpenApiDocument>(await t.app.inject({ method: 'GET', url: `${prefix}/openapi` }));
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => ({ method: method.toUpperCase(), path: `${prefix}${path}` })));
}

// The Contentstack CLI's few CMA calls (ADR 0062) are not in an OpenAPI document.
const CMA_STUB = [
  { method: 'POST', path: '/v3/user-session' },
  { method: 'GET', path: '/v3/stacks' },
  { method: 'GET', path: '/v3/locales' },
  { method: 'GET', path: '/v3/variant_groups' },
  { method: 'PUT', path: '/v3/variant_groups/{uid}' },
];

describe('every endpoint', () => {
  it('answers inherited and __proto__ keys in bodies, query strings and path parameters without a 5xx, leaked error or pollution', { timeout: 120_000 }, async () => {
    const all = [...(await operations('/api')), ...(await operations('/edge')), ...CMA_STUB];
    expect(all.length).toBeGreaterThan(40);
    const inherited = Object.fromEntries(INHERITED.map((k) => [k, { prototype: { polluted: true }, [k]: 'x' }]));
    const bodies = [JSON.stringify(inherited), JSON.stringify({ definition: inherited, variants: [inherited], limits: inherited, attributes: [inherited] }), '{"__proto__":{"polluted":true}}'];
    const query = `?${INHERITED.map((k) => `${k}=x`).join('&')}`;
    const headers = { ...project.headersFor(t.owner), ...edgeHeaders(), 'content-type': 'application/json', 'x-live-attributes': JSON.stringify(inherited) };
    for (const { method, path } of all) {
      for (const param of [newUid(), project.uid, ...INHERITED, PROTO]) {
        const url = path.replace(/\{[^}]+\}/g, encodeURIComponent(param));
        for (const payload of method === 'GET' || method === 'DELETE' ? [undefined] : bodies) {
          const what = `${method} ${url} ${payload ?? ''}`;
          expectClean(await t.app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) }), what);
          expectClean(await t.app.inject({ method: method as 'GET', url: `${url}${query}`, headers, ...(payload === undefined ? {} : { payload }) }), `${what} ${query}`);
        }
      }
    }
  });
});
