import type { ChangeChannel } from '../../cluster/change-channel.js';
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
  /** How changes reach the other processes of the installation and theirs reach this one. */
  channel: ChangeChannel;
  /** True when no other process writes to this database (one process on a SQLite file). */
  soleProcess: boolean;
  /** How often the revision poll runs while the channel is down. */
  pollMs?: number;
  /** Background failures (a revision re-check, a recent-visitor flush) are logged, never thrown. */
  onError?: (error: unknown, context: string) => void;
  /** Told of every decision snapshot compiled (the server's metrics). */
  onSnapshotBuild?: (build: SnapshotBuild) => void;
}

/**
 * Builds the edge's collaborators and subscribes the snapshot rebuild to project changes, so a
 * management save resolves only after this process decides from the new data; then the change
 * is announced to the installation's other processes, whose announcements this one applies.
 */
export function createEdgeServices(deps: EdgeSetupDeps) {
  const onError = deps.onError ?? (() => undefined);
  const decisions = createDecisionCache({
    db: deps.db,
    source: createDecisionSource(deps.db, deps.listExperiences),
    onError: (error, projectUid) => onError(error, `decision revision check of project ${projectUid}`),
    ...(deps.onSnapshotBuild ? { onBuild: deps.onSnapshotBuild } : {}),
  });
  const profileWrites = deps.channel.profileWrites;
  const profiles = createVisitorProfileService({
    db: deps.db,
    clock: deps.clock,
    // A process that is alone on its database sees every profile write, and SQLite workers hear
    // each other's, so cached profiles need no expiry; instances sharing PostgreSQL re-read
    // after 1 s (ADR 0044).
    cacheTtlMs: deps.soleProcess || profileWrites !== undefined ? Number.POSITIVE_INFINITY : 1000,
    ...(profileWrites ? { onWritten: profileWrites.announce } : {}),
  });
  profileWrites?.onWrite((projectUid, visitorUid) => profiles.forget(projectUid, visitorUid));
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
  // Event keys of POST /edge/events come from memory (ADR 0075); as for profiles, a process alone
  // on its database sees every definition change; processes sharing one also re-read after 1 s,
  // in case an announcement was lost.
  const eventKeys = createEventKeyCache({
    load: (projectUid) => listEventKeys(deps.db.kysely, projectUid),
    ttlMs: deps.soleProcess ? Number.POSITIVE_INFINITY : 1000,
  });
  const { channel } = deps;
  deps.changes.subscribe(async (change) => {
    const revision = await decisions.handleChange(change);
    if (change.resource === 'event' || change.resource === 'project') eventKeys.invalidate(change.projectUid);
    await channel.announce({ ...change, revision });
  });
  channel.onChange((change) => {
    if (change.resource === 'event' || change.resource === 'project') eventKeys.invalidate(change.projectUid);
    decisions.handleRemote(change, change.revision).catch((error: unknown) => onError(error, `applying another process's change to project ${change.projectUid}`));
  });
  const resync = () => decisions.resync().catch((error: unknown) => onError(error, 're-reading the revisions of held projects'));
  channel.onResync(() => void resync());
  // The revision poll, for while the channel is down: one query for every project held here.
  let poll: NodeJS.Timeout | null = null;
  const follow = {
    start() {
      poll ??= setInterval(() => {
        if (channel.state === 'down') void resync();
      }, deps.pollMs ?? 1000);
      poll.unref();
    },
    stop() {
      if (poll !== null) clearInterval(poll);
      poll = null;
    },
  };
  const events = createEdgeEventService({ clock: deps.clock, decisions, eventKeys, writer: createEdgeEventWriter(deps.db) });
  return { decisions, profiles, recentVisitors, edge, events, follow };
}

export type EdgeServices = ReturnType<typeof createEdgeServices>;
