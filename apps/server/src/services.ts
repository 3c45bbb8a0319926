import type { Config } from './config.js';
import type { Db } from './db/create-db.js';
import type { Clock } from './shared/clock.js';
import { createChangeEvents } from './shared/change-events.js';
import { createAuditRecorder } from './modules/audit/index.js';
import { createIdentityService } from './modules/identity/index.js';
import { createInvitationService, createMemberService } from './modules/members/index.js';
import { createProjectService, type ProjectStatsSource } from './modules/projects/index.js';

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
  // Modules that own a count on the project cards (audiences, experiences) push their source here.
  const projectStats: ProjectStatsSource[] = [];
  const projects = createProjectService({ db: deps.db, clock: deps.clock, audit, changes, stats: projectStats });
  const members = createMemberService({ db: deps.db, audit, changes });
  const invitations = createInvitationService({ db: deps.db, clock: deps.clock, audit, identity });
  return { audit, changes, identity, projectStats, projects, members, invitations };
}

export type Services = ReturnType<typeof createServices>;
