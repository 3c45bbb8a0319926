import path from 'node:path';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createSqliteDb } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrator.js';
import { fixedClock } from '../shared/clock.js';
import type { TestApp, TestUser } from './test-app.js';

/**
 * Like createTestApp, but over `DATA_DIR/tailor.db` on disk, opened as the server opens it (WAL),
 * for tests where another connection or process reads the same file: backups, restores. Over an
 * existing database it logs in as its owner@example.com. `env` adds configuration variables.
 */
export async function createFileTestApp(dataDir: string, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const db = createSqliteDb(path.join(config.dataDir, 'tailor.db'));
  await migrateToLatest(db);
  const clock = fixedClock(new Date('2026-11-29T12:00:00.000Z'));
  const app = await buildApp({ config, db, clock, logger: false, webDist: '/nonexistent' });
  await app.ready();
  // The rollup loop creates its cursor row on its first run; do it now, so that the only writes
  // after this are the test's own.
  await app.services.analytics.catchUp();
  let counter = 0;
  async function createUser(orgRole: 'OWNER' | 'ADMIN' | 'MEMBER' = 'MEMBER', email?: string): Promise<TestUser> {
    counter += 1;
    const user = await app.services.identity.createUser({
      email: email ?? `file-user${counter}-${orgRole.toLowerCase()}@example.com`,
      password: 'correct horse battery',
      firstName: `User${counter}`,
      lastName: orgRole,
      orgRole,
    });
    const session = await app.services.identity.openSession(user);
    return { uid: user.uid, email: user.email, token: session.token, headers: { authtoken: session.token } };
  }
  const existing = await app.services.identity.findUserByEmail('owner@example.com');
  const owner = existing
    ? { uid: existing.uid, email: existing.email, token: '', headers: { authtoken: (await app.services.identity.openSession(existing)).token } }
    : await createUser('OWNER', 'owner@example.com');
  return {
    app,
    db,
    clock,
    owner,
    createUser,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
