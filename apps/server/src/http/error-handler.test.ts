import Fastify from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE } from '../db/database-unavailable.js';
import { UnavailableError } from '../shared/errors.js';
import { createTestApp } from '../test/test-app.js';
import { registerErrorHandler } from './error-handler.js';

describe('error handler', () => {
  it('answers an UnavailableError with 503, its code and a Retry-After header', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandler(app);
    app.get('/busy', async () => {
      throw new UnavailableError('personalize.EVENTS.OVERLOADED', 'Too many events are waiting to be stored; retry in 2 s.', 2);
    });
    const response = await app.inject({ method: 'GET', url: '/busy' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.json()).toEqual({ error: 'personalize.EVENTS.OVERLOADED', message: 'Too many events are waiting to be stored; retry in 2 s.' });
    await app.close();
  });

  it('answers a database connection failure with 503 and Retry-After, logging one warning without a stack', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const app = Fastify({ logger: { level: 'info', stream: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } } });
    registerErrorHandler(app);
    app.get('/down', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' });
    });
    const response = await app.inject({ method: 'GET', url: '/down' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    expect(response.json()).toEqual({
      error: DATABASE_UNAVAILABLE,
      message: `The database cannot be reached at the moment (connection refused); retry in ${DATABASE_RETRY_AFTER_SECONDS} s.`,
    });
    expect(response.body).not.toContain('10.1.2.3');
    const logged = lines.filter((line) => (line.level as number) >= 40);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 40, code: DATABASE_UNAVAILABLE });
    expect(JSON.stringify(logged[0])).not.toContain('stack');
    await app.close();
  });

  it("leaves a client's own connection error (an aborted upload) to its status, not to the database", async () => {
    const app = Fastify({ logger: false });
    registerErrorHandler(app);
    app.get('/aborted', async () => {
      throw Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
    });
    const response = await app.inject({ method: 'GET', url: '/aborted' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'personalize.BAD_REQUEST', message: 'aborted' });
    await app.close();
  });
});

describe('a Management API request while the database is unreachable', () => {
  it('gets 503 with the code and Retry-After from the one error handler, and succeeds once it is back', async () => {
    let down = false;
    const outage: KyselyPlugin = {
      transformQuery(args) {
        if (down) throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const t = await createTestApp({ kyselyPlugins: [outage] });
    try {
      down = true;
      const refused = await t.app.inject({ method: 'GET', url: '/api/projects', headers: t.owner.headers });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
      expect(refused.json()).toEqual({ error: DATABASE_UNAVAILABLE, message: expect.stringContaining('server shutting down') as unknown });
      down = false;
      const served = await t.app.inject({ method: 'GET', url: '/api/projects', headers: t.owner.headers });
      expect(served.statusCode).toBe(200);
    } finally {
      down = false;
      await t.close();
    }
  });
});
