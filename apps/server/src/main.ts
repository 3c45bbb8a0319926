import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { buildApp } from './app.js';
import { requestClusterMetrics } from './cluster/cluster-metrics.js';
import { createIpcChangeChannel } from './cluster/ipc-change-channel.js';
import { servePrimary } from './cluster/primary.js';
import { loadConfig, type Config } from './config.js';
import { createDb, type Db } from './db/create-db.js';
import { migrateToLatest } from './db/migrator.js';

/**
 * config → db → migrate → bootstrap → listen → graceful shutdown. Returns once listening; the
 * process ends on SIGTERM/SIGINT after in-flight requests finish and the database is closed.
 * With more than one worker this process becomes the primary, which migrates, bootstraps and
 * runs the background jobs, and forks the workers that serve (ADR 0094).
 */
export async function serve(config: Config = loadConfig()): Promise<void> {
  if (config.workers > 1 && cluster.isPrimary) return servePrimary(config);
  const worker = cluster.isWorker;
  const db = createDb(config.database);
  if (!worker) await migrateToLatest(db);
  const app = await buildApp({
    config,
    db,
    ...(worker ? { backgroundJobs: false, clusterMetrics: requestClusterMetrics() } : {}),
    // SQLite workers hear each other through their primary; on PostgreSQL every process listens.
    ...(worker && db.dialect === 'sqlite' ? { changeChannel: createIpcChangeChannel(randomUUID()) } : {}),
  });
  if (!worker) {
    const { createdOwner } = await app.services.identity.bootstrap(config.admin);
    if (createdOwner) app.log.info({ email: config.admin?.email }, 'created the organization owner from TAILOR_ADMIN_EMAIL');
  }

  stopOnSignals(app, db, worker);
  await app.listen({ port: config.port, host: config.host });
  // The primary says where Tailor serves, once every worker listens.
  if (worker) return;
  app.log.info(
    { database: config.database.kind, dataDir: config.dataDir },
    `Tailor is serving the console at ${config.publicUrl?.toString() ?? `http://${config.host}:${config.port}/`}`,
  );
}

function stopOnSignals(app: Awaited<ReturnType<typeof buildApp>>, db: Db, worker: boolean): void {
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
  if (!worker) {
    process.on('SIGINT', () => void shutdown('SIGINT'));
    return;
  }
  // Ctrl-C reaches every process of the terminal's group: a worker waits for its primary's
  // SIGTERM, so the primary knows the exits that follow are a shutdown, not crashes to replace.
  process.on('SIGINT', () => undefined);
  // A worker whose primary is gone has no one to restart or stop it.
  process.on('disconnect', () => void shutdown('primary gone'));
}
