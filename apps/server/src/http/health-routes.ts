import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.js';
import { describeDatabaseFailure } from '../db/database-unavailable.js';
import { pendingMigrations } from '../db/migrator.js';

/**
 * Shorter than the pool's connection timeout and than the container's health check (4 s): a
 * blackholed database must turn into an answer that says so, not into a probe that times out.
 */
const READINESS_TIMEOUT_MS = 3000;

class ReadinessTimeout extends Error {}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadinessTimeout()), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export function registerHealthRoutes(app: FastifyInstance, db: Db): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    let pending: string[];
    try {
      pending = await within(
        READINESS_TIMEOUT_MS,
        (async () => {
          await sql`select 1`.execute(db.kysely);
          return pendingMigrations(db);
        })(),
      );
    } catch (error) {
      const reason = error instanceof ReadinessTimeout ? `no answer within ${READINESS_TIMEOUT_MS / 1000} s` : describeDatabaseFailure(error);
      return reply.status(503).send({ status: 'database unreachable', checks: { database: { ok: false, error: reason } } });
    }
    if (pending.length > 0) {
      return reply.status(503).send({ status: 'migrations pending', pending, checks: { database: { ok: true }, migrations: { ok: false } } });
    }
    return { status: 'ready', database: db.dialect, checks: { database: { ok: true }, migrations: { ok: true } } };
  });
}
