import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import { createSqliteDb, type Db } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrator.js';

describe('API reference pages', () => {
  let app: App | undefined;
  let db: Db | undefined;
  afterEach(async () => {
    await app?.close();
    await db?.close();
  });

  it.each(['/api/docs/', '/edge/docs/'])('%s serves Swagger UI with a policy that lets its inline style apply', async (url) => {
    db = createSqliteDb(':memory:');
    await migrateToLatest(db);
    app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db, logger: false, webDist: '/nonexistent' });
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/style-src [^;]*'unsafe-inline'/);
    // Scripts stay locked down: no inline script without its hash.
    expect(csp).not.toMatch(/script-src [^;]*'unsafe-inline'/);
  });
});
