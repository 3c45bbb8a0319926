import type { Experience, Version, VersionWriteRequest } from '@tailor/contract';
import { moveItem } from './priority-order';

/**
 * The configuration editor's state: a version as the user edits it, before it is sent. Pure so
 * that every rule (equal split, sums, limits) is unit-tested without rendering anything.
 */
export type Combination = 'AND' | 'OR';

export interface DraftVariant {
  /** Stable identity for React and drag and drop; the shortUid once the server assigned one. */
  key: string;
  shortUid: string | null;
  name: string;
  audiences: string[];
  combination: Combination;
  trafficDistribution: number;
  payload?: unknown;
}

export interface VersionDraft {
  type: Experience['__type'];
  variants: DraftVariant[];
  split: 'EQUAL' | 'CUSTOM';
  targeting: { mode: 'EVERYONE' | 'SELECTIVE'; audiences: string[]; combination: Combination };
  /** Event uids; the first is the Primary metric. */
  metrics: string[];
  nextKey: number;
}

export const MAX_VARIANTS = 20;
export const MAX_AUDIENCES_PER_VARIANT = 50;
export const MAX_METRICS = 5;

/** Whole percentages that sum to 100, the remainder going to the first variants (3 → 34/33/33). */
export function equalSplit(count: number): number[] {
  if (count <= 0) return [];
  const base = Math.floor(100 / count);
  const remainder = 100 - base * count;
  return Array.from({ length: count }, (_, i) => base + (i < remainder ? 1 : 0));
}

/** Sums with two decimals of precision, as the server accepts them. */
export function trafficTotal(values: number[]): number {
  return Math.round(values.reduce((sum, v) => sum + v, 0) * 100) / 100;
}

function withEqualSplit(draft: VersionDraft): VersionDraft {
  if (draft.type !== 'AB_TEST' || draft.split !== 'EQUAL') return draft;
  const split = equalSplit(draft.variants.length);
  return { ...draft, variants: draft.variants.map((v, i) => ({ ...v, trafficDistribution: split[i] ?? 0 })) };
}

export function draftFromVersion(type: Experience['__type'], version: Version): VersionDraft {
  const variants: DraftVariant[] = version.variants.map((v) => ({
    key: `v${v.shortUid}`,
    shortUid: v.shortUid,
    name: v.name,
    audiences: v.__type === 'SegmentedVariant' ? v.audiences : [],
    combination: v.__type === 'SegmentedVariant' ? v.audienceCombinationType : 'OR',
    trafficDistribution: v.__type === 'ABTestVariant' ? v.trafficDistribution : 0,
    ...(v.payload === undefined ? {} : { payload: v.payload }),
  }));
  const target = version.targeting?.audience;
  const primary = version.metrics.filter((m) => m.__type === 'Primary');
  const secondary = version.metrics.filter((m) => m.__type !== 'Primary');
  return {
    type,
    variants,
    split: version.variantSplit ?? 'EQUAL',
    targeting: {
      mode: target !== undefined && target.audiences.length > 0 ? 'SELECTIVE' : 'EVERYONE',
      audiences: target?.audiences ?? [],
      combination: target?.audienceCombinationType ?? 'OR',
    },
    metrics: [...primary, ...secondary].map((m) => m.event),
    nextKey: 1,
  };
}

export type DraftAction =
  | { type: 'addVariant' }
  | { type: 'removeVariant'; key: string }
  | { type: 'renameVariant'; key: string; name: string }
  | { type: 'setCombination'; key: string; combination: Combination }
  | { type: 'setAudiences'; key: string; audiences: string[] }
  | { type: 'setTraffic'; key: string; value: number }
  | { type: 'moveVariant'; from: number; to: number }
  | { type: 'setSplit'; split: 'EQUAL' | 'CUSTOM' }
  | { type: 'setTargetMode'; mode: 'EVERYONE' | 'SELECTIVE' }
  | { type: 'setTargetAudiences'; audiences: string[] }
  | { type: 'setTargetCombination'; combination: Combination }
  | { type: 'setMetrics'; metrics: string[] }
  | { type: 'reset'; draft: VersionDraft };

function updateVariant(draft: VersionDraft, key: string, change: (v: DraftVariant) => DraftVariant): VersionDraft {
  return { ...draft, variants: draft.variants.map((v) => (v.key === key ? change(v) : v)) };
}

