import type { Config } from './config.js';
import type { Db } from './db/create-db.js';
import type { Clock } from './shared/clock.js';
import { createChangeEvents } from './shared/change-events.js';
import { createAuditRecorder } from './modules/audit/index.js';
import { createIdentityService } from './modules/identity/index.js';

export interface ServiceDeps {
  config: Config;
  db: Db;
  clock: Clock;
}

/** The composition root: every service is built here once and handed to the routes that use it. */
export function createServices(deps: ServiceDeps) {
  const audit = createAuditRecorder(deps.clock);
  const changes = createChangeEvents();
  const identity = createIdentityService({ db: deps.db, clock: deps.clock, audit });
  return { audit, changes, identity };
}

export type Services = ReturnType<typeof createServices>;
