import { randomUUID } from 'node:crypto';
import { createSoleProcessChannel, type ChangeChannel } from './cluster/change-channel.js';
import { createPgChangeChannel } from './cluster/pg-change-channel.js';
import type { Config } from './config.js';
import type { Db } from './db/create-db.js';
import type { LimitStore } from './limits/limit-store.js';
import type { Clock } from './shared/clock.js';
import { createChangeEvents } from './shared/change-events.js';
import { createAuditRecorder } from './modules/audit/index.js';
import { createIdentityService, loginLimitsFor } from './modules/identity/index.js';
import { createInvitationService, createMemberService } from './modules/members/index.js';
import { createProjectService, type ProjectStatsSource } from './modules/projects/index.js';
import { createEdgeServices } from './modules/edge/index.js';
import { createAttributeService } from './modules/attributes/index.js';
import { audienceAttributeUsage, audienceStatsSource, createAudienceRevisionService, createAudienceService } from './modules/audiences/index.js';
// Imported directly, not through audit/index.ts: the reader authorizes via projects, which records via audit.
import { createAuditService } from './modules/audit/audit-service.js';
import { createEventService } from './modules/events/index.js';
import {
  createExperienceService,
  createVersionService,
  experienceReferenceSource,
  experienceStatsSource,
  listExperiencesForDecisions,
} from './modules/experiences/index.js';
import { combineReferenceSources, type ReferenceSource } from './modules/references/index.js';
import { createAnalyticsService } from './modules/analytics/index.js';
import { createInteropService } from './modules/interop/index.js';
import { createImpactSampleSource, createImpactService } from './modules/impact/index.js';
import { createServerMetrics } from './observability/server-metrics.js';

export interface ServiceDeps {
  config: Config;
  db: Db;
  clock: Clock;
  /**
   * How this process's changes reach the installation's other processes and theirs reach it.
   * Left out (the CLI's commands), changes are still announced on PostgreSQL, never heard.
   */
  channel?: ChangeChannel;
  /** Where background failures (edge snapshot re-checks, recent-visitor flushes) are logged. */
  logError?: (error: unknown, context: string) => void;
  /** The app's limit store (ADR 0097); left out (the CLI's commands), log-ins count in memory. */
  limits?: LimitStore;
}

/** The composition root: every service is built here once and handed to the routes that use it. */
export function createServices(deps: ServiceDeps) {
  const audit = createAuditRecorder(deps.clock);
  const changes = createChangeEvents();
  const channel =
    deps.channel ??
    (deps.db.dialect === 'postgres'
      ? createPgChangeChannel({ db: deps.db, origin: randomUUID(), warn: (error, message) => deps.logError?.(error, message), info: () => undefined })
      : createSoleProcessChannel());
  const identity = createIdentityService({ db: deps.db, clock: deps.clock, audit, loginLimits: loginLimitsFor(deps.config.loginRateLimit), limits: deps.limits });
  // Modules that own a count on the project cards (audiences, experiences) push their source here.
  const projectStats: ProjectStatsSource[] = [];
  const projects = createProjectService({ db: deps.db, clock: deps.clock, audit, changes, stats: projectStats });
  const members = createMemberService({ db: deps.db, audit, changes });
  const invitations = createInvitationService({ db: deps.db, clock: deps.clock, audit, identity, publicUrl: deps.config.publicUrl });
  // Prometheus metrics in this app's own registry (ADR 0088); the modules' state is read at scrape time.
  const metrics = createServerMetrics();
  const edge = createEdgeServices({ db: deps.db, clock: deps.clock, changes, listExperiences: listExperiencesForDecisions, channel, soleProcess: deps.db.dialect === 'sqlite' && deps.config.workers === 1, onSnapshotBuild: metrics.snapshotBuilt, ...(deps.logError ? { onError: deps.logError } : {}) });
  // Modules that reference audiences or events (experiences: variants, target groups, metrics) push their source here.
  const referenceSources: ReferenceSource[] = [];
  const references = combineReferenceSources(referenceSources);
  const resourceDeps = { db: deps.db, clock: deps.clock, audit, changes };
  const attributes = createAttributeService({ ...resourceDeps, usage: audienceAttributeUsage });
  const audiences = createAudienceService({ ...resourceDeps, references });
  const audienceRevisions = createAudienceRevisionService(resourceDeps);
  const events = createEventService({ ...resourceDeps, references });
  const auditLog = createAuditService({ db: deps.db });
  projectStats.push(audienceStatsSource(deps.db.kysely));
  projectStats.push(experienceStatsSource(deps.db.kysely));
  referenceSources.push(experienceReferenceSource);
  const experiences = createExperienceService(resourceDeps);
  const versions = createVersionService(resourceDeps);
  // Rollups and retention; started and stopped with the app (ADR 0050).
  const analytics = createAnalyticsService({ db: deps.db, clock: deps.clock });
  // Project export/import (ADR 0060, 0061): runs the services above inside one transaction.
  const interop = createInteropService({ db: deps.db, clock: deps.clock, audit, changes });
  // Audience-edit impact preview over the edge's snapshots and recent visitors (ADR 0070).
  const impact = createImpactService({ db: deps.db, decisions: edge.decisions, references, sample: createImpactSampleSource(deps.db) });
  metrics.collectFrom({
    manifests: edge.edge.counts,
    edgeEvents: edge.events,
    snapshots: edge.decisions,
    rollupLag: () => analytics.rollupLag(),
    poolUse: deps.db.poolUse,
    ...(deps.db.dialect === 'postgres' || deps.config.workers > 1 ? { changeChannel: channel } : {}),
    limitStore: deps.limits?.health,
  });
  return { metrics, audit, changes, identity, projectStats, projects, members, invitations, referenceSources, attributes, audiences, audienceRevisions, events, auditLog, experiences, versions, edge: edge.edge, edgeEvents: edge.events, changeFollower: edge.follow, decisions: edge.decisions, visitorProfiles: edge.profiles, recentVisitors: edge.recentVisitors, analytics, interop, impact };
}

export type Services = ReturnType<typeof createServices>;
