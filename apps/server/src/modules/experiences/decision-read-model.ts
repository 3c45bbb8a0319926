import type { Kysely } from 'kysely';
import { fromJson } from '../../db/mappers.js';
import type { Database } from '../../db/schema.js';
import { deriveStatus } from './experience.js';
import { listExperiences } from './experience-repository.js';
import { groupByExperience } from './experience-view.js';
import { listCurrentVersions } from './version-repository.js';

export interface ExperienceDecisionInput {
  uid: string;
  shortUid: string;
  type: 'SEGMENTED' | 'AB_TEST';
  tags: string[];
  status: 'DRAFT' | 'ACTIVE' | 'PAUSED';
  active: null | {
    versionUid: string;
    activatedAt: string;
    variants: Array<{
      shortUid: string;
      name: string;
      audiences?: string[];
      audienceCombinationType?: 'AND' | 'OR';
      trafficDistribution?: number;
      payload?: unknown;
    }>;
    targeting: null | { audiences: string[]; audienceCombinationType: 'AND' | 'OR' };
  };
  paused: boolean;
}

/** Every experience of the project in priority order (highest first) with its ACTIVE (or PAUSED → active:null, paused:true) version. */
export async function listExperiencesForDecisions(db: Kysely<Database>, projectUid: string): Promise<ExperienceDecisionInput[]> {
  const records = await listExperiences(db, projectUid);
  const current = groupByExperience(await listCurrentVersions(db, projectUid));
  return records.map((e) => {
    const versions = current.get(e.uid) ?? [];
    const active = versions.find((v) => v.status === 'ACTIVE');
    return {
      uid: e.uid,
      shortUid: e.shortUid,
      type: e.type,
      tags: e.tags,
      status: deriveStatus(versions.map((v) => v.status)),
      active: active
        ? {
            versionUid: active.uid,
            activatedAt: active.activatedAt ?? active.updatedAt,
            variants: active.variants.map((v) => {
              const payload = v.payload === undefined ? {} : { payload: v.payload };
              return v.__type === 'SegmentedVariant'
                ? { shortUid: v.shortUid, name: v.name, audiences: v.audiences, audienceCombinationType: v.audienceCombinationType, ...payload }
                : { shortUid: v.shortUid, name: v.name, trafficDistribution: v.trafficDistribution, ...payload };
            }),
            targeting: active.targeting,
          }
        : null,
      paused: !active && versions.some((v) => v.status === 'PAUSED'),
    };
  });
}

/** For /edge/events: impressions name experiences and variants by shortUid. */
export async function findExperiencesByShortUids(
  db: Kysely<Database>,
  projectUid: string,
  shortUids: string[],
): Promise<Array<{ uid: string; shortUid: string; activeVersionUid: string | null; variantShortUids: string[] }>> {
  if (shortUids.length === 0) return [];
  const rows = await db
    .selectFrom('experiences')
    .leftJoin('experience_versions as active', (join) =>
      join.onRef('active.experience_uid', '=', 'experiences.uid').on('active.status', '=', 'ACTIVE'),
    )
    .select(['experiences.uid', 'experiences.short_uid', 'active.uid as active_uid', 'experiences.cms_variants'])
    .where('experiences.project_uid', '=', projectUid)
    .where('experiences.short_uid', 'in', [...new Set(shortUids)])
    .execute();
  return rows.map((r) => ({
    uid: r.uid,
    shortUid: r.short_uid,
    activeVersionUid: r.active_uid ?? null,
    // Every shortUid any version of the experience uses (the `_cms` map keys): impressions of an archived variant still count.
    variantShortUids: Object.keys(fromJson<Record<string, string>>(r.cms_variants) ?? {}),
  }));
}

/** For the projects list: active experience count per project. */
export async function countActiveExperiences(db: Kysely<Database>, projectUids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(projectUids.map((uid) => [uid, 0]));
  if (projectUids.length === 0) return out;
  const rows = await db
    .selectFrom('experience_versions')
    .select(['project_uid', (eb) => eb.fn.count<string | number>('experience_uid').distinct().as('n')])
    .where('project_uid', 'in', projectUids)
    .where('status', '=', 'ACTIVE')
    .groupBy('project_uid')
    .execute();
  for (const row of rows) out.set(row.project_uid, Number(row.n));
  return out;
}
