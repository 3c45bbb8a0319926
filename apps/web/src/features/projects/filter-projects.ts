import type { Project } from '../../api/types';

/**
 * Client-side search over what the landing page shows: every word of the query must appear in
 * the name or the description, case- and accent-insensitively, so "summer sale" finds
 * "Sale – Summer".
 */
export function filterProjects<P extends Pick<Project, 'name' | 'description'>>(projects: P[], query: string): P[] {
  const words = normalize(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return projects;
  return projects.filter((project) => {
    const haystack = normalize(`${project.name} ${project.description}`);
    return words.every((word) => haystack.includes(word));
  });
}

function normalize(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}
