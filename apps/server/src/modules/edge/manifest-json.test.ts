import { describe, expect, it } from 'vitest';
import { manifestJson } from './manifest-json.js';

describe('manifestJson', () => {
  it('writes exactly what JSON.stringify writes for the same manifest', () => {
    const experiences = [
      { shortUid: 'a', activeVariantShortUid: '0' },
      { shortUid: '10', activeVariantShortUid: null },
      { shortUid: 'q"x', activeVariantShortUid: '2', payload: { hero: 'gold "big"', n: [1, 2] } },
      { shortUid: 'z', activeVariantShortUid: null, payload: null },
    ];
    const activeVariants = { a: '0', '10': null, 'q"x': '2', z: null };
    expect(JSON.parse(manifestJson(experiences))).toEqual({ experiences, activeVariants });
    // Byte for byte too (JSON.stringify would list an integer-like key such as "10" first; we keep priority order).
    const plain = experiences.filter((e) => e.shortUid !== '10');
    const { '10': _dropped, ...plainMap } = activeVariants;
    expect(manifestJson(plain)).toBe(JSON.stringify({ experiences: plain, activeVariants: plainMap }));
  });

  it('writes an empty manifest', () => {
    expect(manifestJson([])).toBe('{"experiences":[],"activeVariants":{}}');
  });
});
