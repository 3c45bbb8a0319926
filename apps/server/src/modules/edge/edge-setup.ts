import type { Db } from '../../db/create-db.js';
import type { ChangeEvents } from '../../shared/change-events.js';
import type { Clock } from '../../shared/clock.js';
import { createDecisionCache, createDecisionSource, type ExperienceDecisionReader, type SnapshotBuild } from '../decisions/index.js';
import { listEventKeys } from '../events/index.js';
import { createRecentVisitorRecorder, createVisitorProfileService } from '../visitors/index.js';
import { createEdgeEventService } from './edge-event-service.js';
import { createEdgeEventWriter } from './edge-event-writer.js';
import { createEdgeService } from './edge-service.js';
import { createEventKeyCache } from './event-key-cache.js';
import { createGeoLookup } from './geo-lookup.js';

export interface EdgeSetupDeps {
  db: Db;
  clock: Clock;
  changes: ChangeEvents;
  listExperiences: ExperienceDecisionReader;
  /** Background failures (a revision re-check, a recent-visitor flush) are logged, never thrown. */
  onError?: (error: unknown, context: string) => void;
  /** Told of every decision snapshot compiled (the server's metrics). */
  onSnapshotBuild?: (build: SnapshotBuild) => void;
}

/**
 * Builds the edge's collaborators and subscribes the snapshot rebuild to project changes, so a
 * management save resolves only after this process decides from the new data.
 */
export function createEdgeServices(deps: EdgeSetupDeps) {
  const onError = deps.onError ?? (() => undefined);
  const decisions = createDecisionCache({
    db: deps.db,
    source: createDecisionSource(deps.db, deps.listExperiences),
    onError: (error, projectUid) => onError(error, `decision revision check of project ${projectUid}`),
    ...(deps.onSnapshotBuild ? { onBuild: deps.onSnapshotBuild } : {}),
  });
  deps.changes.subscribe((change) => decisions.handleChange(change));
  const profiles = createVisitorProfileService({
    db: deps.db,
    clock: deps.clock,
    // An embedded SQLite file is served by this one process, which sees every profile write, so
    // cached profiles need no expiry; processes sharing PostgreSQL re-read after 1 s (ADR 0044).
    cacheTtlMs: deps.db.dialect === 'sqlite' ? Number.POSITIVE_INFINITY : 1000,
  });
  const recentVisitors = createRecentVisitorRecorder({ db: deps.db, clock: deps.clock, onError: (error) => onError(error, 'recent-visitor flush') });
  const geo = createGeoLookup((error) => onError(error, 'opening the IP geolocation database'));
  const edge = createEdgeService({
    db: deps.db,
    clock: deps.clock,
    decisions,
    profiles,
    recentVisitors,
    geo,
  });
  // Event keys of POST /edge/events come from memory (ADR 0075); as for profiles, one SQLite
  // process sees every definition change, processes sharing PostgreSQL re-read after 1 s.
  const eventKeys = createEventKeyCache({
    load: (projectUid) => listEventKeys(deps.db.kysely, projectUid),
    ttlMs: deps.db.dialect === 'sqlite' ? Number.POSITIVE_INFINITY : 1000,
  });
  deps.changes.subscribe((change) => {
    if (change.resource === 'event' || change.resource === 'project') eventKeys.invalidate(change.projectUid);
  });
  const events = createEdgeEventService({ clock: deps.clock, decisions, eventKeys, writer: createEdgeEventWriter(deps.db) });
  return { decisions, profiles, recentVisitors, edge, events };
}

export type EdgeServices = ReturnType<typeof createEdgeServices>;
