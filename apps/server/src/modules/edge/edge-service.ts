import { EDGE_LIMITS } from '@tailor/contract';
import { decideInto, decisionWork, NO_VARIANT } from '@tailor/engine';
import type { Db } from '../../db/create-db.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError, ValidationError, type ErrorIssue } from '../../shared/errors.js';
import { newVisitorUid } from '../../shared/ids.js';
import type { DecisionCache, ProjectSnapshot } from '../decisions/index.js';
import type { RecentVisitorRecorder, VisitorAttributes, VisitorAttributesPatch, VisitorPresets, VisitorProfileService } from '../visitors/index.js';
import type { Geo, GeoLookup } from './geo-lookup.js';
import { CostlyManifests } from './costly-manifests.js';
import { assertLiveValueSizes } from './live-value-limit.js';
import { manifestEncoder, manifestWithPayloads } from './manifest-json.js';
import { boundedText, isVisitorUid, parseLiveAttributes, parseTags, readVisitorUid, requireVisitorUid, type EdgeRequestFacts } from './request-context.js';
import { deviceInfo } from './user-agent.js';

export interface EdgeServiceDeps {
  db: Db;
  clock: Clock;
  decisions: DecisionCache;
  profiles: VisitorProfileService;
  recentVisitors: RecentVisitorRecorder;
  geo: GeoLookup;
}

/** What the manifests served so far decided, read by the server's metrics at scrape time. */
export interface ManifestCounts {
  manifests: number;
  /** Per experience of each manifest: a variant chosen, none (base entry), or left out by the tag filter. */
  variant: number;
  noVariant: number;
  excluded: number;
}

export interface ManifestResult {
  visitorUid: string;
  /** The EdgeManifest JSON (manifest-json.ts). */
  body: string;
}

const NO_ATTRIBUTES: Readonly<VisitorAttributes> = Object.freeze({});

// decideInto()'s result, reused by every manifest: deciding and encoding run in one synchronous step.
let decided = new Int32Array(128);

export const MANIFEST_PROJECT_NOT_FOUND = 'personalize.MANIFEST.PROJECT_NOT_FOUND';
export const EDGE_PROJECT_NOT_FOUND = 'personalize.PROJECTS.NOT_FOUND';

/** The project's snapshot for an edge request; a missing uid is a 400, an unknown project a 404 with `code`. */
export async function requireSnapshot(decisions: DecisionCache, projectUid: string | undefined, code: string): Promise<ProjectSnapshot> {
  if (projectUid === undefined || projectUid === '') {
    throw ValidationError.single('headers.x-project-uid', 'Expected the x-project-uid header with the project uid.');
  }
  const snapshot = await decisions.get(projectUid);
  // The SDK turns exactly this code into "Project not found: <uid>" (real-clients.md §1.3).
  if (snapshot === null) throw new NotFoundError(code, `Project not found: ${projectUid}`);
  return snapshot;
}

