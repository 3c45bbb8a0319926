import type { EdgeEventItem } from '@tailor/contract';
import type { Clock } from '../../shared/clock.js';
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

export function createEdgeEventService(deps: EdgeEventServiceDeps) {
  return {
    /**
     * POST /events: validates each item against the in-memory snapshot (impressions) and the
     * cached event keys (conversions), then waits until the valid ones are committed by the
     * shared writer (ADR 0043, 0075) and reports the rest by index. Repeated impressions of a
     * variant are stored once.
     */
    async ingestEvents(projectUid: string | undefined, rawVisitorUid: string | undefined, items: readonly EdgeEventItem[]): Promise<EventsResult> {
      // 1. Project and visitor: a missing or unusable header refuses the whole batch.
      const snapshot = await requireSnapshot(deps.decisions, projectUid, EDGE_PROJECT_NOT_FOUND);
      const visitorUid = requireVisitorUid(rawVisitorUid);
      // 2. Conversions are checked against the cached key map, loaded only when a batch has one.
      const events = items.some((i) => i.type === 'EVENT') ? await deps.eventKeys.get(snapshot.projectUid) : undefined;
      const now = deps.clock.now();
      const receivedAt = now.toISOString();
      const nowMs = now.getTime();
      const rejected: EventsResult['rejected'] = [];
      const records = new Map<string, EdgeEventRecord>();
      const uids = newOrderedUids(items.length, nowMs);
      // 3. Per item: a valid one becomes a row, an invalid one a rejection by index.
      items.forEach((item, index) => {
        if (item.type === 'EVENT') {
          const eventUid = events?.get(item.eventKey);
          if (eventUid === undefined) {
            rejected.push({ index, reason: `Unknown event key: ${item.eventKey}` });
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
          rejected.push({ index, reason: `Unknown experience: ${item.experienceShortUid}` });
          return;
        }
        if (experience.versionUid === null) {
          rejected.push({ index, reason: `Experience ${item.experienceShortUid} has no active version` });
          return;
        }
        if (!experience.variants.has(item.variantShortUid)) {
          rejected.push({ index, reason: `Unknown variant ${item.variantShortUid} of experience ${item.experienceShortUid}` });
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
      await deps.writer.write([...records.values()]);
      return { accepted: items.length - rejected.length, rejected };
    },

    /** Commits what was accepted and refuses new batches (the app calls this on close). */
    close: () => deps.writer.close(),
  };
}

export type EdgeEventService = ReturnType<typeof createEdgeEventService>;
