import type { KyselyPlugin } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import { createSqliteDb, type Db } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrator.js';

describe('health routes', () => {
  let app: App | undefined;
  let db: Db | undefined;
  afterEach(async () => {
    await app?.close();
    await db?.close();
  });

  async function start(migrated: boolean): Promise<App> {
    db = createSqliteDb(':memory:');
    if (migrated) await migrateToLatest(db);
    app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db, logger: false, webDist: '/nonexistent' });
    return app;
  }

  it('answers /healthz even before migrations', async () => {
    const res = await (await start(false)).inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
  });

  it('answers /readyz 503 while migrations are pending, 200 once applied', async () => {
    const server = await start(false);
    const pending = await server.inject({ method: 'GET', url: '/readyz' });
    expect(pending.statusCode).toBe(503);
    expect(pending.json()).toMatchObject({ status: 'migrations pending', checks: { database: { ok: true }, migrations: { ok: false } } });
    if (!db) throw new Error('no db');
    await migrateToLatest(db);
    const ready = await server.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: 'sqlite', checks: { database: { ok: true }, migrations: { ok: true } } });
  });

  it('answers /readyz 503 when the database is unreachable', async () => {
    const server = await start(true);
    await db?.close();
    db = undefined;
    const res = await server.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'database unreachable', checks: { database: { ok: false, error: 'query failed' } } });
  });

  it('says why the database is not ok, in its own words rather than the driver\'s', async () => {
    db = createSqliteDb(':memory:');
    await migrateToLatest(db);
    let down = true;
    const refusing: KyselyPlugin = {
      transformQuery(args) {
        if (down) throw Object.assign(new Error('connect ECONNREFUSED 10.9.8.7:5432 (postgres://tailor:secret@db)'), { code: 'ECONNREFUSED' });
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db: { ...db, kysely: db.kysely.withPlugin(refusing) }, logger: false, webDist: '/nonexistent' });
    const refused = await app.inject({ method: 'GET', url: '/readyz' });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toEqual({ status: 'database unreachable', checks: { database: { ok: false, error: 'connection refused' } } });
    expect(refused.body).not.toMatch(/secret|10\.9\.8\.7/);
    down = false;
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    // Liveness never depends on the database.
    down = true;
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
