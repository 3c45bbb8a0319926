import { z } from 'zod';
import { AuditFields, Timestamp, Uid } from './common.js';
import { ResourceDescription, ResourceName, ResourceVersion } from './attributes.js';

export const ExperienceType = z.enum(['SEGMENTED', 'AB_TEST']);
export const ExperienceStatus = z.enum(['DRAFT', 'ACTIVE', 'PAUSED']);
export const VersionStatus = z.enum(['DRAFT', 'ACTIVE', 'PAUSED', 'ARCHIVED']);
export const CombinationType = z.enum(['AND', 'OR'], {
  error: (i) => `NOT_VALID_ENUM: Expected "AND" or "OR", received ${i.input === undefined ? 'nothing' : JSON.stringify(i.input)}`,
});
export const VariantSplit = z.enum(['EQUAL', 'CUSTOM']);

/** Tags are checked (and lower-cased, de-duplicated) by the server so errors carry `tags[i]` paths. */
const Tags = z.array(z.string({ error: 'Expected a tag string' }), { error: 'Expected an array of tag strings' });

/** `_cms` is filled by Tailor itself (docs/api-conventions.md, "Differences from Contentstack"): one variant group, one "cs…" uid per variant shortUid. */
export const ExperienceCms = z
  .object({ variantGroup: z.string(), variants: z.record(z.string(), z.string()) })
  .meta({ id: 'ExperienceCms' });

export const Experience = z
  .object({
    uid: Uid,
    _id: Uid,
    name: z.string(),
    description: z.string(),
    __type: ExperienceType,
    shortUid: z.string().describe('Base-36 per-project counter, never reused'),
    status: ExperienceStatus.describe('Derived: ACTIVE if a version is active, else PAUSED if one is paused, else DRAFT'),
    latestVersion: Uid.describe('The newest non-archived version'),
    tags: z.array(z.string()),
    _cms: ExperienceCms.optional().describe('Present once a version has variants'),
    referredAudiences: z.array(z.string()).describe('Audience uids used by non-archived versions (variants and target group)'),
    referredLyticsAudiences: z.array(z.string()),
    priority: z.number().int().describe('1-based position in the priority order (1 = highest)'),
    activatedAt: Timestamp.nullable(),
    activatedBy: z.string().nullable(),
    activatedByUserName: z.string().nullable(),
    project: Uid,
    version: ResourceVersion,
    ...AuditFields.shape,
  })
  .meta({ id: 'Experience' });

/**
 * Create body. The Contentstack CLI re-posts whole exported experiences: every server-owned
 * field (`uid`, `_id`, `shortUid`, `status`, `latestVersion`, `_cms`, …) is ignored.
 */
export const ExperienceCreateRequest = z.object({
  name: ResourceName,
  description: ResourceDescription,
  __type: ExperienceType,
  tags: Tags.nullish(),
});

/** Experience-level fields only; patch semantics (absent = unchanged, null clears). */
export const ExperienceUpdateRequest = z.object({
  name: ResourceName.optional(),
  description: ResourceDescription,
  __type: ExperienceType.optional(),
  tags: Tags.nullish(),
  version: ResourceVersion.optional(),
});

/** Variant payloads are opaque JSON for teams without a CMS (docs/api-conventions.md, "Extensions"), at most 16 KB. */
const Payload = z.unknown().describe('Any JSON, at most 16 KB serialized; returned by /edge/manifest?include=payload');

const VariantShortUid = z
  .union([z.string(), z.number().int().nonnegative()])
  .describe('Kept only when it names a variant already known in this experience; omitted → a new one is assigned');

/**
 * One schema for both variant kinds: `__type` may be omitted (taken from the experience type), and
 * the kind-specific rules run in the server so their errors carry paths like `variants[2].audiences`.
 */
export const VariantInput = z
  .object({
    __type: z.enum(['SegmentedVariant', 'ABTestVariant']).optional(),
    shortUid: VariantShortUid.nullish(),
    name: ResourceName,
    audiences: z.array(Uid).nullish().describe('SegmentedVariant: audience uids of this project'),
    lyticsAudiences: z.array(z.string()).nullish().describe('Not supported: must be absent or empty'),
    audienceCombinationType: CombinationType.nullish().describe('SegmentedVariant: required'),
    trafficDistribution: z.number().min(0).max(100).nullish().describe('ABTestVariant: percent, ≤ 2 decimals'),
    payload: Payload.optional(),
  })
  .meta({ id: 'VariantInput' });

export const SegmentedVariant = z
  .object({
    __type: z.literal('SegmentedVariant'),
    shortUid: z.string(),
    name: z.string(),
    audiences: z.array(z.string()),
    lyticsAudiences: z.array(z.string()),
    audienceCombinationType: CombinationType,
    payload: Payload.optional(),
  })
  .meta({ id: 'SegmentedVariant' });

export const ABTestVariant = z
  .object({
    __type: z.literal('ABTestVariant'),
    shortUid: z.string(),
    name: z.string(),
    trafficDistribution: z.number(),
    payload: Payload.optional(),
  })
  .meta({ id: 'ABTestVariant' });

