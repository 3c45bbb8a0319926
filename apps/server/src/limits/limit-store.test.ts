import { describe, expect, it } from 'vitest';
import { createMemoryLimitStore } from './limit-store.js';

function setup(maxKeys?: number) {
  let now = 1_000;
  const store = createMemoryLimitStore({ now: () => now, ...(maxKeys === undefined ? {} : { maxKeys }) });
  return { store, advance: (ms: number) => (now += ms) };
}

describe('the memory limit store', () => {
  it('counts up within a window that starts at the first increment and reports the time left', async () => {
    const { store, advance } = setup();
    expect(await store.increment('k', 60_000)).toEqual({ count: 1, remainingMs: 60_000 });
    advance(20_000);
    // A later increment does not move the window's end.
    expect(await store.increment('k', 60_000)).toEqual({ count: 2, remainingMs: 40_000 });
    expect(await store.read(['k'])).toEqual([{ count: 2, remainingMs: 40_000 }]);
  });

  it('forgets a key when its window ends, and starts a new window on the next increment', async () => {
    const { store, advance } = setup();
    await store.increment('k', 1000);
    await store.increment('k', 1000);
    advance(1000);
    expect(await store.read(['k'])).toEqual([undefined]);
    expect(await store.increment('k', 1000)).toEqual({ count: 1, remainingMs: 1000 });
  });

  it('reads several keys in order, undefined for those never counted, and deletes only the keys named', async () => {
    const { store } = setup();
    await store.increment('a', 1000);
    await store.increment('b', 1000);
    await store.increment('b', 1000);
    expect((await store.read(['b', 'missing', 'a'])).map((c) => c?.count)).toEqual([2, undefined, 1]);
    await store.delete(['a', 'missing']);
    expect((await store.read(['a', 'b'])).map((c) => c?.count)).toEqual([undefined, 2]);
  });

  it('keeps at most maxKeys, forgetting the least recently incremented first', async () => {
    const { store } = setup(3);
    for (const key of ['a', 'b', 'c']) await store.increment(key, 60_000);
    await store.increment('a', 60_000);
    await store.increment('d', 60_000);
    expect(store.size()).toBe(3);
    expect((await store.read(['a', 'b', 'c', 'd'])).map((c) => c?.count)).toEqual([2, undefined, 1, 1]);
  });

  it('is bounded by default however many keys are tried', async () => {
    const { store } = setup();
    for (let i = 0; i < 100_050; i++) await store.increment(`k${i}`, 60_000);
    expect(store.size()).toBe(100_000);
  });
});