export function createEdgeService(deps: EdgeServiceDeps) {
  const { decisions, profiles } = deps;
  const costly = new CostlyManifests();
  // Plain additions on the hot path; the metrics read them when scraped.
  const counts: ManifestCounts = { manifests: 0, variant: 0, noVariant: 0, excluded: 0 };

  function count(into: Int32Array, length: number): void {
    let variant = 0;
    let noVariant = 0;
    for (let k = 0; k < length; k++) {
      const v = into[k] as number;
      if (v >= 0) variant += 1;
      else if (v === NO_VARIANT) noVariant += 1;
    }
    counts.manifests += 1;
    counts.variant += variant;
    counts.noVariant += noVariant;
    counts.excluded += length - variant - noVariant;
  }

  const snapshotOf = (projectUid: string | undefined, code: string) => requireSnapshot(decisions, projectUid, code);

  /** Keeps only the project's custom attribute keys. */
  function known(snapshot: ProjectSnapshot, attributes: Readonly<VisitorAttributes>): VisitorAttributes {
    const out: VisitorAttributes = {};
    for (const [key, value] of Object.entries(attributes)) if (snapshot.attributeKeys.has(key)) out[key] = value;
    return out;
  }

  function manifestFor(snapshot: ProjectSnapshot, facts: EdgeRequestFacts, options: { includePayload: boolean }): ManifestResult | Promise<ManifestResult> {
    // 1. Input checks before any work: a bad header is a 400, never a partial decision.
    const live = parseLiveAttributes(facts.liveAttributes);
    assertLiveValueSizes(live, snapshot.attributeKeys);
    const tags = parseTags(facts.tags);
    // 2. Visitor: the given uid, or a new one that the response header hands back.
    const sent = readVisitorUid(facts.visitorUid);
    // 3. The stored profile (a new visitor has none) and the IP's geo: usually in memory.
    const stored = sent === undefined ? NO_ATTRIBUTES : profiles.cachedAttributes(snapshot.projectUid, sent);
    const geo = deps.geo.peek(facts.ip);
    const input = { live, tags, visitorUid: sent ?? newVisitorUid() };
    if (stored !== undefined && geo !== undefined) return decideInTurn(snapshot, facts, options, input, stored, withCountry(geo, facts.country));
    return (async () => {
      const profile = stored ?? (await profiles.getAttributes(snapshot.projectUid, input.visitorUid));
      return decideInTurn(snapshot, facts, options, input, profile, withCountry(geo ?? (await deps.geo.lookup(facts.ip)), facts.country));
    })();
  }

  /**
   * A CDN's country wins over the address's. The address's region and city stay only when they
   * lie in that country: a region of another country would contradict it.
   */
  function withCountry(geo: Geo, country: string | undefined): Geo {
    if (country === undefined || geo.COUNTRY === country) return geo;
    return { COUNTRY: country };
  }

  /** 4. A project whose decisions are costly waits its turn, so that it cannot hold up the others (ADR 0080). */
  function decideInTurn(...args: Parameters<typeof decideFor>): ManifestResult | Promise<ManifestResult> {
    return costly.isCostly(args[0].engine) ? costly.inTurn(() => decideFor(...args)) : decideFor(...args);
  }

  function decideFor(
    snapshot: ProjectSnapshot,
    facts: EdgeRequestFacts,
    options: { includePayload: boolean },
    input: { live: VisitorAttributes; tags: string[] | undefined; visitorUid: string },
    stored: Readonly<VisitorAttributes>,
    geo: Geo,
  ): ManifestResult {
    const { live, tags, visitorUid } = input;
    // 5. Attributes: the stored profile overlaid by live attributes.
    const attributes = Object.keys(live).length === 0 ? stored : { ...stored, ...known(snapshot, live) };
    // 6. Presets derived from the request.
    const presets: VisitorPresets = { ...geo, ...deviceInfo(facts.userAgent) };
    const referrer = boundedText(facts.referer);
    const pageUrl = boundedText(facts.pageUrl);
    if (referrer !== undefined) presets.REFERRER = referrer;
    if (pageUrl !== undefined) presets.PAGE_URL = pageUrl;
    // 7. Decide from the in-memory snapshot only, and write the body before anything else can reuse `decided`.
    const engine = snapshot.engine;
    if (decided.length < engine.outline.length) decided = new Int32Array(engine.outline.length * 2);
    decideInto(engine, visitorUid, { attributes, presets, now: deps.clock.now().getTime() }, decided, tags ? { tags } : undefined);
    costly.note(engine, decisionWork.lastSpent);
    count(decided, engine.outline.length);
    deps.recentVisitors.record(snapshot.projectUid, visitorUid, presets, attributes);
    const body = options.includePayload
      ? manifestWithPayloads(engine, decided, (experience, variant) => snapshot.experiences.get(experience)?.variants.get(variant))
      : manifestEncoder(engine).encode(decided);
    return { visitorUid, body };
  }

  return {
    /** Manifests served and their decisions since start (never reset). */
    counts: counts as Readonly<ManifestCounts>,

    /**
     * GET /manifest: decides every (tag-filtered) experience for the visitor, in priority order.
     * In the steady state (snapshot, profile and the IP's geo in memory) it answers synchronously,
     * so the hottest route creates no promise; otherwise it returns one. Invalid input throws
     * synchronously or rejects accordingly.
     */
    manifest(projectUid: string | undefined, facts: EdgeRequestFacts, options: { includePayload: boolean }): ManifestResult | Promise<ManifestResult> {
      const held = projectUid === undefined ? undefined : decisions.peek(projectUid);
      if (held !== undefined) return manifestFor(held, facts, options);
      return snapshotOf(projectUid, MANIFEST_PROJECT_NOT_FOUND).then((snapshot) => manifestFor(snapshot, facts, options));
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
  };
}

export type EdgeService = ReturnType<typeof createEdgeService>;
