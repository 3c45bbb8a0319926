import { z } from 'zod';
import { AuditFields } from './common.js';
import { ResourceDescription, ResourceVersion } from './attributes.js';

/** Event keys are what `triggerEvent(key)` sends: trimmed, 1–100 visible characters, case-sensitive. */
export const EventKey = z
  .string({ error: (i) => `Expected a key string, received ${i.input === undefined ? 'nothing' : typeof i.input}` })
  .trim()
  .min(1, 'Expected a non-empty key, received an empty or whitespace-only string')
  .max(100, 'Expected a key of at most 100 characters')
  .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127), 'Expected a key without control characters');

export const Event = z
  .object({
    uid: z.string(),
    key: z.string(),
    description: z.string(),
    project: z.string(),
    _id: z.string().optional().describe('Same as uid (the Contentstack CLI strips it on export)'),
    version: ResourceVersion,
    ...AuditFields.shape,
    referenceCount: z.number().int().optional().describe('Experiences whose metrics use it (list responses only)'),
  })
  .meta({ id: 'Event' });

export const EventCreateRequest = z.object({ key: EventKey, description: ResourceDescription });
export const EventUpdateRequest = z.object({ key: EventKey.optional(), description: ResourceDescription, version: ResourceVersion.optional() });

export type Event = z.infer<typeof Event>;
