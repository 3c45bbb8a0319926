import { z } from 'zod';
import { Timestamp } from './common.js';
import { ProjectLimits } from './projects.js';
import { CombinationType, ExperienceType, VariantSplit, VersionStatus } from './experiences.js';

/**
 * The project file (ADR 0060): one JSON document holding a whole project, written by
 * `GET /api/projects/{uid}/export` and `tailor project export`, read by `POST /api/projects/import`
 * and `tailor project import`. References between items use the source project's uids; the import
 * mints new ones and rewrites every reference.
 */
export const PROJECT_FILE_FORMAT = 'tailor-project';
export const PROJECT_FILE_VERSION = 1;
/** Larger than the API's default body limit: imports get their own (413 beyond). */
export const PROJECT_FILE_MAX_BYTES = 50 * 1024 * 1024;

/** A uid of the source project; only used to resolve references inside the file. */
const FileUid = z.string().min(1).max(100);
const Text = z.string().max(10_000);

export const ProjectFileAttribute = z.object({ uid: FileUid, key: z.string(), name: z.string(), description: Text.default('') });

export const ProjectFileAudienceRevision = z.object({
  number: z.number().int().min(1),
  action: z.enum(['created', 'updated', 'restored']),
  name: z.string(),
  description: Text.default(''),
  definition: z.unknown().describe('A RuleCombination, as in the audience API'),
  createdAt: Timestamp,
  createdByUserName: z.string(),
});

export const ProjectFileAudience = z.object({
  uid: FileUid,
  name: z.string(),
  description: Text.default(''),
  definition: z.unknown().describe('A RuleCombination; validated by the engine against the file\'s attributes'),
  history: z.array(ProjectFileAudienceRevision).optional().describe('Oldest first; only in exports made with history'),
});

export const ProjectFileEvent = z.object({ uid: FileUid, key: z.string(), description: Text.default('') });

export const ProjectFileVariant = z.object({
  __type: z.enum(['SegmentedVariant', 'ABTestVariant']),
  shortUid: z.string(),
  name: z.string(),
  audiences: z.array(FileUid).optional(),
  lyticsAudiences: z.array(z.string()).optional(),
  audienceCombinationType: CombinationType.optional(),
  trafficDistribution: z.number().optional(),
  payload: z.unknown().optional(),
});

export const ProjectFileVersion = z.object({
  uid: FileUid,
  versionNumber: z.number().int().min(1),
  status: VersionStatus,
  variants: z.array(ProjectFileVariant),
  targeting: z.object({ audience: z.object({ audiences: z.array(FileUid), audienceCombinationType: CombinationType }) }).nullable(),
  metrics: z.array(z.object({ __type: z.enum(['Primary', 'Secondary']), event: FileUid, name: z.string().optional() })),
  variantSplit: VariantSplit.nullable(),
  activatedAt: Timestamp.nullable(),
  archivedAt: Timestamp.nullable(),
});

export const ProjectFileExperience = z.object({
  uid: FileUid,
  shortUid: z.string(),
  name: z.string(),
  description: Text.default(''),
  __type: ExperienceType,
  tags: z.array(z.string()).default([]),
  versions: z.array(ProjectFileVersion).min(1, 'Expected at least one version'),
});

export const ProjectFile = z
  .object({
    format: z.literal(PROJECT_FILE_FORMAT),
    formatVersion: z.literal(PROJECT_FILE_VERSION),
    exportedAt: Timestamp,
    source: z.object({ projectUid: z.string(), projectName: z.string() }).optional(),
    project: z.object({
      name: z.string(),
      description: Text.default(''),
      limits: ProjectLimits.partial().optional().describe('Only the limits an org Owner raised or lowered; applied to a new project'),
    }),
    attributes: z.array(ProjectFileAttribute),
    audiences: z.array(ProjectFileAudience),
    events: z.array(ProjectFileEvent),
    experiences: z.array(ProjectFileExperience),
    priority: z.array(FileUid).describe('Experience uids, highest priority first'),
  })
  .meta({ id: 'ProjectFile' });

export const ExportQuery = z.object({
  withHistory: z.stringbool().optional().describe('Include every audience revision (default false)'),
});

export const ImportQuery = z.object({
  dryRun: z.stringbool().optional().describe('Validate and rehearse the import, then roll it back; answers 200 with the report'),
  into: z.string().max(100).optional().describe('Import into this existing, empty project instead of creating one'),
  name: z.string().max(200).optional().describe("Name of the new project (default: the file's project name)"),
});

const Counts = z.object({
  attributes: z.number().int(),
  audiences: z.number().int(),
  audienceRevisions: z.number().int(),
  events: z.number().int(),
  experiences: z.number().int(),
  versions: z.number().int(),
});

export const ImportIssue = z.object({ path: z.string(), message: z.string() });

export const ImportReport = z
  .object({
    dryRun: z.boolean(),
    ok: z.boolean().describe('false only in a dry run that found problems'),
    project: z.object({ uid: z.string().nullable().describe('null in a dry run of a new project'), name: z.string() }),
    created: Counts.describe('What was (or, in a dry run, would be) created'),
    problems: z.array(ImportIssue).describe('Why the import would fail; empty when ok'),
    warnings: z.array(ImportIssue).describe('What was imported differently, e.g. history revisions that no longer resolve'),
  })
  .meta({ id: 'ImportReport' });

export type ProjectFile = z.infer<typeof ProjectFile>;
export type ProjectFileExperience = z.infer<typeof ProjectFileExperience>;
export type ProjectFileVersion = z.infer<typeof ProjectFileVersion>;
export type ImportIssue = z.infer<typeof ImportIssue>;
export type ImportReport = z.infer<typeof ImportReport>;
