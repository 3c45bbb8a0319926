import type { LightMyRequestResponse } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import type { Db } from '../db/create-db.js';
import { fixedClock } from '../shared/clock.js';
import { createTestDb } from './test-db.js';

export interface TestUser {
  uid: string;
  email: string;
  token: string;
  /** Headers that authenticate as this user (token auth, no CSRF needed). */
  headers: Record<string, string>;
}

export interface TestApp {
  app: App;
  db: Db;
  clock: ReturnType<typeof fixedClock>;
  /** The organization owner created at start. */
  owner: TestUser;
  /** Creates a user with the given org role and logs them in. */
  createUser(orgRole?: 'OWNER' | 'ADMIN' | 'MEMBER', email?: string): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * buildApp over a private database with a fixed clock and a logged-in org owner. `kyselyPlugins`
 * see every query the app makes (tests of concurrent transactions use one to hold a query back);
 * `env` adds configuration variables (e.g. TRUST_PROXY).
 */
export async function createTestApp(options: { kyselyPlugins?: readonly KyselyPlugin[]; env?: Record<string, string> } = {}): Promise<TestApp> {
  const created = await createTestDb();
  const db = (options.kyselyPlugins ?? []).reduce<Db>((wrapped, plugin) => ({ ...wrapped, kysely: wrapped.kysely.withPlugin(plugin) }), created);
  const clock = fixedClock(new Date('2026-11-29T12:00:00.000Z'));
  // Suites make hundreds of calls a second; the rate limit's own test turns it on.
  const config = loadConfig({ DATA_DIR: '/tmp/tailor-test-unused', LOG_LEVEL: 'silent', MANAGEMENT_RATE_LIMIT: '0', ...options.env });
  const app = await buildApp({ config, db, clock, logger: false, webDist: '/nonexistent' });
  await app.ready();

  async function createUser(orgRole: 'OWNER' | 'ADMIN' | 'MEMBER' = 'MEMBER', email?: string): Promise<TestUser> {
    counter += 1;
    const address = email ?? `user${counter}-${orgRole.toLowerCase()}@example.com`;
    const user = await app.services.identity.createUser({
      email: address,
      password: 'correct horse battery',
      firstName: `User${counter}`,
      lastName: orgRole,
      orgRole,
    });
    const session = await app.services.identity.openSession(user);
    return { uid: user.uid, email: user.email, token: session.token, headers: { authtoken: session.token } };
  }

  const owner = await createUser('OWNER', 'owner@example.com');
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

/** Parses a JSON response body, failing loudly when it is not JSON. */
export function json<T = Record<string, unknown>>(response: LightMyRequestResponse): T {
  return JSON.parse(response.body) as T;
}
