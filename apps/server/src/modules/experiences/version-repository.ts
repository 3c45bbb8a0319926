import type { Kysely, Selectable } from 'kysely';
import { fromJson, toIso, toJson } from '../../db/mappers.js';
import type { Database, ExperienceVersionReferencesTable, ExperienceVersionsTable } from '../../db/schema.js';
import type { AuditStamp, Metric, Targeting, Variant, VersionContent, VersionRecord, VersionStatus } from './experience.js';

type Executor = Kysely<Database>;

function isoOrNull(value: string | Date | null): string | null {
  return value === null ? null : toIso(value);
}

export function toVersionRecord(row: Selectable<ExperienceVersionsTable>): VersionRecord {
  return {
    uid: row.uid,
    projectUid: row.project_uid,
    experienceUid: row.experience_uid,
    versionNumber: row.number,
    status: row.status,
    variants: fromJson<Variant[]>(row.variants) ?? [],
    targeting: row.targeting === null ? null : fromJson<Targeting | null>(row.targeting),
    metrics: fromJson<Metric[]>(row.metrics) ?? [],
    variantSplit: row.variant_split,
    activatedAt: isoOrNull(row.activated_at),
    activatedBy: row.activated_by,
    activatedByUserName: row.activated_by_user_name,
    archivedAt: isoOrNull(row.archived_at),
    version: row.version,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdByUserName: row.created_by_user_name,
    updatedByUserName: row.updated_by_user_name,
  };
}

/** Versions of one experience, newest first (Contentstack clients read `[0]` as the latest). */
export async function listVersions(db: Executor, projectUid: string, experienceUid: string): Promise<VersionRecord[]> {
  const rows = await db
    .selectFrom('experience_versions')
    .selectAll()
    .where('project_uid', '=', projectUid)
    .where('experience_uid', '=', experienceUid)
    .orderBy('number', 'desc')
    .execute();
  return rows.map(toVersionRecord);
}

/** Non-archived versions (the draft and the live one) of every experience of a project, newest first. */
export async function listCurrentVersions(db: Executor, projectUid: string): Promise<VersionRecord[]> {
  const rows = await db
    .selectFrom('experience_versions')
    .selectAll()
    .where('project_uid', '=', projectUid)
    .where('status', '!=', 'ARCHIVED')
    .orderBy('number', 'desc')
    .execute();
  return rows.map(toVersionRecord);
}

export async function findVersion(db: Executor, projectUid: string, experienceUid: string, uid: string): Promise<VersionRecord | undefined> {
  const row = await db
    .selectFrom('experience_versions')
    .selectAll()
    .where('project_uid', '=', projectUid)
    .where('experience_uid', '=', experienceUid)
    .where('uid', '=', uid)
    .executeTakeFirst();
  return row ? toVersionRecord(row) : undefined;
}

export interface NewVersion extends VersionContent {
  uid: string;
  projectUid: string;
  experienceUid: string;
  versionNumber: number;
  stamp: AuditStamp;
  /** DRAFT unless created live (the CLI re-creating an exported ACTIVE or PAUSED version). */
  status?: 'DRAFT' | 'ACTIVE' | 'PAUSED';
  activation?: { at: string; by: string; byUserName: string };
}

export async function insertVersion(trx: Executor, v: NewVersion): Promise<void> {
  await trx
    .insertInto('experience_versions')
    .values({
      uid: v.uid,
      project_uid: v.projectUid,
      experience_uid: v.experienceUid,
      number: v.versionNumber,
      status: v.status ?? 'DRAFT',
      variants: toJson(v.variants),
      targeting: v.targeting === null ? null : toJson(v.targeting),
      metrics: toJson(v.metrics),
      variant_split: v.variantSplit,
      activated_at: v.activation?.at ?? null,
      activated_by: v.activation?.by ?? null,
      activated_by_user_name: v.activation?.byUserName ?? null,
      archived_at: null,
      version: 1,
      created_at: v.stamp.createdAt,
      updated_at: v.stamp.updatedAt,
      created_by: v.stamp.createdBy,
      updated_by: v.stamp.updatedBy,
      created_by_user_name: v.stamp.createdByUserName,
      updated_by_user_name: v.stamp.updatedByUserName,
    })
    .execute();
}

