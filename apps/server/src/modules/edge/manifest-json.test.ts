import { describe, expect, it } from 'vitest';
import { manifestBody } from './manifest-json.js';

const manifestJson = (experiences: Parameters<typeof manifestBody>[0]) => manifestBody(experiences).toString('utf8');

describe('manifestBody', () => {
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

  it('writes non-ASCII shortUids as UTF-8 and a single experience without stray commas', () => {
    const experiences = [{ shortUid: 'é✓', activeVariantShortUid: 'ß' }];
    expect(manifestJson(experiences)).toBe(JSON.stringify({ experiences, activeVariants: { 'é✓': 'ß' } }));
  });

  it('gives each request its own bytes, unaffected by the next one', () => {
    const first = manifestBody([{ shortUid: 'a', activeVariantShortUid: '0' }]);
    manifestBody([{ shortUid: 'b', activeVariantShortUid: null }, { shortUid: 'c', activeVariantShortUid: '1' }]);
    expect(first.toString('utf8')).toBe('{"experiences":[{"shortUid":"a","activeVariantShortUid":"0"}],"activeVariants":{"a":"0"}}');
  });
});
