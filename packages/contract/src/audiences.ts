import { z } from 'zod';
import { AuditFields, BusinessError, Timestamp, ValidationErrors } from './common.js';
import { Reference, ResourceDescription, ResourceName, ResourceVersion } from './attributes.js';
import { ImpactFigures } from './impact.js';
import { DefinitionInput, Rule, RuleCombination } from './rule-tree.js';

export const Audience = z
  .object({
    uid: z.string(),
    name: z.string(),
    description: z.string(),
    definition: RuleCombination,
    project: z.string(),
    _id: z.string().optional().describe('Same as uid (the Contentstack CLI strips it on export)'),
    version: ResourceVersion,
    ...AuditFields.shape,
    referenceCount: z.number().int().optional().describe('Experiences that use it (list responses only)'),
  })
  .meta({ id: 'Audience' });

export const AudienceCreateRequest = z.object({
  name: ResourceName,
  description: ResourceDescription,
  definition: DefinitionInput,
  source: z.string().optional().describe('Only Lytics audiences carry one; they cannot be created (400)'),
  impact: ImpactFigures.optional().describe('Headline figures of the impact preview the user saw; kept in the revision (ADR 0071)'),
});

export const AudienceUpdateRequest = z.object({
  name: ResourceName.optional(),
  description: ResourceDescription,
  definition: DefinitionInput.optional(),
  version: ResourceVersion.optional(),
  impact: ImpactFigures.optional().describe('Headline figures of the impact preview the user saw; kept in the revision (ADR 0071)'),
});

export const RestoreRequest = z.object({ version: ResourceVersion.optional() }).nullish().describe('Optional: { version } of the copy the restore is based on');

const FieldChange = z.object({ from: z.string().nullable(), to: z.string().nullable() });

/** What one revision changed, for diffs and the audit log (ADR 0021). Paths start at `definition`. */
export const ChangeSummary = z
  .object({
    name: FieldChange.optional(),
    description: FieldChange.optional(),
    rules: z.object({
      added: z.array(z.object({ path: z.string(), rule: Rule })),
      removed: z.array(z.object({ path: z.string(), rule: Rule })),
      changed: z.array(
        z.object({
          path: z.string().describe('A rule, or a group\'s ".combinationType"'),
          from: z.union([Rule, z.string()]),
          to: z.union([Rule, z.string()]),
        }),
      ),
    }),
    restoredFrom: z.number().int().optional(),
    impact: ImpactFigures.optional().describe('The impact preview shown before this save, as the client reported it (ADR 0071)'),
  })
  .meta({ id: 'ChangeSummary' });

export const AudienceRevision = z
  .object({
    audienceUid: z.string(),
    number: z.number().int().describe('Equals the audience version it produced'),
    action: z.enum(['created', 'updated', 'restored']),
    restoredFrom: z.number().int().nullable(),
    name: z.string(),
    description: z.string(),
    definition: RuleCombination,
    summary: ChangeSummary,
    createdAt: Timestamp,
    createdBy: z.string(),
    createdByUserName: z.string(),
  })
  .meta({ id: 'AudienceRevision' });

export const RevisionParams = z.object({
  uid: z.string().regex(/^[0-9a-f]{24}$/, 'Expected a 24-character lowercase hex uid'),
  number: z.coerce.number({ error: 'Expected a revision number' }).int('Expected a whole revision number').min(1, 'Expected a revision number of at least 1'),
});

/**
 * 400 of audience writes. BusinessError comes first: a union tries members in order, and
 * RULE_COUNT_EXCEEDED carries both `error` and `errors`, which ValidationErrors alone would strip.
 */
export const AudienceBadRequest = z.union([BusinessError, ValidationErrors]).describe('Invalid input (paths in errors) or a broken rule (error code, possibly with errors)');

/** 409 bodies: a stale version carries `current`, a still-referenced resource its `references`. */
export const ConflictBody = BusinessError.extend({
  current: z.unknown().optional().describe('The server copy, on VERSION_CONFLICT'),
  references: z.array(Reference).optional().describe('What still uses it, on REFERENCED'),
}).meta({ id: 'ConflictError' });

export type Audience = z.infer<typeof Audience>;
export type AudienceRevision = z.infer<typeof AudienceRevision>;
export type ChangeSummary = z.infer<typeof ChangeSummary>;
