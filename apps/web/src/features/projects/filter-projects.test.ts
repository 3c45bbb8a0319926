import { describe, expect, it } from 'vitest';
import { filterProjects } from './filter-projects';

const projects = [
  { name: 'Summer Sale', description: 'Campaign pages for the EU shop' },
  { name: 'Docs site', description: 'Personalised onboarding' },
  { name: 'Café', description: '' },
];

describe('filterProjects', () => {
  it('returns everything for an empty or blank query', () => {
    expect(filterProjects(projects, '')).toHaveLength(3);
    expect(filterProjects(projects, '   ')).toHaveLength(3);
  });

  it('matches name or description, case-insensitively', () => {
    expect(filterProjects(projects, 'SALE').map((p) => p.name)).toEqual(['Summer Sale']);
    expect(filterProjects(projects, 'onboarding').map((p) => p.name)).toEqual(['Docs site']);
  });

  it('needs every word, in any order and across both fields', () => {
    expect(filterProjects(projects, 'eu summer').map((p) => p.name)).toEqual(['Summer Sale']);
    expect(filterProjects(projects, 'summer onboarding')).toEqual([]);
  });

  it('ignores accents', () => {
    expect(filterProjects(projects, 'cafe').map((p) => p.name)).toEqual(['Café']);
  });
});
