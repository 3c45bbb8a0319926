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
    expect(pending.json()).toMatchObject({ status: 'migrations pending' });
    if (!db) throw new Error('no db');
    await migrateToLatest(db);
    const ready = await server.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: 'sqlite' });
  });

  it('answers /readyz 503 when the database is unreachable', async () => {
    const server = await start(true);
    await db?.close();
    db = undefined;
    const res = await server.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
  });
});