export function draftReducer(draft: VersionDraft, action: DraftAction): VersionDraft {
  switch (action.type) {
    case 'addVariant': {
      if (draft.variants.length >= MAX_VARIANTS) return draft;
      const variant: DraftVariant = {
        key: `new${String(draft.nextKey)}`,
        shortUid: null,
        name: draft.type === 'AB_TEST' ? `Variant ${String(draft.variants.length + 1)}` : '',
        audiences: [],
        combination: 'OR',
        trafficDistribution: 0,
      };
      return withEqualSplit({ ...draft, variants: [...draft.variants, variant], nextKey: draft.nextKey + 1 });
    }
    case 'removeVariant':
      return withEqualSplit({ ...draft, variants: draft.variants.filter((v) => v.key !== action.key) });
    case 'renameVariant':
      return updateVariant(draft, action.key, (v) => ({ ...v, name: action.name }));
    case 'setCombination':
      return updateVariant(draft, action.key, (v) => ({ ...v, combination: action.combination }));
    case 'setAudiences':
      return updateVariant(draft, action.key, (v) => ({ ...v, audiences: action.audiences.slice(0, MAX_AUDIENCES_PER_VARIANT) }));
    case 'setTraffic':
      return updateVariant(draft, action.key, (v) => ({ ...v, trafficDistribution: action.value }));
    case 'moveVariant':
      return { ...draft, variants: moveItem(draft.variants, action.from, action.to) };
    case 'setSplit':
      return withEqualSplit({ ...draft, split: action.split });
    case 'setTargetMode':
      return { ...draft, targeting: { ...draft.targeting, mode: action.mode } };
    case 'setTargetAudiences':
      return { ...draft, targeting: { ...draft.targeting, audiences: action.audiences } };
    case 'setTargetCombination':
      return { ...draft, targeting: { ...draft.targeting, combination: action.combination } };
    case 'setMetrics':
      return { ...draft, metrics: [...new Set(action.metrics)].slice(0, MAX_METRICS) };
    case 'reset':
      return action.draft;
  }
}

/** Field path → message, with the server's paths (`variants[1].name`) so both kinds of error land alike. */
export type DraftErrors = Record<string, string>;

export function validateDraft(draft: VersionDraft): DraftErrors {
  const errors: DraftErrors = {};
  const min = draft.type === 'AB_TEST' ? 2 : 1;
  if (draft.variants.length < min) {
    errors.variants = draft.type === 'AB_TEST' ? 'An A/B test needs at least 2 variants' : 'Add at least one variant';
  }
  draft.variants.forEach((v, i) => {
    if (v.name.trim() === '') errors[`variants[${String(i)}].name`] = 'Please enter a variant name';
    if (draft.type === 'SEGMENTED' && v.audiences.length === 0) errors[`variants[${String(i)}].audiences`] = 'Please select at least one audience';
  });
  if (draft.type === 'AB_TEST') {
    const total = trafficTotal(draft.variants.map((v) => v.trafficDistribution));
    if (draft.variants.length > 0 && total !== 100) errors.trafficDistribution = `Traffic must add up to 100%; it adds up to ${String(total)}%`;
    if (draft.targeting.mode === 'SELECTIVE' && draft.targeting.audiences.length === 0) {
      errors['targeting.audiences'] = 'Select at least one audience, or target Everyone';
    }
  }
  return errors;
}

export function draftToRequest(draft: VersionDraft, status: VersionWriteRequest['status'], version?: number): VersionWriteRequest {
  const ab = draft.type === 'AB_TEST';
  return {
    status,
    variants: draft.variants.map((v) => ({
      __type: ab ? 'ABTestVariant' : 'SegmentedVariant',
      ...(v.shortUid === null ? {} : { shortUid: v.shortUid }),
      name: v.name.trim(),
      ...(ab ? { trafficDistribution: v.trafficDistribution } : { audiences: v.audiences, audienceCombinationType: v.combination }),
      ...(v.payload === undefined ? {} : { payload: v.payload }),
    })),
    targeting:
      ab && draft.targeting.mode === 'SELECTIVE'
        ? { audience: { audiences: draft.targeting.audiences, audienceCombinationType: draft.targeting.combination } }
        : null,
    metrics: ab ? draft.metrics.map((event, i) => ({ __type: i === 0 ? 'Primary' : 'Secondary', event })) : [],
    ...(ab ? { variantSplit: draft.split } : {}),
    ...(version === undefined ? {} : { version }),
  };
}

/** True when the draft would send something other than what the server holds. */
export function isDraftChanged(draft: VersionDraft, original: VersionDraft): boolean {
  return JSON.stringify(draftToRequest(draft, 'DRAFT')) !== JSON.stringify(draftToRequest(original, 'DRAFT'));
}
