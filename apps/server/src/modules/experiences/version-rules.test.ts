import { describe, expect, it } from 'vitest';
import { RuleViolationError, ValidationError } from '../../shared/errors.js';
import { deriveStatus, equalSplit, normalizeTags } from './experience.js';
import { buildContent, CANNOT_MARK_AS_DRAFT, LOCKED, planTransition, sameContent, stableStringify, type ContentContext } from './version-rules.js';

function ctx(overrides: Partial<ContentContext> = {}): ContentContext {
  let next = 0;
  return { type: 'AB_TEST', knownShortUids: new Set(), variantsPerExperience: 20, audiencesPerVariant: 50, mintShortUid: () => String(next++), ...overrides };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleViolationError) return error.code;
    throw error;
  }
  return undefined;
}

describe('version rules', () => {
  it('splits evenly in whole percents summing to 100', () => {
    expect(equalSplit(2)).toEqual([50, 50]);
    expect(equalSplit(3)).toEqual([34, 33, 33]);
    expect(equalSplit(7).reduce((a, b) => a + b, 0)).toBe(100);
    expect(equalSplit(0)).toEqual([]);
  });

  it('derives the experience status from its versions', () => {
    expect(deriveStatus(['DRAFT', 'ARCHIVED'])).toBe('DRAFT');
    expect(deriveStatus(['PAUSED', 'DRAFT'])).toBe('PAUSED');
    expect(deriveStatus(['DRAFT', 'ACTIVE'])).toBe('ACTIVE');
  });

  it('normalizes tags', () => {
    expect(normalizeTags([' A ', 'a', 'b:c'])).toEqual(['a', 'b:c']);
    expect(() => normalizeTags(['ü'])).toThrow(ValidationError);
  });

  it('plans every transition of the state machine', () => {
    expect(planTransition('DRAFT', 'DRAFT', false)).toBe('save');
    expect(planTransition('DRAFT', 'ACTIVE', false)).toBe('activate');
    expect(planTransition('DRAFT', 'PAUSED', false)).toBe('activatePaused');
    expect(planTransition('ACTIVE', 'PAUSED', true)).toBe('pause');
    expect(planTransition('PAUSED', 'ACTIVE', true)).toBe('resume');
    expect(planTransition('ACTIVE', 'ACTIVE', true)).toBe('unchanged');
    expect(codeOf(() => planTransition('ACTIVE', 'PAUSED', false))).toBe(LOCKED);
    expect(codeOf(() => planTransition('PAUSED', 'PAUSED', false))).toBe(LOCKED);
    expect(codeOf(() => planTransition('ACTIVE', 'DRAFT', true))).toBe(CANNOT_MARK_AS_DRAFT);
    expect(codeOf(() => planTransition('PAUSED', 'DRAFT', true))).toBe(CANNOT_MARK_AS_DRAFT);
    expect(codeOf(() => planTransition('ARCHIVED', 'ACTIVE', true))).toBe(LOCKED);
  });

  it('compares content regardless of payload key order, and fills omitted shortUids from the stored version', () => {
    expect(stableStringify({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(stableStringify({ a: [{ c: 3, d: 2 }], b: 1 }));
    const stored = buildContent({ variants: [{ name: 'A', payload: { x: 1, y: 2 } }, { name: 'B' }] }, ctx());
    const resent = buildContent(
      { variants: [{ name: 'A', payload: { y: 2, x: 1 } }, { name: 'B' }] },
      ctx({ knownShortUids: new Set(['0', '1']), stored, mintShortUid: () => 'new' }),
    );
    expect(sameContent(resent, stored)).toBe(true);
    const reordered = buildContent({ variants: [{ name: 'B', shortUid: '1' }, { name: 'A', shortUid: '0' }] }, ctx({ knownShortUids: new Set(['0', '1']), stored }));
    expect(sameContent(reordered, stored)).toBe(false);
  });
});
