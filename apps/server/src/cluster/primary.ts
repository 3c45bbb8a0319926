import cluster from 'node:cluster';
import type { Config } from '../config.js';
import { createDb } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrator.js';
import { createServices } from '../services.js';
import { systemClock } from '../shared/clock.js';
import { createClusterMetricsServer } from './cluster-metrics.js';
import { createJobLeadership } from './job-leadership.js';
import { createPrimaryLog } from './primary-log.js';
import { superviseWorkers } from './worker-supervisor.js';

/**
 * The primary of `serve --workers N` (ADR 0094): migrates and bootstraps once, runs the
 * background jobs (under the installation-wide lock on PostgreSQL), forks the N workers that
 * share the port, and on SIGTERM/SIGINT drains them all before closing the database.
 */
export async function servePrimary(config: Config): Promise<void> {
  const log = createPrimaryLog(config.logLevel);
  const db = createDb(config.database);
  await migrateToLatest(db);
  const services = createServices({ config, db, clock: systemClock, logError: (err, context) => log.error(`background failure: ${context}`, { err }) });
  const { createdOwner } = await services.identity.bootstrap(config.admin);
  if (createdOwner) log.info('created the organization owner from TAILOR_ADMIN_EMAIL', { email: config.admin?.email });
  const leadership = createJobLeadership({
    db,
    jobs: {
      start: () => services.analytics.start((err) => log.error('background failure: analytics', { err })),
      stop: () => services.analytics.stop(),
    },
    warn: (err, message) => log.warn(message, { err }),
    info: (message) => log.info(message),
  });
  await leadership.start();
  const metrics = createClusterMetricsServer(leadership);

  let closing = false;
  const shutdown = async (reason: string, code: number) => {
    if (closing) return;
    closing = true;
    log.info(`shutting down (${reason}): draining ${supervisor.workers} workers`);
    try {
      await supervisor.stop();
      await leadership.close();
      await db.close();
    } catch (error) {
      log.error('error during shutdown', { err: error });
      code = 1;
    }
    process.exit(code);
  };

  cluster.setupPrimary({ serialization: 'json' });
  const supervisor = superviseWorkers({
    count: config.workers,
    log,
    onMessage: (worker, message) => metrics.handle(worker, message),
    onServing: () =>
      log.info(`Tailor is serving the console at ${config.publicUrl?.toString() ?? `http://${config.host}:${config.port}/`} with ${config.workers} workers`, {
        database: config.database.kind,
        dataDir: config.dataDir,
      }),
    onStartFailed: (reason) => {
      log.error(`start-up failed: ${reason}; see the worker's log above`);
      void shutdown('start-up failed', 1);
    },
  });
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
}
