import type { EdgeEventItem } from '@tailor/contract';
import type { Clock } from '../../shared/clock.js';
import { DomainError, UnavailableError } from '../../shared/errors.js';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '../../db/database-unavailable.js';
import { newOrderedUids } from '../../shared/ids.js';
import type { DecisionCache } from '../decisions/index.js';
import type { EdgeEventRecord } from './edge-event-repository.js';
import type { EdgeEventWriter } from './edge-event-writer.js';
import { EDGE_PROJECT_NOT_FOUND, requireSnapshot } from './edge-service.js';
import type { EventKeyCache } from './event-key-cache.js';
import { requireVisitorUid } from './request-context.js';

export interface EdgeEventServiceDeps {
  clock: Clock;
  decisions: DecisionCache;
  eventKeys: EventKeyCache;
  writer: EdgeEventWriter;
}

export interface EventsResult {
  accepted: number;
  rejected: Array<{ index: number; reason: string }>;
}

/**
 * Why an item of `POST /edge/events` was not stored: a closed set, so that it can label a metric.
 * A batch refused whole (no or unknown project, unusable visitor uid, too many rows waiting, a
 * failure on the server's side) counts each of its items under that reason. A body that is not
 * a valid batch never reaches the service: it shows only as a 400 of the route.
 */
export const EDGE_EVENT_REJECTIONS = [
  'unknown_project',
  'invalid_visitor',
  'unknown_event_key',
  'unknown_experience',
  'inactive_experience',
  'unknown_variant',
  'overloaded',
  'database_unavailable',
  'server_error',
] as const;
export type EdgeEventRejection = (typeof EDGE_EVENT_REJECTIONS)[number];

/** Items accepted (stored) and rejected since start, read by the server's metrics at scrape time. */
export interface EdgeEventCounts {
  accepted: number;
  rejected: Record<EdgeEventRejection, number>;
}

function rejectionOf(error: unknown, reason: EdgeEventRejection): EdgeEventRejection {
  if (isDatabaseUnavailable(error) || (error instanceof UnavailableError && error.code === DATABASE_UNAVAILABLE)) return 'database_unavailable';
  if (error instanceof UnavailableError) return 'overloaded';
  return error instanceof DomainError ? reason : 'server_error';
}

export function createEdgeEventService(deps: EdgeEventServiceDeps) {
  const counts: EdgeEventCounts = { accepted: 0, rejected: Object.fromEntries(EDGE_EVENT_REJECTIONS.map((r) => [r, 0])) as Record<EdgeEventRejection, number> };

  /** A step whose failure refuses the batch's `items` not yet counted: for `reason` when the request is at fault. */
  async function wholeBatch<T>(items: number, reason: EdgeEventRejection, step: () => T | Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      counts.rejected[rejectionOf(error, reason)] += items;
      throw error;
    }
  }

  return {
    /** Items accepted and rejected since start (never reset). */
    counts: counts as Readonly<EdgeEventCounts>,
    /** Accepted rows not yet committed by the group commit (ADR 0075), and the bound past which batches get a 503. */
    get pendingRows(): number {
      return deps.writer.pendingRows;
    },
    get maxPendingRows(): number {
      return deps.writer.maxPendingRows;
    },

    /**
     * POST /events: validates each item against the in-memory snapshot (impressions) and the
     * cached event keys (conversions), then waits until the valid ones are committed by the
     * shared writer (ADR 0043, 0075) and reports the rest by index. Repeated impressions of a
     * variant are stored once.
     */
    async ingestEvents(projectUid: string | undefined, rawVisitorUid: string | undefined, items: readonly EdgeEventItem[]): Promise<EventsResult> {
      // 1. Project and visitor: a missing or unusable header refuses the whole batch.
      const snapshot = await wholeBatch(items.length, 'unknown_project', () => requireSnapshot(deps.decisions, projectUid, EDGE_PROJECT_NOT_FOUND));
      const visitorUid = await wholeBatch(items.length, 'invalid_visitor', () => requireVisitorUid(rawVisitorUid));
      // 2. Conversions are checked against the cached key map, loaded only when a batch has one.
      const events = items.some((i) => i.type === 'EVENT') ? await wholeBatch(items.length, 'server_error', () => deps.eventKeys.get(snapshot.projectUid)) : undefined;
      const now = deps.clock.now();
      const receivedAt = now.toISOString();
      const nowMs = now.getTime();
      const rejected: EventsResult['rejected'] = [];
      const reject = (index: number, kind: EdgeEventRejection, reason: string) => {
        counts.rejected[kind] += 1;
        rejected.push({ index, reason });
      };
      const records = new Map<string, EdgeEventRecord>();
      const uids = newOrderedUids(items.length, nowMs);
      // 3. Per item: a valid one becomes a row, an invalid one a rejection by index.
      items.forEach((item, index) => {
        if (item.type === 'EVENT') {
          const eventUid = events?.get(item.eventKey);
          if (eventUid === undefined) {
            reject(index, 'unknown_event_key', `Unknown event key: ${item.eventKey}`);
            return;
          }
          const uid = uids[index]!;
          const dedupKey = `E|${uid}`;
          records.set(dedupKey, {
            uid,
            projectUid: snapshot.projectUid,
            visitorUid,
            type: 'EVENT',
            experienceUid: null,
            versionUid: null,
            variantShortUid: null,
            eventUid,
            eventKey: item.eventKey,
            receivedAt,
            dedupKey,
          });
          return;
        }
        const experience = snapshot.experiences.get(item.experienceShortUid);
        if (experience === undefined) {
          reject(index, 'unknown_experience', `Unknown experience: ${item.experienceShortUid}`);
          return;
        }
        if (experience.versionUid === null) {
          reject(index, 'inactive_experience', `Experience ${item.experienceShortUid} has no active version`);
          return;
        }
        if (!experience.variants.has(item.variantShortUid)) {
          reject(index, 'unknown_variant', `Unknown variant ${item.variantShortUid} of experience ${item.experienceShortUid}`);
          return;
        }
        const dedupKey = `I|${visitorUid}|${experience.uid}|${experience.versionUid}|${item.variantShortUid}`;
        if (records.has(dedupKey)) return;
        records.set(dedupKey, {
          uid: uids[index]!,
          projectUid: snapshot.projectUid,
          visitorUid,
          type: 'IMPRESSION',
          experienceUid: experience.uid,
          versionUid: experience.versionUid,
          variantShortUid: item.variantShortUid,
          eventUid: null,
          eventKey: null,
          receivedAt,
          dedupKey,
        });
      });
      // 4. Durable before the answer: resolves when the flush holding these rows has committed.
      const accepted = items.length - rejected.length;
      await wholeBatch(accepted, 'server_error', () => deps.writer.write([...records.values()]));
      counts.accepted += accepted;
      return { accepted, rejected };
    },

    /** Commits what was accepted and refuses new batches (the app calls this on close). */
    close: () => deps.writer.close(),
  };
}

export type EdgeEventService = ReturnType<typeof createEdgeEventService>;
