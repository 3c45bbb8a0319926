import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createTestDb } from '../test/test-db.js';

/**
 * main.ts shuts down with `app.close()` then `db.close()`. This checks the property that order
 * relies on: closing waits for in-flight requests (which may still use the database), refuses
 * new ones, and only then is the database closed.
 */
describe('graceful shutdown', () => {
  it('finishes an in-flight request before the database closes, and refuses new connections', async () => {
    const db = await createTestDb();
    const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db, logger: false, webDist: '/nonexistent' });
    const events: string[] = [];
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    app.get('/test/slow', async () => {
      started();
      await delay(300);
      // Fails if the database was closed under the request.
      const row = await sql<{ one: number }>`select 1 as one`.execute(db.kysely);
      events.push('request done');
      return { one: Number(row.rows[0]?.one) };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;

    const inFlight = fetch(`http://127.0.0.1:${port}/test/slow`);
    await handlerStarted;
    const closing = (async () => {
      await app.close();
      events.push('app closed');
      await db.close();
      events.push('db closed');
    })();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ one: 1 });
    await closing;
    expect(events).toEqual(['request done', 'app closed', 'db closed']);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    await expect(sql`select 1`.execute(db.kysely)).rejects.toThrow();
  });
});
