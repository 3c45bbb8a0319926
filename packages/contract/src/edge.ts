import { z } from 'zod';

/**
 * Edge API bodies (spec §3, real-clients.md §1): what `@contentstack/personalize-edge-sdk` sends
 * and reads. Shapes are Contentstack's; Tailor's extensions are optional fields only.
 */

/** DEVICE_TYPE values derived from the user-agent (ADR 0042). */
export const DEVICE_TYPES = ['MOBILE', 'TABLET', 'DESKTOP'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** OPERATING_SYSTEM values derived from the user-agent (ADR 0042); other systems give no value. */
export const OPERATING_SYSTEMS = ['WINDOWS', 'MACOS', 'IOS', 'ANDROID', 'LINUX', 'CHROMEOS'] as const;
export type OperatingSystem = (typeof OPERATING_SYSTEMS)[number];

/** Request headers of the Edge API; lower-case as Node gives them. */
export const EDGE_HEADERS = {
  projectUid: 'x-project-uid',
  userUid: 'x-cs-personalize-user-uid',
  pageUrl: 'x-page-url',
  liveAttributes: 'x-live-attributes',
} as const;

/** Limits of the Edge API (ADR 0041). */
export const EDGE_LIMITS = {
  visitorUidLength: 128,
  tags: 10,
  liveAttributesBytes: 8 * 1024,
  attributeValueBytes: 1024,
  attributesPerPatch: 50,
  eventsPerBatch: 100,
} as const;

export const EdgeManifestQuery = z.object({
  'tags[]': z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('Experience tags, OR-combined, case-insensitive, at most 10'),
  include: z.enum(['payload']).optional().describe("Tailor extension: 'payload' adds each active variant's payload"),
});

export const EdgeManifestExperience = z.object({
  shortUid: z.string(),
  activeVariantShortUid: z.string().nullable(),
  payload: z.unknown().optional().describe('With ?include=payload: the active variant payload, or null'),
});

export const EdgeManifest = z
  .object({
    experiences: z.array(EdgeManifestExperience).describe('All active experiences, in priority order (highest first)'),
    // Optional in the type only so the route handler need not build it: the manifest serializer always writes it.
    activeVariants: z.record(z.string(), z.string().nullable()).optional().describe('The same decisions as a map (the SDK cookie format); always sent'),
  })
  .meta({ id: 'EdgeManifest' });
export type EdgeManifest = z.infer<typeof EdgeManifest>;

export const EdgeAttributeValue = z.union([z.string(), z.number(), z.boolean()]);

/** Merge-patch: a value sets the key, `null` removes it. Checked further by the service. */
export const UserAttributesPatch = z.record(z.string(), z.union([EdgeAttributeValue, z.null()])).meta({ id: 'UserAttributesPatch' });

export const MergeUsersRequest = z
  .object({
    sourceUserUid: z.string().min(1).max(EDGE_LIMITS.visitorUidLength),
    targetUserUid: z.string().min(1).max(EDGE_LIMITS.visitorUidLength),
  })
  .meta({ id: 'MergeUsersRequest' });

export const ImpressionItem = z.object({
  type: z.literal('IMPRESSION'),
  experienceShortUid: z.string().min(1).max(64),
  variantShortUid: z.string().min(1).max(64),
});
export const ConversionItem = z.object({
  type: z.literal('EVENT'),
  eventKey: z.string().min(1).max(256),
});
export const EdgeEventItem = z.discriminatedUnion('type', [ImpressionItem, ConversionItem]);
export type EdgeEventItem = z.infer<typeof EdgeEventItem>;

export const EdgeEventBatch = z
  .array(EdgeEventItem)
  .max(EDGE_LIMITS.eventsPerBatch, `Expected at most ${EDGE_LIMITS.eventsPerBatch} events per request`)
  .meta({ id: 'EdgeEventBatch' });

export const RejectedEvent = z.object({ index: z.number().int(), reason: z.string() });

/** The answer to a batch: how many items were stored and which were refused (ADR 0043). */
export const EdgeEventsResult = z
  .object({
    accepted: z.number().int().describe('Items stored (repeated impressions are stored once)'),
    rejected: z.array(RejectedEvent).describe('Items refused, by index in the batch'),
  })
  .meta({ id: 'EdgeEventsResult' });

export const EdgeEventsPartialError = z
  .object({
    error: z.literal('personalize.EVENTS.PARTIALLY_REJECTED'),
    message: z.string(),
    accepted: z.number().int(),
    rejected: z.array(RejectedEvent),
  })
  .meta({ id: 'EdgeEventsPartialError' });
