import { z } from 'zod';
import { ResourceDescription, ResourceName } from './attributes.js';
import { Timestamp } from './common.js';
import { DefinitionInput, MatchCondition } from './rule-tree.js';

/**
 * A proposed audience for the impact preview: the body a save would send. On an existing audience
 * an absent field keeps its saved value; a new audience needs a `definition`.
 */
export const ImpactRequest = z.object({
  name: ResourceName.optional(),
  description: ResourceDescription,
  definition: DefinitionInput.optional(),
});

export const NewAudienceImpactRequest = ImpactRequest.extend({ definition: DefinitionInput });

/** One rule that decided a visitor's move, read off the engine's explanation of both definitions. */
export const ImpactRuleChange = z.object({
  path: z.string().describe('Rule path in the definition it belongs to, e.g. definition.rules[0].rules[1]'),
  attribute: z.string().describe('Custom attribute key or preset name'),
  condition: MatchCondition.optional(),
  actual: z.unknown().optional().describe('The value the rule read'),
  before: z.boolean().nullable().describe('Whether the rule at this path matched under the saved definition (null: no such rule)'),
  after: z.boolean().nullable().describe('Whether it matches under the proposed definition (null: the rule was removed)'),
  reason: z.string(),
});

export const ImpactExample = z
  .object({
    visitorUid: z.string(),
    lastSeenAt: Timestamp,
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    presets: z.record(z.string(), z.string()),
    rules: z.array(ImpactRuleChange),
    variants: z.array(z.object({ experienceUid: z.string(), experienceName: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
  })
  .meta({ id: 'ImpactExample' });

export const ImpactTransition = z.object({
  from: z.string().nullable().describe('Variant shortUid under the saved audience (null: no variant)'),
  to: z.string().nullable().describe('Variant shortUid under the proposed audience (null: no variant)'),
  visitors: z.number().int(),
});

export const ImpactExperience = z
  .object({
    uid: z.string(),
    name: z.string(),
    status: z.string(),
    versionUid: z.string(),
    variants: z.array(z.object({ shortUid: z.string(), name: z.string() })).describe('The ACTIVE version\'s variants, to name the transitions'),
    visitorsChangingVariant: z.number().int(),
    transitions: z.array(ImpactTransition).describe('Most visitors first'),
  })
  .meta({ id: 'ImpactExperience' });

export const ImpactPreview = z
  .object({
    audienceUid: z.string().nullable(),
    sampleSize: z.number().int().describe('Recent visitors evaluated (all of them unless partial)'),
    available: z.number().int().describe('Recent visitors on record for the project (up to 50,000)'),
    window: z.object({ from: Timestamp.nullable(), to: Timestamp.nullable() }).describe('Oldest and newest last-seen time in the sample'),
    before: z.number().int().describe('Sampled visitors in the saved audience'),
    after: z.number().int().describe('Sampled visitors in the proposed audience'),
    joined: z.number().int(),
    left: z.number().int(),
    unchanged: z.number().int(),
    experiences: z.array(ImpactExperience).describe('ACTIVE experiences whose decision uses the audience, in priority order'),
    examples: z.object({ joined: z.array(ImpactExample), left: z.array(ImpactExample) }),
    partial: z.boolean().describe('True when the time budget ran out before the whole sample was evaluated'),
    elapsedMs: z.number().int(),
    message: z.string().optional(),
  })
  .meta({ id: 'ImpactPreview' });

/** The headline figures of a preview, sent with the save and kept in the revision (ADR 0071). */
export const ImpactFigures = z
  .object({
    sampleSize: z.number().int().min(0),
    joined: z.number().int().min(0),
    left: z.number().int().min(0),
    visitorsChangingVariant: z.number().int().min(0),
  })
  .meta({ id: 'ImpactFigures' });

export type ImpactRequest = z.infer<typeof ImpactRequest>;
export type ImpactPreview = z.infer<typeof ImpactPreview>;
export type ImpactExample = z.infer<typeof ImpactExample>;
export type ImpactExperience = z.infer<typeof ImpactExperience>;
export type ImpactRuleChange = z.infer<typeof ImpactRuleChange>;
export type ImpactFigures = z.infer<typeof ImpactFigures>;

const count = (n: number) => n.toLocaleString('en-US');

/**
 * One line for the audit log, analytics annotations and History, e.g. "saved with 1,240 of
 * 50,000 recent visitors joining, 12 leaving, 310 changing variant". Shared so the three agree.
 */
export function describeImpactFigures(f: ImpactFigures): string {
  const parts = [`${count(f.joined)} of ${count(f.sampleSize)} recent visitors joining`];
  parts.push(`${count(f.left)} leaving`);
  if (f.visitorsChangingVariant > 0) parts.push(`${count(f.visitorsChangingVariant)} changing variant`);
  return `saved with ${parts.join(', ')}`;
}
