import { z } from 'zod';
import { AuditFields, Uid } from './common.js';

export const ProjectRole = z.enum(['OWNER', 'MEMBER']);

const ProjectName = z
  .string()
  .trim()
  .min(1, 'Expected a name of 1 to 200 characters')
  .max(200, 'Expected a name of 1 to 200 characters');
const ProjectDescription = z.string().max(2000, 'Expected at most 2000 characters');
/** A CMS stack api key; null or absent means "not connected". */
const StackApiKey = z.string().trim().min(1).max(100);

/** Per-project limits (spec §1.9). Overrides are set by an org Owner only. */
export const ProjectLimits = z
  .object({
    attributes: z.number().int(),
    audiences: z.number().int(),
    events: z.number().int(),
    experiences: z.number().int(),
    rulesPerAudience: z.number().int(),
    variantsPerExperience: z.number().int(),
    audiencesPerVariant: z.number().int(),
  })
  .meta({ id: 'ProjectLimits' });

/** The Contentstack project shape plus Tailor's console fields (userCount, currentUserRole, canManage). */
export const Project = z
  .object({
    uid: Uid,
    _id: Uid,
    name: z.string(),
    description: z.string(),
    organizationUid: z.string(),
    connectedStackApiKey: z.string().nullable(),
    audienceCount: z.number().int(),
    activeExperienceCount: z.number().int(),
    userCount: z.number().int(),
    /** The caller's own project role; null for org Owners/Admins who are not members. */
    currentUserRole: ProjectRole.nullable(),
    /** True for project Owners and org Owners/Admins: they may change settings and users. */
    canManage: z.boolean(),
    limits: ProjectLimits,
  })
  .extend(AuditFields.shape)
  .meta({ id: 'Project' });

export const ProjectListQuery = z.object({
  connectedStackApiKey: z.string().max(100).optional(),
});

/** The org header the Contentstack CLI sends on /projects; when present it must name this organization. */
export const OrganizationHeader = z.looseObject({ organization_uid: z.string().max(100).optional() });

export const CreateProjectRequest = z.object({
  name: ProjectName,
  description: ProjectDescription.default(''),
  connectedStackApiKey: StackApiKey.nullable().optional(),
});

/** Patch: an absent field is unchanged, null clears (description becomes ''), a value sets. */
export const UpdateProjectRequest = z.object({
  name: ProjectName.optional(),
  description: ProjectDescription.nullable().optional(),
  connectedStackApiKey: StackApiKey.nullable().optional(),
});

const LimitOverride = z.number().int().min(1).max(100_000).nullable().optional();

/** Patch of the per-project limit overrides: a number sets, null returns to the default. */
export const UpdateProjectLimitsRequest = z.object({
  attributes: LimitOverride,
  audiences: LimitOverride,
  events: LimitOverride,
  experiences: LimitOverride,
  rulesPerAudience: LimitOverride,
  variantsPerExperience: LimitOverride,
  audiencesPerVariant: LimitOverride,
});

export const ProjectParams = z.object({ uid: z.string().max(100) });

export type Project = z.infer<typeof Project>;
export type ProjectRole = z.infer<typeof ProjectRole>;
export type CreateProjectRequest = z.infer<typeof CreateProjectRequest>;
export type UpdateProjectRequest = z.infer<typeof UpdateProjectRequest>;
export type UpdateProjectLimitsRequest = z.infer<typeof UpdateProjectLimitsRequest>;
