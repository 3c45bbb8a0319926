import type { Experience } from '@tailor/contract';

export interface ExperienceFilters {
  query: string;
  statuses: string[];
  types: string[];
  /** OR semantics: an experience with any of these tags matches (spec §1.8). */
  tags: string[];
}

export const emptyFilters: ExperienceFilters = { query: '', statuses: [], types: [], tags: [] };

export const typeLabels: Record<Experience['__type'], string> = { SEGMENTED: 'Segmented', AB_TEST: 'A/B Test' };
export const statusLabels: Record<Experience['status'], string> = { DRAFT: 'Draft', ACTIVE: 'Active', PAUSED: 'Paused' };

/** Filters combine with AND; each filter's values with OR. The list keeps priority order. */
export function filterExperiences(experiences: Experience[], filters: ExperienceFilters): Experience[] {
  const query = filters.query.trim().toLowerCase();
  return experiences
    .filter((e) => query === '' || `${e.name}\n${e.description}\n${e.shortUid}\n${e.uid}`.toLowerCase().includes(query))
    .filter((e) => filters.statuses.length === 0 || filters.statuses.includes(e.status))
    .filter((e) => filters.types.length === 0 || filters.types.includes(e.__type))
    .filter((e) => filters.tags.length === 0 || e.tags.some((t) => filters.tags.includes(t)))
    .sort((a, b) => a.priority - b.priority);
}

export function allTags(experiences: Experience[]): string[] {
  return [...new Set(experiences.flatMap((e) => e.tags))].sort();
}

export function hasFilters(filters: ExperienceFilters): boolean {
  return filters.query.trim() !== '' || filters.statuses.length + filters.types.length + filters.tags.length > 0;
}
