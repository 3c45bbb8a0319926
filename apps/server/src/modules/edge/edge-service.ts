import { EDGE_LIMITS, type EdgeEventItem } from '@tailor/contract';
import { decide } from '@tailor/engine';
import type { Db } from '../../db/create-db.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError, ValidationError, type ErrorIssue } from '../../shared/errors.js';
import { newUid, newVisitorUid } from '../../shared/ids.js';
import type { DecisionCache, ProjectSnapshot } from '../decisions/index.js';
import type { RecentVisitorRecorder, VisitorAttributes, VisitorAttributesPatch, VisitorPresets, VisitorProfileService } from '../visitors/index.js';
import { insertEdgeEvents, type EdgeEventRecord } from './edge-event-repository.js';
import type { GeoLookup } from './geo-lookup.js';
import { boundedText, isVisitorUid, parseLiveAttributes, parseTags, readVisitorUid, type EdgeRequestFacts } from './request-context.js';
import { deviceInfo } from './user-agent.js';

/** Finds event definitions by key: the events module's read, injected (key → uid). */
export type EventKeyLookup = (projectUid: string, keys: readonly string[]) => Promise<ReadonlyMap<string, string>>;

export interface EdgeServiceDeps {
  db: Db;
  clock: Clock;
  decisions: DecisionCache;
  profiles: VisitorProfileService;
  recentVisitors: RecentVisitorRecorder;
  geo: GeoLookup;
  eventKeys: EventKeyLookup;
}

export interface ManifestResult {
  visitorUid: string;
  experiences: Array<{ shortUid: string; activeVariantShortUid: string | null; payload?: unknown }>;
}

export interface EventsResult {
  accepted: number;
  rejected: Array<{ index: number; reason: string }>;
}

export const MANIFEST_PROJECT_NOT_FOUND = 'personalize.MANIFEST.PROJECT_NOT_FOUND';
export const EDGE_PROJECT_NOT_FOUND = 'personalize.PROJECTS.NOT_FOUND';

