import { randomBytes } from 'node:crypto';
import { ValidationError, type ErrorIssue } from '../../shared/errors.js';

/** Domain types and pure rules of experiences (spec §1.6, §1.8). */
export type ExperienceType = 'SEGMENTED' | 'AB_TEST';
export type ExperienceStatus = 'DRAFT' | 'ACTIVE' | 'PAUSED';
export type VersionStatus = 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'ARCHIVED';
export type CombinationType = 'AND' | 'OR';
export type VariantSplit = 'EQUAL' | 'CUSTOM';

export interface AuditStamp {
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
  createdByUserName: string;
  updatedByUserName: string;
}

export interface ExperienceRecord extends AuditStamp {
  uid: string;
  projectUid: string;
  shortUid: string;
  name: string;
  description: string;
  type: ExperienceType;
  tags: string[];
  /** Sort key of the priority order (lower first); exposed as a 1-based rank. */
  priority: number;
  variantGroup: string;
  /** High-water mark of variant shortUids: the next one minted is this number. */
  variantCounter: number;
  /** variant shortUid → CMS-style variant uid; only shortUids some version still uses. */
  cmsVariants: Record<string, string>;
  version: number;
}

export interface SegmentedVariant {
  __type: 'SegmentedVariant';
  shortUid: string;
  name: string;
  audiences: string[];
  lyticsAudiences: string[];
  audienceCombinationType: CombinationType;
  payload?: unknown;
}

export interface ABTestVariant {
  __type: 'ABTestVariant';
  shortUid: string;
  name: string;
  trafficDistribution: number;
  payload?: unknown;
}

export type Variant = SegmentedVariant | ABTestVariant;

export interface Targeting {
  audiences: string[];
  audienceCombinationType: CombinationType;
}

export interface Metric {
  __type: 'Primary' | 'Secondary';
  event: string;
  name?: string;
}

export interface VersionContent {
  variants: Variant[];
  /** null = Everyone. Only A/B tests have a target group. */
  targeting: Targeting | null;
  metrics: Metric[];
  variantSplit: VariantSplit | null;
}

export interface VersionRecord extends AuditStamp, VersionContent {
  uid: string;
  projectUid: string;
  experienceUid: string;
  versionNumber: number;
  status: VersionStatus;
  activatedAt: string | null;
  activatedBy: string | null;
  activatedByUserName: string | null;
  archivedAt: string | null;
  version: number;
}

/** An experience as answered: the record plus what is derived from its versions. */
export interface ExperienceView extends ExperienceRecord {
  status: ExperienceStatus;
  latestVersion: string;
  rank: number;
  referredAudiences: string[];
  activatedAt: string | null;
  activatedBy: string | null;
  activatedByUserName: string | null;
  hasVariants: boolean;
}

export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 32;
const TAG_PATTERN = /^[a-zA-Z0-9\-_:]+$/;

/** Spec §1.8: case-insensitive (stored lowercase), `[a-zA-Z0-9-_:]`, ≤ 32 chars, ≤ 10 after de-duplication. */
export function normalizeTags(tags: readonly string[] | null | undefined): string[] {
  if (!tags) return [];
  const issues: ErrorIssue[] = [];
  const out: string[] = [];
  tags.forEach((raw, i) => {
    const tag = raw.trim().toLowerCase();
    if (tag === '' || tag.length > MAX_TAG_LENGTH || !TAG_PATTERN.test(tag)) {
      issues.push({
        path: `tags[${i}]`,
        message: `Expected 1 to ${MAX_TAG_LENGTH} characters of letters, digits, "-", "_" or ":", received ${JSON.stringify(raw.slice(0, 64))}`,
      });
      return;
    }
    if (!out.includes(tag)) out.push(tag);
  });
  if (issues.length > 0) throw new ValidationError(issues);
  if (out.length > MAX_TAGS) throw ValidationError.single('tags', `Expected at most ${MAX_TAGS} distinct tags, received ${out.length}`);
  return out;
}

/** ACTIVE if a version is active, else PAUSED if one is paused, else DRAFT. */
export function deriveStatus(statuses: readonly VersionStatus[]): ExperienceStatus {
  if (statuses.includes('ACTIVE')) return 'ACTIVE';
  if (statuses.includes('PAUSED')) return 'PAUSED';
  return 'DRAFT';
}

/** The live version (ACTIVE or PAUSED); at most one exists (a unique index guards it). */
export function liveVersion<V extends { status: VersionStatus }>(versions: readonly V[]): V | undefined {
  return versions.find((v) => v.status === 'ACTIVE' || v.status === 'PAUSED');
}

/**
 * Even split in whole percents, the remainder going to the first variants (3 → 34/33/33), so the
 * sum is exactly 100 and the engine's buckets need no rounding.
 */
export function equalSplit(count: number): number[] {
  if (count <= 0) return [];
  const base = Math.floor(100 / count);
  const remainder = 100 - base * count;
  return Array.from({ length: count }, (_, i) => base + (i < remainder ? 1 : 0));
}

/** CMS-style variant uid: "cs" + 16 hex, as Contentstack's CMS mints them. */
export function newCmsVariantUid(): string {
  return `cs${randomBytes(8).toString('hex')}`;
}

/** Audience uids a version uses (variants then target group), de-duplicated in first-seen order. */
export function audiencesOf(content: Pick<VersionContent, 'variants' | 'targeting'>): string[] {
  const out = new Set<string>();
  for (const v of content.variants) if (v.__type === 'SegmentedVariant') v.audiences.forEach((a) => out.add(a));
  content.targeting?.audiences.forEach((a) => out.add(a));
  return [...out];
}
