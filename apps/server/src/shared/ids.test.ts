import { describe, expect, it } from 'vitest';
import { isUid, newOrderedUids } from './ids.js';

describe('newOrderedUids', () => {
  it('makes valid uids that increase within a second and carry the time prefix', () => {
    const at = Date.parse('2026-11-29T12:00:00.000Z');
    const uids = [...newOrderedUids(500, at), ...newOrderedUids(500, at)];
    expect(uids.every(isUid)).toBe(true);
    expect(new Set(uids).size).toBe(1000);
    expect(uids.every((u) => u.startsWith(Math.floor(at / 1000).toString(16)))).toBe(true);
    // The counter may wrap once in 16.7 M; elsewhere each uid sorts after the one before.
    const descents = uids.filter((u, i) => i > 0 && u <= uids[i - 1]!).length;
    expect(descents).toBeLessThanOrEqual(1);
  });
});