export function createEdgeService(deps: EdgeServiceDeps) {
  const { decisions, profiles } = deps;

  async function snapshotOf(projectUid: string | undefined, code: string): Promise<ProjectSnapshot> {
    if (projectUid === undefined || projectUid === '') {
      throw ValidationError.single('headers.x-project-uid', 'Expected the x-project-uid header with the project uid.');
    }
    const snapshot = await decisions.get(projectUid);
    // The SDK turns exactly this code into "Project not found: <uid>" (real-clients.md §1.3).
    if (snapshot === null) throw new NotFoundError(code, `Project not found: ${projectUid}`);
    return snapshot;
  }

  function requireVisitorUid(raw: string | undefined): string {
    if (raw === undefined || raw === '') {
      throw ValidationError.single('headers.x-cs-personalize-user-uid', 'Expected the x-cs-personalize-user-uid header with the visitor uid.');
    }
    if (!isVisitorUid(raw)) {
      throw ValidationError.single('headers.x-cs-personalize-user-uid', 'Expected 1 to 128 printable characters without spaces.');
    }
    return raw;
  }

  /** Keeps only the project's custom attribute keys. */
  function known(snapshot: ProjectSnapshot, attributes: Readonly<VisitorAttributes>): VisitorAttributes {
    const out: VisitorAttributes = {};
    for (const [key, value] of Object.entries(attributes)) if (snapshot.attributeKeys.has(key)) out[key] = value;
    return out;
  }

  return {
    /** GET /manifest: decides every (tag-filtered) experience for the visitor, in priority order. */
    async manifest(projectUid: string | undefined, facts: EdgeRequestFacts, options: { includePayload: boolean }): Promise<ManifestResult> {
      const snapshot = await snapshotOf(projectUid, MANIFEST_PROJECT_NOT_FOUND);
      // 1. Input checks before any work: a bad header is a 400, never a partial decision.
      const live = parseLiveAttributes(facts.liveAttributes);
      const tags = parseTags(facts.tags);
      // 2. Visitor: the given uid, or a new one that the response header hands back.
      const sent = readVisitorUid(facts.visitorUid);
      const visitorUid = sent ?? newVisitorUid();
      // 3. Attributes: the stored profile (a new visitor has none), overlaid by live attributes.
      const stored = sent === undefined ? {} : await profiles.getAttributes(snapshot.projectUid, visitorUid);
      const attributes = Object.keys(live).length === 0 ? stored : { ...stored, ...known(snapshot, live) };
      // 4. Presets derived from the request.
      const presets: VisitorPresets = { ...(await deps.geo.lookup(facts.ip)), ...deviceInfo(facts.userAgent) };
      const referrer = boundedText(facts.referer);
      const pageUrl = boundedText(facts.pageUrl);
      if (referrer !== undefined) presets.REFERRER = referrer;
      if (pageUrl !== undefined) presets.PAGE_URL = pageUrl;
      // 5. Decide from the in-memory snapshot only.
      const decided = decide(snapshot.engine, visitorUid, { attributes, presets, now: deps.clock.now().getTime() }, tags ? { tags } : {});
      deps.recentVisitors.record(snapshot.projectUid, visitorUid, presets, attributes);
      if (!options.includePayload) return { visitorUid, experiences: decided.experiences };
      return {
        visitorUid,
        experiences: decided.experiences.map((e) => {
          const variant = e.activeVariantShortUid;
          const payload = variant === null ? undefined : snapshot.experiences.get(e.shortUid)?.variants.get(variant);
          return { ...e, payload: payload ?? null };
        }),
      };
    },

    /** PATCH /user-attributes: merge-patch of custom attribute values (null removes a key). */
    async patchAttributes(projectUid: string | undefined, rawVisitorUid: string | undefined, patch: VisitorAttributesPatch): Promise<void> {
      const snapshot = await snapshotOf(projectUid, EDGE_PROJECT_NOT_FOUND);
      const visitorUid = requireVisitorUid(rawVisitorUid);
      const keys = Object.keys(patch);
      if (keys.length > EDGE_LIMITS.attributesPerPatch) {
        throw ValidationError.single('body', `Expected at most ${EDGE_LIMITS.attributesPerPatch} attributes per request, received ${keys.length}.`);
      }
      const issues: ErrorIssue[] = [];
      const unknown = keys.filter((k) => !snapshot.attributeKeys.has(k));
      if (unknown.length > 0) {
        issues.push({ path: 'body', message: `Unknown attribute keys (define them as custom attributes first): ${unknown.join(', ')}.` });
      }
      for (const [key, value] of Object.entries(patch)) {
        if (typeof value === 'string' && Buffer.byteLength(value, 'utf8') > EDGE_LIMITS.attributeValueBytes) {
          issues.push({ path: key, message: `Expected a string of at most ${EDGE_LIMITS.attributeValueBytes} bytes.` });
        }
        if (typeof value === 'number' && !Number.isFinite(value)) issues.push({ path: key, message: 'Expected a finite number.' });
      }
      if (issues.length > 0) throw new ValidationError(issues);
      if (keys.length === 0) return;
      await profiles.patchAttributes(snapshot.projectUid, visitorUid, patch);
    },

    /** POST /user-attributes/actions/merge: source's attributes into target's, source winning. */
    async mergeAttributes(projectUid: string | undefined, sourceUid: string, targetUid: string): Promise<void> {
      const snapshot = await snapshotOf(projectUid, EDGE_PROJECT_NOT_FOUND);
      const issues: ErrorIssue[] = [];
      if (!isVisitorUid(sourceUid)) issues.push({ path: 'sourceUserUid', message: 'Expected 1 to 128 printable characters without spaces.' });
      if (!isVisitorUid(targetUid)) issues.push({ path: 'targetUserUid', message: 'Expected 1 to 128 printable characters without spaces.' });
      if (issues.length > 0) throw new ValidationError(issues);
      await profiles.mergeProfiles(snapshot.projectUid, sourceUid, targetUid);
    },

    /**
     * POST /events: validates each item against the snapshot (impressions) and the event
     * definitions (conversions), stores the valid ones durably in one statement, and reports
     * the rest by index (ADR 0043). Repeated impressions of a variant are stored once.
     */
    async ingestEvents(projectUid: string | undefined, rawVisitorUid: string | undefined, items: readonly EdgeEventItem[]): Promise<EventsResult> {
      const snapshot = await snapshotOf(projectUid, EDGE_PROJECT_NOT_FOUND);
      const visitorUid = requireVisitorUid(rawVisitorUid);
      const eventKeys = [...new Set(items.flatMap((i) => (i.type === 'EVENT' ? [i.eventKey] : [])))];
      const events = eventKeys.length === 0 ? new Map<string, string>() : await deps.eventKeys(snapshot.projectUid, eventKeys);
      const receivedAt = deps.clock.now().toISOString();
      const nowMs = deps.clock.now().getTime();
      const rejected: EventsResult['rejected'] = [];
      const records = new Map<string, EdgeEventRecord>();
      items.forEach((item, index) => {
        const uid = newUid(nowMs);
        if (item.type === 'EVENT') {
          const eventUid = events.get(item.eventKey);
          if (eventUid === undefined) {
            rejected.push({ index, reason: `Unknown event key: ${item.eventKey}` });
            return;
          }
          const dedupKey = `E|${uid}`;
          const base = { uid, projectUid: snapshot.projectUid, visitorUid, receivedAt, dedupKey };
          records.set(dedupKey, { ...base, type: 'EVENT', experienceUid: null, versionUid: null, variantShortUid: null, eventUid, eventKey: item.eventKey });
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
          uid,
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
      await insertEdgeEvents(deps.db.kysely, [...records.values()]);
      return { accepted: items.length - rejected.length, rejected };
    },
  };
}

export type EdgeService = ReturnType<typeof createEdgeService>;
