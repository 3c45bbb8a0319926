import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.js';
import { pendingMigrations } from '../db/migrator.js';

export function registerHealthRoutes(app: FastifyInstance, db: Db): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db.kysely);
      const pending = await pendingMigrations(db);
      if (pending.length > 0) return reply.status(503).send({ status: 'migrations pending', pending });
      return { status: 'ready', database: db.dialect };
    } catch {
      return reply.status(503).send({ status: 'database unreachable' });
    }
  });
}
