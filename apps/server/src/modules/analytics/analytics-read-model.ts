import { describeImpactFigures, type ImpactFigures } from '@tailor/contract';
import type { Kysely } from 'kysely';
import { fromJson, toIso } from '../../db/mappers.js';
import type { Database } from '../../db/schema.js';

/**
 * What analytics reads of experiences, events and audience revisions. A read model over their
 * tables (house style §5: cross-table questions go in read models), kept to the few columns a
 * summary needs, so analytics never depends on those modules' write paths.
 */

export interface AnalysedVariant {
  shortUid: string;
  name: string;
  /** A/B tests only: the configured share, in percent. */
  trafficDistribution: number | null;
}

export interface AnalysedVersion {
  uid: string;
  number: number;
  status: 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'ARCHIVED';
  activatedAt: string | null;
  archivedAt: string | null;
  variants: AnalysedVariant[];
  /** Primary first, then the secondaries in configured order. */
  metrics: Array<{ eventUid: string; primary: boolean }>;
}

export interface AnalysedExperience {
  uid: string;
  name: string;
  type: 'SEGMENTED' | 'AB_TEST';
  /** Newest first. */
  versions: AnalysedVersion[];
}

interface StoredVariant {
  shortUid?: unknown;
  name?: unknown;
  trafficDistribution?: unknown;
}

const isoOrNull = (value: string | Date | null): string | null => (value === null ? null : toIso(value));

export async function findAnalysedExperience(db: Kysely<Database>, projectUid: string, experienceUid: string): Promise<AnalysedExperience | undefined> {
  const experience = await db
    .selectFrom('experiences')
    .select(['uid', 'name', 'type'])
    .where('project_uid', '=', projectUid)
    .where('uid', '=', experienceUid)
    .executeTakeFirst();
  if (!experience) return undefined;
  const rows = await db
    .selectFrom('experience_versions')
    .select(['uid', 'number', 'status', 'activated_at', 'archived_at', 'variants', 'metrics'])
    .where('experience_uid', '=', experienceUid)
    .orderBy('number', 'desc')
    .execute();
  const versions = rows.map((row): AnalysedVersion => {
    const variants = (fromJson<StoredVariant[] | null>(row.variants) ?? []).map((v) => ({
      shortUid: String(v.shortUid),
      name: typeof v.name === 'string' ? v.name : `Variant ${String(v.shortUid)}`,
      trafficDistribution: typeof v.trafficDistribution === 'number' ? v.trafficDistribution : null,
    }));
    const metrics = (fromJson<Array<{ __type?: unknown; event?: unknown }> | null>(row.metrics) ?? [])
      .flatMap((m) => (typeof m.event === 'string' ? [{ eventUid: m.event, primary: m.__type === 'Primary' }] : []))
      .sort((a, b) => Number(b.primary) - Number(a.primary));
    return {
      uid: row.uid,
      number: row.number,
      status: row.status,
      activatedAt: isoOrNull(row.activated_at),
      archivedAt: isoOrNull(row.archived_at),
      variants,
      metrics,
    };
  });
  return { uid: experience.uid, name: experience.name, type: experience.type, versions };
}

/** Event keys by uid, for labelling metrics (a deleted event keeps its uid and loses its key). */
export async function eventKeysByUid(db: Kysely<Database>, projectUid: string, eventUids: readonly string[]): Promise<Map<string, string>> {
  if (eventUids.length === 0) return new Map();
  const rows = await db.selectFrom('events').select(['uid', 'key']).where('project_uid', '=', projectUid).where('uid', 'in', eventUids).execute();
  return new Map(rows.map((r) => [r.uid, r.key]));
}

export interface AudienceAnnotation {
  at: string;
  audienceUid: string;
  audienceName: string;
  revision: number;
  action: 'created' | 'updated' | 'restored';
  actor: string;
  summary: string;
}

interface StoredSummary {
  name?: { from: string | null; to: string | null };
  description?: unknown;
  rules?: { added?: unknown[]; removed?: unknown[]; changed?: unknown[] };
  restoredFrom?: number;
  impact?: ImpactFigures;
}

/** One line a chart tooltip can show, e.g. "2 rules added, 1 rule changed". */
export function describeRevision(action: AudienceAnnotation['action'], stored: StoredSummary | null): string {
  // The impact preview the editor saw, when the save carried one (ADR 0071).
  const impact = stored?.impact ? `; ${describeImpactFigures(stored.impact)}` : '';
  if (action === 'created') return `Audience created${impact}`;
  const parts: string[] = [];
  if (action === 'restored' && stored?.restoredFrom !== undefined) parts.push(`restored revision ${stored.restoredFrom}`);
  if (stored?.name) parts.push(`renamed from "${stored.name.from ?? ''}" to "${stored.name.to ?? ''}"`);
  if (stored?.description) parts.push('description changed');
  const rule = (n: number, verb: string) => n > 0 && parts.push(`${n} ${n === 1 ? 'rule' : 'rules'} ${verb}`);
  rule(stored?.rules?.added?.length ?? 0, 'added');
  rule(stored?.rules?.removed?.length ?? 0, 'removed');
  rule(stored?.rules?.changed?.length ?? 0, 'changed');
  if (parts.length === 0) return `Audience saved without changes${impact}`;
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1) + impact;
}

/**
 * Every revision, within [from, to), of the audiences a version uses (its variants' audiences and
 * its target group), from the experiences module's reference index.
 */
export async function audienceAnnotations(db: Kysely<Database>, projectUid: string, versionUid: string, from: string, to: string): Promise<AudienceAnnotation[]> {
  const rows = await db
    .selectFrom('audience_revisions')
    .select(['audience_uid', 'number', 'action', 'name', 'summary', 'created_at', 'created_by_user_name'])
    .where('project_uid', '=', projectUid)
    .where('audience_uid', 'in', (eb) =>
      eb
        .selectFrom('experience_version_references')
        .select('target_uid')
        .where('version_uid', '=', versionUid)
        .where('target_kind', '=', 'audience'),
    )
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .orderBy('created_at')
    .orderBy('number')
    .execute();
  return rows.map((r) => ({
    at: toIso(r.created_at),
    audienceUid: r.audience_uid,
    audienceName: r.name,
    revision: r.number,
    action: r.action,
    actor: r.created_by_user_name,
    summary: describeRevision(r.action, fromJson<StoredSummary | null>(r.summary)),
  }));
}
