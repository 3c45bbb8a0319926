import { RuleViolationError, ValidationError, type ErrorIssue } from '../../shared/errors.js';
import {
  equalSplit,
  type CombinationType,
  type ExperienceType,
  type Metric,
  type Targeting,
  type Variant,
  type VariantSplit,
  type VersionContent,
  type VersionStatus,
} from './experience.js';

/**
 * Pure rules of versions (spec §1.6.1–1.6.2): shaping a request into stored content, what a
 * draft may hold, what activation requires, and which status transitions exist.
 */
export const MAX_PAYLOAD_BYTES = 16 * 1024;
export const MAX_METRICS = 5;

export interface VariantInput {
  __type?: 'SegmentedVariant' | 'ABTestVariant' | undefined;
  shortUid?: string | number | null | undefined;
  name: string;
  audiences?: string[] | null | undefined;
  lyticsAudiences?: string[] | null | undefined;
  audienceCombinationType?: CombinationType | null | undefined;
  trafficDistribution?: number | null | undefined;
  payload?: unknown;
}

export interface TargetingInput {
  audience?: { audiences?: string[] | null | undefined; audienceCombinationType?: CombinationType | null | undefined } | null | undefined;
  audiences?: string[] | null | undefined;
  audienceCombinationType?: CombinationType | null | undefined;
}

export interface MetricInput {
  __type: 'Primary' | 'Secondary';
  event: string;
  name?: string | null | undefined;
}

/** `undefined` fields mean "not sent": a PUT on a locked version then compares against the stored value. */
export interface VersionContentInput {
  variants: VariantInput[];
  targeting?: TargetingInput | null | undefined;
  metrics?: MetricInput[] | null | undefined;
  variantSplit?: VariantSplit | null | undefined;
}

export interface ContentContext {
  type: ExperienceType;
  /** ShortUids some version of this experience already uses: the only ones a client may send. */
  knownShortUids: ReadonlySet<string>;
  variantsPerExperience: number;
  audiencesPerVariant: number;
  /** Mints the next shortUid from the experience's high-water mark. */
  mintShortUid: () => string;
  /** For locked versions: omitted fields and shortUids fall back to the stored version. */
  stored?: VersionContent;
}

/** Stable JSON (sorted keys) so equality of payloads does not depend on key order. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function hasAtMostTwoDecimals(n: number): boolean {
  return Math.abs(Math.round(n * 100) - n * 100) < 1e-6;
}

function normalizeTargeting(input: TargetingInput | null | undefined, path: string, ctx: ContentContext, issues: ErrorIssue[]): Targeting | null {
  if (!input) return null;
  const nested = input.audience;
  const audiences = dedupe(nested?.audiences ?? input.audiences ?? []);
  const combination = nested?.audienceCombinationType ?? input.audienceCombinationType ?? null;
  const audiencesPath = nested ? `${path}.audience.audiences` : `${path}.audiences`;
  // An empty list is Everyone: the CLI empties it when no audience could be remapped.
  if (audiences.length === 0) return null;
  if (audiences.length > ctx.audiencesPerVariant) {
    issues.push({ path: audiencesPath, message: `Expected at most ${ctx.audiencesPerVariant} audiences, received ${audiences.length}` });
  }
  if (!combination) {
    issues.push({
      path: nested ? `${path}.audience.audienceCombinationType` : `${path}.audienceCombinationType`,
      message: 'NOT_VALID_ENUM: Expected "AND" or "OR", received nothing',
    });
  }
  return { audiences, audienceCombinationType: combination ?? 'OR' };
}

function normalizeMetrics(input: MetricInput[], issues: ErrorIssue[]): Metric[] {
  if (input.length > MAX_METRICS) {
    issues.push({ path: 'metrics', message: `Expected at most ${MAX_METRICS} metrics (1 Primary and 4 Secondary), received ${input.length}` });
  }
  const seen = new Set<string>();
  input.forEach((m, i) => {
    if (m.__type === 'Primary' && i !== 0) {
      issues.push({ path: `metrics[${i}].__type`, message: 'Expected the Primary metric first and only once, received another Primary' });
    }
    if (seen.has(m.event)) issues.push({ path: `metrics[${i}].event`, message: `Expected each event once, received ${m.event} again` });
    seen.add(m.event);
  });
  return input.map((m) => ({ __type: m.__type, event: m.event, ...(m.name ? { name: m.name } : {}) }));
}

function payloadIssue(payload: unknown, path: string): ErrorIssue | null {
  const size = Buffer.byteLength(JSON.stringify(payload) ?? 'null', 'utf8');
  return size > MAX_PAYLOAD_BYTES ? { path, message: `Expected a payload of at most ${MAX_PAYLOAD_BYTES} bytes of JSON, received ${size}` } : null;
}

function resolveShortUid(v: VariantInput, i: number, ctx: ContentContext, used: Set<string>, issues: ErrorIssue[]): string {
  let sent = v.shortUid === null || v.shortUid === undefined ? undefined : String(v.shortUid);
  // A PUT on a locked version may omit shortUids (the CLI strips them): the position decides.
  if (sent === undefined && ctx.stored) sent = ctx.stored.variants[i]?.shortUid;
  if (sent === undefined) return ctx.mintShortUid();
  if (!ctx.knownShortUids.has(sent)) {
    const known = [...ctx.knownShortUids].join(', ') || 'none';
    issues.push({
      path: `variants[${i}].shortUid`,
      message: `Expected the shortUid of a variant of this experience (known: ${known}) or none for a new variant, received ${JSON.stringify(sent)}`,
    });
  } else if (used.has(sent)) {
    issues.push({ path: `variants[${i}].shortUid`, message: `Expected each shortUid once, received ${JSON.stringify(sent)} again` });
  }
  used.add(sent);
  return sent;
}

/**
 * Shapes a version request into stored content, checking everything a draft must already satisfy
 * (types, limits, shortUids, payload size). Completeness is checked on activation only, so a
 * draft may be saved half-configured. Throws one ValidationError listing every problem.
 */
