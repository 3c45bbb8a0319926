import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLimitStore } from '../limits/limit-store.js';
import type { Actor } from '../modules/identity/index.js';
import { createTestApp, type TestApp } from '../test/test-app.js';
import { registerErrorHandler } from './error-handler.js';
import { managementRateLimit } from './management-rate-limit.js';

/** The limiter alone, on a clock the test moves; `x-org` stands in for the authenticated caller. */
async function limitedApp(perSecond: number, now: () => number, storeNow: () => number = now) {
  const app = Fastify();
  registerErrorHandler(app);
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const org = request.headers['x-org'];
    if (typeof org === 'string') request.actor = { orgUid: org } as Actor;
  });
  managementRateLimit(perSecond, createMemoryLimitStore({ now: storeNow }), now)(app);
  app.get('/x', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('the Management API rate limit', () => {
  let t: TestApp | undefined;
  afterEach(async () => t?.close());

  it('answers 429 with Retry-After past the limit within one second, per organization', async () => {
    let clock = 5_000;
    const app = await limitedApp(3, () => clock);
    const call = (org?: string) => app.inject({ method: 'GET', url: '/x', headers: org === undefined ? {} : { 'x-org': org } });
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await call('a')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await call('a');
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json()).toMatchObject({ error: 'personalize.RATE_LIMITED' });
    // Another organization, and callers no one authenticated, are not held to org a's count.
    expect((await call('b')).statusCode).toBe(200);
    expect((await call()).statusCode).toBe(200);
    clock += 1000;
    const next = await call('a');
    expect(next.statusCode).toBe(200);
    expect(next.headers).toMatchObject({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2' });
    await app.close();
  });

  it('starts a new window every wall-clock second even when the store\'s clock stands still (the test apps\' fixed clock)', async () => {
    let clock = 7_000;
    const app = await limitedApp(2, () => clock, () => 0);
    const call = () => app.inject({ method: 'GET', url: '/x', headers: { 'x-org': 'a' } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call()).statusCode);
    clock += 1000;
    statuses.push((await call()).statusCode);
    expect(statuses).toEqual([200, 200, 429, 200]);
    await app.close();
  });

  it('guards the Management API with MANAGEMENT_RATE_LIMIT, and is off with 0', async () => {
    t = await createTestApp({ env: { MANAGEMENT_RATE_LIMIT: '1000' } });
    const api = await t.app.inject({ method: 'GET', url: '/api/projects', headers: t.owner.headers });
    expect(api.headers['x-ratelimit-limit']).toBe('1000');
    await t.close();

    t = await createTestApp({ env: { MANAGEMENT_RATE_LIMIT: '0' } });
    const calls = await Promise.all(Array.from({ length: 30 }, () => t!.app.inject({ method: 'GET', url: '/api/projects', headers: t!.owner.headers })));
    expect(calls.every((c) => c.statusCode === 200)).toBe(true);
    expect(calls[0]?.headers['x-ratelimit-limit']).toBeUndefined();
  });
});