export const Variant = z.discriminatedUnion('__type', [SegmentedVariant, ABTestVariant]);

export const AudienceTargeting = z
  .object({
    audience: z.object({ audiences: z.array(z.string()), audienceCombinationType: CombinationType }),
  })
  .meta({ id: 'AudienceTargeting' });

/**
 * A/B target group. Accepted: null / `{}` / empty audiences (= Everyone), the legacy
 * `{ audience: { audiences, audienceCombinationType } }` shape (what the CLI remaps) and the flat
 * `{ audiences, audienceCombinationType }`. Answered in the legacy shape, or null for Everyone.
 */
export const TargetingInput = z
  .object({
    audience: z
      .object({ audiences: z.array(Uid).nullish(), audienceCombinationType: CombinationType.nullish() })
      .nullish(),
    audiences: z.array(Uid).nullish(),
    audienceCombinationType: CombinationType.nullish(),
  })
  .nullish();

export const Metric = z
  .object({
    __type: z.enum(['Primary', 'Secondary']),
    event: z.string().describe('Event uid of this project'),
    name: z.string().optional(),
  })
  .meta({ id: 'Metric' });

export const MetricInput = z.object({
  __type: z.enum(['Primary', 'Secondary'], {
    error: (i) => `NOT_VALID_ENUM: Expected "Primary" or "Secondary", received ${i.input === undefined ? 'nothing' : JSON.stringify(i.input)}`,
  }),
  event: Uid,
  name: z.string().max(200).nullish(),
});

/** `PAUSE` is what the Contentstack CLI keys a paused version by; it is read as PAUSED. */
export const VersionStatusInput = z.enum(['DRAFT', 'ACTIVE', 'PAUSED', 'PAUSE'], {
  error: (i) =>
    i.input === undefined
      ? 'STATUS_REQUIRED: Expected a status (DRAFT, ACTIVE or PAUSED), received nothing'
      : `INVALID_STATUS: Expected DRAFT, ACTIVE or PAUSED, received ${JSON.stringify(i.input)}`,
});

/**
 * Version body for POST and PUT (PUT replaces the whole version). Server-owned fields the CLI
 * re-sends (`uid`, `_id`, `createdAt`, …) are ignored. `fromVersion` (POST only, Tailor
 * extension) clones that version's variants, target group and metrics into the new draft.
 */
export const VersionWriteRequest = z.object({
  status: VersionStatusInput,
  variants: z.array(VariantInput, {
    error: (i) => `VARIANTS_NOT_ARRAY: Expected variants to be an array, received ${i.input === undefined ? 'nothing' : typeof i.input}`,
  }),
  targeting: TargetingInput,
  metrics: z.array(MetricInput, { error: 'Expected metrics to be an array' }).nullish(),
  variantSplit: VariantSplit.nullish().describe('A/B only (Tailor extension): EQUAL computes an even split (3 → 34/33/33)'),
  version: ResourceVersion.optional().describe('Counted only when the body is a copy of this version (no uid, or the same uid)'),
  uid: z.string().optional().describe('Ignored; the CLI re-sends exported versions whole, with their old uid'),
});

/** POST may omit `variants` when it clones (`fromVersion`); otherwise the same rules as PUT. */
export const VersionCreateRequest = VersionWriteRequest.extend({
  variants: VersionWriteRequest.shape.variants.optional(),
  fromVersion: z
    .union([Uid, z.literal('ACTIVE')])
    .optional()
    .describe('Tailor extension: clone this version (or "ACTIVE": the active or paused one) into the new draft'),
});

export const Version = z
  .object({
    uid: Uid,
    _id: Uid,
    experienceUid: Uid,
    versionNumber: z.number().int().describe('1-based, in creation order ("Version 2")'),
    status: VersionStatus,
    variants: z.array(Variant),
    targeting: AudienceTargeting.nullable().describe('A/B target group; null = Everyone'),
    metrics: z.array(Metric),
    variantSplit: VariantSplit.nullable().describe('A/B only; null for segmented experiences'),
    activatedAt: Timestamp.nullable(),
    activatedBy: z.string().nullable(),
    activatedByUserName: z.string().nullable(),
    archivedAt: Timestamp.nullable(),
    project: Uid,
    version: ResourceVersion,
    ...AuditFields.shape,
  })
  .meta({ id: 'Version' });

export const VersionParams = z.object({ uid: Uid, versionUid: Uid });

export const ExperiencePriority = z.object({ priorityOrder: z.array(Uid) }).meta({ id: 'ExperiencePriority' });
export const ExperiencePriorityRequest = z.object({
  priorityOrder: z.array(Uid, { error: 'Expected priorityOrder to be an array of experience uids' }),
});

export type Experience = z.infer<typeof Experience>;
export type Version = z.infer<typeof Version>;
export type Variant = z.infer<typeof Variant>;
export type VersionWriteRequest = z.infer<typeof VersionWriteRequest>;
export type VersionCreateRequest = z.infer<typeof VersionCreateRequest>;