export interface VersionUpdate {
  content?: VersionContent;
  status?: VersionStatus;
  activation?: { at: string; by: string; byUserName: string };
  archivedAt?: string;
  updatedAt: string;
  updatedBy: string;
  updatedByUserName: string;
}

/** Writes a version and bumps its concurrency `version`. */
export async function updateVersion(trx: Executor, uid: string, currentVersion: number, u: VersionUpdate): Promise<void> {
  await trx
    .updateTable('experience_versions')
    .set({
      ...(u.content
        ? {
            variants: toJson(u.content.variants),
            targeting: u.content.targeting === null ? null : toJson(u.content.targeting),
            metrics: toJson(u.content.metrics),
            variant_split: u.content.variantSplit,
          }
        : {}),
      ...(u.status ? { status: u.status } : {}),
      ...(u.activation ? { activated_at: u.activation.at, activated_by: u.activation.by, activated_by_user_name: u.activation.byUserName } : {}),
      ...(u.archivedAt ? { archived_at: u.archivedAt } : {}),
      version: currentVersion + 1,
      updated_at: u.updatedAt,
      updated_by: u.updatedBy,
      updated_by_user_name: u.updatedByUserName,
    })
    .where('uid', '=', uid)
    .execute();
}

export async function deleteVersion(trx: Executor, uid: string): Promise<void> {
  await trx.deleteFrom('experience_versions').where('uid', '=', uid).execute();
}

export async function maxVersionNumber(trx: Executor, experienceUid: string): Promise<number> {
  const row = await trx
    .selectFrom('experience_versions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('experience_uid', '=', experienceUid)
    .executeTakeFirst();
  return row?.n === null || row?.n === undefined ? 0 : Number(row.n);
}

/** Every variant shortUid any version of the experience still uses (archived ones included). */
export async function usedShortUids(trx: Executor, experienceUid: string): Promise<Set<string>> {
  const rows = await trx.selectFrom('experience_versions').select('variants').where('experience_uid', '=', experienceUid).execute();
  const out = new Set<string>();
  for (const row of rows) for (const v of fromJson<Variant[]>(row.variants) ?? []) out.add(v.shortUid);
  return out;
}

type ReferenceRow = Omit<ExperienceVersionReferencesTable, 'project_uid' | 'experience_uid' | 'version_uid'>;

/** The audiences and events a version's content names, with the JSON path of each use. */
export function referencesOf(content: VersionContent): ReferenceRow[] {
  const out: ReferenceRow[] = [];
  content.variants.forEach((v, i) => {
    if (v.__type !== 'SegmentedVariant') return;
    v.audiences.forEach((a, j) => out.push({ target_kind: 'audience', target_uid: a, via: 'variant', path: `variants[${i}].audiences[${j}]` }));
  });
  content.targeting?.audiences.forEach((a, j) =>
    out.push({ target_kind: 'audience', target_uid: a, via: 'targeting', path: `targeting.audience.audiences[${j}]` }),
  );
  content.metrics.forEach((m, i) => out.push({ target_kind: 'event', target_uid: m.event, via: 'metric', path: `metrics[${i}].event` }));
  return out;
}

export async function replaceReferences(
  trx: Executor,
  key: { projectUid: string; experienceUid: string; versionUid: string },
  content: VersionContent,
): Promise<void> {
  await trx.deleteFrom('experience_version_references').where('version_uid', '=', key.versionUid).execute();
  const rows = referencesOf(content);
  if (rows.length === 0) return;
  await trx
    .insertInto('experience_version_references')
    .values(rows.map((r) => ({ ...r, project_uid: key.projectUid, experience_uid: key.experienceUid, version_uid: key.versionUid })))
    .execute();
}
