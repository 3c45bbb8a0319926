import { buildApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { createDb } from './db/create-db.js';
import { migrateToLatest } from './db/migrator.js';

/**
 * config → db → migrate → bootstrap → listen → graceful shutdown. Returns once listening; the
 * process ends on SIGTERM/SIGINT after in-flight requests finish and the database is closed.
 */
export async function serve(config: Config = loadConfig()): Promise<void> {
  const db = createDb(config.database);
  await migrateToLatest(db);
  const app = await buildApp({ config, db });
  const { createdOwner } = await app.services.identity.bootstrap(config.admin);
  if (createdOwner) app.log.info({ email: config.admin?.email }, 'created the organization owner from TAILOR_ADMIN_EMAIL');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await app.close();
      await db.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { database: config.database.kind, dataDir: config.dataDir },
    `Tailor is serving the console at ${config.publicUrl?.toString() ?? `http://${config.host}:${config.port}/`}`,
  );
}
