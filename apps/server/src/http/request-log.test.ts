import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import { createSqliteDb, type Db } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrator.js';

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  url?: string;
  route?: string | null;
  status?: number;
  ms?: number;
}

describe('request log lines', () => {
  let app: App | undefined;
  let db: Db | undefined;
  afterEach(async () => {
    await app?.close();
    await db?.close();
  });

  async function start(env: Record<string, string>): Promise<{ app: App; lines: () => Line[] }> {
    const written: string[] = [];
    db = createSqliteDb(':memory:');
    await migrateToLatest(db);
    app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'info', ...env }),
      db,
      logger: { write: (line) => void written.push(line) },
      webDist: '/nonexistent',
    });
    app.get('/slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 600));
      return { ok: true };
    });
    return { app, lines: () => written.map((l) => JSON.parse(l) as Line).filter((l) => l.status !== undefined) };
  }

  it('by default logs failed and slow requests only, one line each', async () => {
    // Well above what a loaded CI machine takes for the quick calls.
    const { app, lines } = await start({ SLOW_REQUEST_MS: '500' });
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({ method: 'GET', url: '/readyz' });
    await app.inject({ method: 'GET', url: '/api/projects' });
    await app.inject({ method: 'GET', url: '/slow' });
    const logged = lines();
    expect(logged.map((l) => [l.msg, l.url, l.status])).toEqual([
      ['request', '/api/projects', 401],
      ['slow request', '/slow', 200],
    ]);
    expect(logged[0]).toMatchObject({ level: 30, route: '/api/projects', reqId: expect.any(String) });
    expect(logged[1]?.level).toBe(40);
    expect(logged[1]?.ms).toBeGreaterThanOrEqual(500);
  });

  it('logs every request with REQUEST_LOG=all and none with off', async () => {
    const all = await start({ REQUEST_LOG: 'all' });
    await all.app.inject({ method: 'GET', url: '/healthz' });
    await all.app.inject({ method: 'GET', url: '/nope' });
    expect(all.lines().map((l) => [l.url, l.status, l.route])).toEqual([
      ['/healthz', 200, '/healthz'],
      ['/nope', 404, null],
    ]);
    await app?.close();
    await db?.close();

    const off = await start({ REQUEST_LOG: 'off', SLOW_REQUEST_MS: '1' });
    await off.app.inject({ method: 'GET', url: '/api/projects' });
    await off.app.inject({ method: 'GET', url: '/slow' });
    expect(off.lines()).toEqual([]);
  });
});
