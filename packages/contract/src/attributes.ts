import { z } from 'zod';
import { AuditFields, Uid } from './common.js';
import { PresetKey } from './rule-tree.js';

/**
 * Attribute keys are what edge clients send (`Personalize.set({ plan: 'gold' })`): a letter, then
 * up to 63 letters, digits, `_` or `-` (ADR 0023). Case-sensitive, unique per project.
 */
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** A resource's optimistic-concurrency counter; also sent as the ETag (ADR 0020). */
export const ResourceVersion = z.number().int().min(1).describe('Concurrency version: send it back (or as If-Match) to refuse stale writes');

/** Names are trimmed; whitespace-only is empty. */
export const ResourceName = z
  .string({ error: (i) => `Expected a name string, received ${i.input === undefined ? 'nothing' : typeof i.input}` })
  .trim()
  .min(1, 'Expected a non-empty name, received an empty or whitespace-only string')
  .max(200, 'Expected a name of at most 200 characters');

export const ResourceDescription = z
  .string({ error: (i) => `Expected a description string or null, received ${typeof i.input}` })
  .max(2000, 'Expected a description of at most 2000 characters')
  .nullish();

export const AttributeKey = z
  .string({ error: (i) => `Expected a key string, received ${i.input === undefined ? 'nothing' : typeof i.input}` })
  .trim()
  .regex(ATTRIBUTE_KEY_PATTERN, 'Expected a key of a letter then up to 63 letters, digits, "_" or "-" (e.g. "plan", "highValueCustomer")');

/** What uses a resource (docs/api-conventions.md, "Extensions"). Other modules contribute experience references. */
export const Reference = z
  .object({
    kind: z.enum(['experience', 'audience']),
    uid: z.string(),
    name: z.string(),
    versionUid: z.string().optional(),
    versionStatus: z.string().optional(),
    via: z.enum(['variant', 'targeting', 'metric', 'rule']),
    path: z.string().optional().describe('Where in the referring resource, e.g. definition.rules[1].attribute'),
    blocking: z.boolean().describe('True when it prevents deleting the resource (a non-archived version, or an audience rule)'),
  })
  .meta({ id: 'Reference' });

export const Warning = z.object({ code: z.string(), message: z.string() }).meta({ id: 'Warning' });

export const PresetAttribute = z
  .object({ uid: PresetKey, name: z.string(), description: z.string(), __type: z.literal('PRESET') })
  .meta({ id: 'PresetAttribute' });

export const CustomAttribute = z
  .object({
    uid: z.string(),
    name: z.string(),
    key: z.string(),
    description: z.string(),
    project: z.string(),
    __type: z.literal('CUSTOM'),
    _id: z.string().optional().describe('Same as uid (the Contentstack CLI strips it on export)'),
    version: ResourceVersion,
    ...AuditFields.shape,
    referenceCount: z.number().int().optional().describe('Audiences whose rules use it (list responses only)'),
    warnings: z.array(Warning).optional().describe('Present when the write succeeded but needs attention, e.g. a changed key'),
  })
  .meta({ id: 'CustomAttribute' });

export const Attribute = z.discriminatedUnion('__type', [PresetAttribute, CustomAttribute]);

export const AttributeCreateRequest = z.object({ name: ResourceName, key: AttributeKey, description: ResourceDescription });
export const AttributeUpdateRequest = z.object({
  name: ResourceName.optional(),
  key: AttributeKey.optional(),
  description: ResourceDescription,
  version: ResourceVersion.optional(),
});

/** `:uid` of an attribute route: a custom uid, or a preset name (which is read-only). */
export const AttributeUidParams = z.object({ uid: z.union([Uid, PresetKey]) });

export const ResourceUidParams = z.object({ uid: Uid });

/** Headers of a project-scoped write that may carry If-Match. */
export const ProjectHeaders = z.looseObject({
  'x-project-uid': z.string().optional().describe('The project (required)'),
  'if-match': z.string().optional().describe('ETag of the copy the change is based on; stale → 409'),
});

export type Reference = z.infer<typeof Reference>;
export type CustomAttribute = z.infer<typeof CustomAttribute>;
export type PresetAttribute = z.infer<typeof PresetAttribute>;
export type Attribute = z.infer<typeof Attribute>;