export function buildContent(input: VersionContentInput, ctx: ContentContext): VersionContent {
  const issues: ErrorIssue[] = [];
  const expectedType = ctx.type === 'SEGMENTED' ? 'SegmentedVariant' : 'ABTestVariant';
  if (input.variants.length > ctx.variantsPerExperience) {
    issues.push({ path: 'variants', message: `Expected at most ${ctx.variantsPerExperience} variants, received ${input.variants.length}` });
  }
  const used = new Set<string>();
  const variants: Variant[] = input.variants.map((v, i) => {
    const path = `variants[${i}]`;
    if (v.__type && v.__type !== expectedType) {
      issues.push({ path: `${path}.__type`, message: `Expected ${expectedType} for a ${ctx.type} experience, received ${v.__type}` });
    }
    const shortUid = resolveShortUid(v, i, ctx, used, issues);
    const storedPayload = ctx.stored?.variants[i]?.payload;
    const payload = v.payload !== undefined ? v.payload : ctx.stored ? storedPayload : undefined;
    const tooLarge = payload === undefined ? null : payloadIssue(payload, `${path}.payload`);
    if (tooLarge) issues.push(tooLarge);
    const withPayload = payload === undefined ? {} : { payload };
    if (expectedType === 'SegmentedVariant') {
      const audiences = dedupe(v.audiences ?? []);
      if (audiences.length > ctx.audiencesPerVariant) {
        issues.push({ path: `${path}.audiences`, message: `Expected at most ${ctx.audiencesPerVariant} audiences, received ${audiences.length}` });
      }
      if ((v.lyticsAudiences ?? []).length > 0) {
        issues.push({ path: `${path}.lyticsAudiences`, message: 'Lytics audiences are not supported by Tailor: expected none' });
      }
      if (!v.audienceCombinationType) {
        issues.push({ path: `${path}.audienceCombinationType`, message: 'NOT_VALID_ENUM: Expected "AND" or "OR", received nothing' });
      }
      return {
        __type: 'SegmentedVariant',
        shortUid,
        name: v.name,
        audiences,
        lyticsAudiences: [],
        audienceCombinationType: v.audienceCombinationType ?? 'OR',
        ...withPayload,
      };
    }
    const traffic = v.trafficDistribution ?? 0;
    if (!hasAtMostTwoDecimals(traffic)) {
      issues.push({ path: `${path}.trafficDistribution`, message: `Expected a percentage with at most 2 decimals, received ${traffic}` });
    }
    return { __type: 'ABTestVariant', shortUid, name: v.name, trafficDistribution: traffic, ...withPayload };
  });

  let targeting: Targeting | null;
  let metrics: Metric[];
  let variantSplit: VariantSplit | null = null;
  if (ctx.type === 'SEGMENTED') {
    // Segmented experiences target through their variants; a target group or metrics would be ignored silently, so refuse them.
    if (normalizeTargeting(input.targeting, 'targeting', ctx, []) !== null) {
      issues.push({ path: 'targeting', message: 'Expected no target group: only A/B tests have one' });
    }
    if ((input.metrics ?? []).length > 0) issues.push({ path: 'metrics', message: 'Expected no metrics: only A/B tests have metrics' });
    targeting = null;
    metrics = [];
  } else {
    targeting = input.targeting === undefined && ctx.stored ? ctx.stored.targeting : normalizeTargeting(input.targeting, 'targeting', ctx, issues);
    metrics = input.metrics === undefined && ctx.stored ? ctx.stored.metrics : normalizeMetrics(input.metrics ?? [], issues);
    variantSplit =
      input.variantSplit ??
      (input.variantSplit === undefined && ctx.stored ? ctx.stored.variantSplit : null) ??
      // No split sent: CUSTOM when the client chose percentages, else an even split.
      (input.variants.some((v) => v.trafficDistribution !== undefined && v.trafficDistribution !== null) ? 'CUSTOM' : 'EQUAL');
    if (variantSplit === 'EQUAL') {
      const split = equalSplit(variants.length);
      variants.forEach((v, i) => {
        if (v.__type === 'ABTestVariant') v.trafficDistribution = split[i] ?? 0;
      });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return { variants, targeting, metrics, variantSplit };
}

/** What activation (DRAFT → ACTIVE or PAUSED) additionally requires (spec §1.6.2 minimums). */
export function assertActivatable(content: VersionContent, type: ExperienceType): void {
  const issues: ErrorIssue[] = [];
  if (type === 'SEGMENTED') {
    if (content.variants.length < 1) issues.push({ path: 'variants', message: 'Expected at least 1 variant to activate a segmented experience, received 0' });
    content.variants.forEach((v, i) => {
      if (v.__type === 'SegmentedVariant' && v.audiences.length === 0) {
        issues.push({ path: `variants[${i}].audiences`, message: 'Expected at least one audience to activate, received none' });
      }
    });
  } else {
    if (content.variants.length < 2) {
      issues.push({ path: 'variants', message: `Expected at least 2 variants to activate an A/B test, received ${content.variants.length}` });
    }
    const hundredths = content.variants.reduce((sum, v) => sum + (v.__type === 'ABTestVariant' ? Math.round(v.trafficDistribution * 100) : 0), 0);
    if (content.variants.length >= 2 && hundredths !== 10_000) {
      issues.push({ path: 'variants', message: `Expected the trafficDistribution of the variants to sum to 100, received ${hundredths / 100}` });
    }
    if (content.metrics.length > 0 && content.metrics[0]?.__type !== 'Primary') {
      issues.push({ path: 'metrics[0].__type', message: 'Expected the first metric to be the Primary one' });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

export type Transition = 'save' | 'activate' | 'activatePaused' | 'pause' | 'resume' | 'unchanged';

const VERSIONS = 'personalize.EXPERIENCES.VERSIONS';
export const LOCKED = `${VERSIONS}.CANNOT_UPDATE_LOCKED_VERSION`;
export const CANNOT_MARK_AS_DRAFT = `${VERSIONS}.CANNOT_MARK_VERSION_AS_DRAFT`;
export const DRAFT_EXISTS = `${VERSIONS}.CANNOT_CREATE_VERSION_AS_DRAFT_ALREADY_EXISTS`;
export const CANNOT_DELETE_ONLY_DRAFT = `${VERSIONS}.CANNOT_DELETE_ONLY_DRAFT`;
export const CANNOT_DELETE_ACTIVE = `${VERSIONS}.CANNOT_DELETE_ACTIVE_VERSION`;
export const CANNOT_DELETE_LAST = `${VERSIONS}.CANNOT_DELETE_LAST_VERSION`;

/**
 * The state machine of spec §1.6.1 for a PUT. `sameContent` says whether the request leaves the
 * variants, target group and metrics as stored: ACTIVE and PAUSED versions accept only a
 * status change (ACTIVE ↔ PAUSED), ARCHIVED ones nothing.
 */
export function planTransition(from: VersionStatus, to: 'DRAFT' | 'ACTIVE' | 'PAUSED', sameContent: boolean): Transition {
  if (from === 'DRAFT') return to === 'DRAFT' ? 'save' : to === 'ACTIVE' ? 'activate' : 'activatePaused';
  if (from === 'ARCHIVED') throw new RuleViolationError(LOCKED, 'This version is archived and read-only. Create a new draft instead.');
  if (to === 'DRAFT') {
    throw new RuleViolationError(CANNOT_MARK_AS_DRAFT, `A ${from} version cannot go back to DRAFT. Create a new draft version instead.`);
  }
  if (!sameContent) {
    throw new RuleViolationError(
      LOCKED,
      `This version is ${from} and locked: only its status can change (ACTIVE ↔ PAUSED). Create a new draft to change variants, target group, metrics or traffic.`,
    );
  }
  if (from === to) return 'unchanged';
  return to === 'PAUSED' ? 'pause' : 'resume';
}

/** Everything that must be equal for a locked version to accept a status-only PUT. */
export function sameContent(a: VersionContent, b: VersionContent): boolean {
  const pick = (c: VersionContent) => ({ variants: c.variants, targeting: c.targeting, metrics: c.metrics, variantSplit: c.variantSplit });
  return stableStringify(pick(a)) === stableStringify(pick(b));
}
