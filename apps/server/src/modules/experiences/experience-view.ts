import {
  audiencesOf,
  deriveStatus,
  liveVersion,
  type ExperienceRecord,
  type ExperienceView,
  type VersionRecord,
} from './experience.js';

/**
 * Derives what an experience shows from its record and its non-archived versions (newest first):
 * status, latestVersion, activation, referred audiences. `rank` is the 1-based priority position.
 */
export function toExperienceView(record: ExperienceRecord, current: readonly VersionRecord[], rank: number): ExperienceView {
  const live = liveVersion(current);
  const latest = current[0];
  return {
    ...record,
    status: deriveStatus(current.map((v) => v.status)),
    // Every experience keeps a non-archived version (the delete rules guarantee it); '' only if the data was damaged.
    latestVersion: latest?.uid ?? '',
    rank,
    referredAudiences: [...new Set(current.flatMap((v) => audiencesOf(v)))],
    activatedAt: live?.activatedAt ?? null,
    activatedBy: live?.activatedBy ?? null,
    activatedByUserName: live?.activatedByUserName ?? null,
    hasVariants: Object.keys(record.cmsVariants).length > 0,
  };
}

/** Groups a project's current versions by experience, keeping the newest-first order. */
export function groupByExperience(versions: readonly VersionRecord[]): Map<string, VersionRecord[]> {
  const out = new Map<string, VersionRecord[]>();
  for (const v of versions) {
    const list = out.get(v.experienceUid);
    if (list) list.push(v);
    else out.set(v.experienceUid, [v]);
  }
  return out;
}

/** The Contentstack experience shape plus Tailor's fields (docs/api-conventions.md, "Identifiers and shapes", §6, §7). */
export function experienceJson(view: ExperienceView) {
  return {
    uid: view.uid,
    _id: view.uid,
    name: view.name,
    description: view.description,
    __type: view.type,
    shortUid: view.shortUid,
    status: view.status,
    latestVersion: view.latestVersion,
    tags: view.tags,
    ...(view.hasVariants ? { _cms: { variantGroup: view.variantGroup, variants: view.cmsVariants } } : {}),
    referredAudiences: view.referredAudiences,
    referredLyticsAudiences: [] as string[],
    priority: view.rank,
    activatedAt: view.activatedAt,
    activatedBy: view.activatedBy,
    activatedByUserName: view.activatedByUserName,
    project: view.projectUid,
    version: view.version,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    createdBy: view.createdBy,
    updatedBy: view.updatedBy,
    createdByUserName: view.createdByUserName,
    updatedByUserName: view.updatedByUserName,
  };
}

export function versionJson(v: VersionRecord) {
  return {
    uid: v.uid,
    _id: v.uid,
    experienceUid: v.experienceUid,
    versionNumber: v.versionNumber,
    status: v.status,
    variants: v.variants,
    targeting: v.targeting ? { audience: { audiences: v.targeting.audiences, audienceCombinationType: v.targeting.audienceCombinationType } } : null,
    metrics: v.metrics,
    variantSplit: v.variantSplit,
    activatedAt: v.activatedAt,
    activatedBy: v.activatedBy,
    activatedByUserName: v.activatedByUserName,
    archivedAt: v.archivedAt,
    project: v.projectUid,
    version: v.version,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    createdBy: v.createdBy,
    updatedBy: v.updatedBy,
    createdByUserName: v.createdByUserName,
    updatedByUserName: v.updatedByUserName,
  };
}

export type ExperienceJson = ReturnType<typeof experienceJson>;
export type VersionJson = ReturnType<typeof versionJson>;
