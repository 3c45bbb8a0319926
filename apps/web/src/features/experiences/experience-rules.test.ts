import { describe, expect, it } from 'vitest';
import type { Experience } from '@tailor/contract';
import { filterExperiences, emptyFilters, allTags } from './experience-list';
import { moveById, moveItem, sameOrder } from './priority-order';
import { normalizeTags, tagsError } from './tags';

function experience(overrides: Partial<Experience>): Experience {
  return {
    uid: 'a'.repeat(24),
    _id: 'a'.repeat(24),
    name: 'Experience',
    description: '',
    __type: 'SEGMENTED',
    shortUid: '0',
    status: 'DRAFT',
    latestVersion: 'b'.repeat(24),
    tags: [],
    referredAudiences: [],
    referredLyticsAudiences: [],
    priority: 1,
    activatedAt: null,
    activatedBy: null,
    activatedByUserName: null,
    project: 'c'.repeat(24),
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'u',
    updatedBy: 'u',
    createdByUserName: 'A',
    updatedByUserName: 'A',
    ...overrides,
  };
}

const list = [
  experience({ uid: '1', name: 'Homepage hero', priority: 2, status: 'ACTIVE', tags: ['home', 'q4'] }),
  experience({ uid: '2', name: 'Checkout test', priority: 1, __type: 'AB_TEST', tags: ['checkout'] }),
  experience({ uid: '3', name: 'Pricing', priority: 3, status: 'PAUSED', __type: 'AB_TEST', tags: [] }),
];
const uids = (e: Experience[]) => e.map((x) => x.uid);

describe('filterExperiences', () => {
  it('lists in priority order without filters', () => {
    expect(uids(filterExperiences(list, emptyFilters))).toEqual(['2', '1', '3']);
  });
  it('matches any of the chosen tags (OR) and combines with the type filter (AND)', () => {
    expect(uids(filterExperiences(list, { ...emptyFilters, tags: ['home', 'checkout'] }))).toEqual(['2', '1']);
    expect(uids(filterExperiences(list, { ...emptyFilters, tags: ['home', 'checkout'], types: ['AB_TEST'] }))).toEqual(['2']);
  });
  it('filters by status and searches names case-insensitively', () => {
    expect(uids(filterExperiences(list, { ...emptyFilters, statuses: ['ACTIVE', 'PAUSED'] }))).toEqual(['1', '3']);
    expect(uids(filterExperiences(list, { ...emptyFilters, query: 'HERO' }))).toEqual(['1']);
  });
  it('offers each tag once, sorted', () => {
    expect(allTags(list)).toEqual(['checkout', 'home', 'q4']);
  });
});

describe('priority order', () => {
  it('moves an item down and up', () => {
    expect(moveItem(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveItem(['a', 'b', 'c', 'd'], 3, 1)).toEqual(['a', 'd', 'b', 'c']);
  });
  it('ignores moves out of range', () => {
    expect(moveItem(['a', 'b'], 0, 5)).toEqual(['a', 'b']);
  });
  it('moves by id onto the position of another', () => {
    expect(moveById(['a', 'b', 'c'], (x) => x, 'c', 'a')).toEqual(['c', 'a', 'b']);
  });
  it('compares orders', () => {
    expect(sameOrder(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameOrder(['a', 'b'], ['b', 'a'])).toBe(false);
  });
});

describe('tags', () => {
  it('lower-cases, trims and de-duplicates', () => {
    expect(normalizeTags([' Home ', 'home', 'Q4:Promo', ''])).toEqual(['home', 'q4:promo']);
  });
  it('names the first broken rule', () => {
    expect(tagsError(['ok', 'has space'])).toBe('"has space" may only contain letters, digits, "-", "_" and ":"');
    expect(tagsError(['x'.repeat(33)])).toMatch(/longer than 32/);
    expect(tagsError(Array.from({ length: 11 }, (_, i) => `t${String(i)}`))).toBe('At most 10 tags per experience');
    expect(tagsError(['a-b_c:d'])).toBeUndefined();
  });
});
