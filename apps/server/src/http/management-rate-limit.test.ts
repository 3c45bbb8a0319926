import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../test/test-app.js';

describe('the Management API rate limit', () => {
  let t: TestApp;
  afterEach(async () => t.close());

  it('answers 429 with Retry-After past MANAGEMENT_RATE_LIMIT requests a second per organization', async () => {
    t = await createTestApp({ env: { MANAGEMENT_RATE_LIMIT: '5' } });
    const member = await t.createUser('MEMBER');
    // Wait for the start of a second so that all calls fall into one window.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
    const calls = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.app.inject({ method: 'GET', url: '/api/projects', headers: (i % 2 === 0 ? t.owner : member).headers })),
    );
    const statuses = calls.map((c) => c.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const limited = calls.find((c) => c.statusCode === 429);
    expect(limited?.headers['retry-after']).toBe('1');
    expect(json(limited ?? calls[0]!)).toMatchObject({ error: 'personalize.RATE_LIMITED' });
    expect(calls.find((c) => c.statusCode === 200)?.headers['x-ratelimit-limit']).toBe('5');

    // Unauthenticated calls are left to their own limits.
    expect((await t.app.inject({ method: 'GET', url: '/api/projects' })).statusCode).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await t.app.inject({ method: 'GET', url: '/api/projects', headers: t.owner.headers })).statusCode).toBe(200);
  });

  it('is off with MANAGEMENT_RATE_LIMIT=0', async () => {
    t = await createTestApp({ env: { MANAGEMENT_RATE_LIMIT: '0' } });
    const calls = await Promise.all(Array.from({ length: 30 }, () => t.app.inject({ method: 'GET', url: '/api/projects', headers: t.owner.headers })));
    expect(calls.every((c) => c.statusCode === 200)).toBe(true);
    expect(calls[0]?.headers['x-ratelimit-limit']).toBeUndefined();
  });
});
