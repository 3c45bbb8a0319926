import { describe, expect, it } from 'vitest';
import { createFallbackLimitStore, type SharedCounters } from './fallback-limit-store.js';
import { createMemoryLimitStore } from './limit-store.js';

/** A shared store that can be taken down: another memory store behind a switch. */
function fakeShared() {
  const behind = createMemoryLimitStore({ now: () => 0 });
  let up = true;
  let calls = 0;
  let listener: (up: boolean, error?: unknown) => void = () => undefined;
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    calls += 1;
    if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    return op();
  };
  const shared: SharedCounters = {
    increment: (key, windowMs) => guard(() => behind.increment(key, windowMs)),
    read: (keys) => guard(() => behind.read(keys)),
    delete: (keys) => guard(() => behind.delete(keys)),
    connect: async () => up,
    onChange: (l) => {
      listener = l;
    },
    close: async () => undefined,
  };
  return {
    shared,
    behind,
    calls: () => calls,
    down(announce = false) {
      up = false;
      if (announce) listener(false, new Error('connection closed'));
    },
    up(announce = false) {
      up = true;
      if (announce) listener(true);
    },
  };
}

function setup() {
  const remote = fakeShared();
  const logs: string[] = [];
  let clock = 0;
  const store = createFallbackLimitStore(
    remote.shared,
    createMemoryLimitStore({ now: () => 0 }),
    { warn: (_d, message) => logs.push(`warn ${message}`), info: (message) => logs.push(`info ${message}`) },
    { probeEveryMs: 1000, monotonicNow: () => clock },
  );
  return { store, remote, logs, advance: (ms: number) => (clock += ms) };
}

describe('the shared limit store degrading to memory', () => {
  it('counts in the shared store while it answers', async () => {
    const { store, remote } = setup();
    await store.open();
    await remote.behind.increment('k', 60_000);
    expect(await store.increment('k', 60_000)).toMatchObject({ count: 2 });
    expect(store.health).toEqual({ up: true, fallbacks: 0 });
  });

  it('answers from memory while the shared store is down, logging the outage once, and its end once', async () => {
    const { store, remote, logs, advance } = setup();
    await store.open();
    await store.increment('k', 60_000);
    remote.down();
    // This process's own share of the window is kept: it was counted in memory too.
    expect(await store.increment('k', 60_000)).toMatchObject({ count: 2 });
    expect(await store.increment('k', 60_000)).toMatchObject({ count: 3 });
    expect(await store.read(['k'])).toMatchObject([{ count: 3 }]);
    expect(store.health).toEqual({ up: false, fallbacks: 3 });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^warn Redis \(REDIS_URL\) does not answer/);

    remote.up();
    advance(1000);
    expect(await store.increment('k', 60_000)).toMatchObject({ count: 2 });
    expect(store.health?.up).toBe(true);
    expect(logs).toHaveLength(2);
    expect(logs[1]).toMatch(/^info Redis \(REDIS_URL\) answers again/);
  });

  it('while down, tries the shared store once per probe interval rather than on every operation', async () => {
    const { store, remote, advance } = setup();
    await store.open();
    remote.down();
    const before = remote.calls();
    for (let i = 0; i < 20; i++) await store.read(['k']);
    expect(remote.calls() - before).toBe(1);
    advance(1000);
    for (let i = 0; i < 20; i++) await store.read(['k']);
    expect(remote.calls() - before).toBe(2);
  });

  it('follows the connection between operations: a reconnect is used at once', async () => {
    const { store, remote, logs } = setup();
    await store.open();
    remote.down(true);
    expect(store.health?.up).toBe(false);
    remote.up(true);
    expect(store.health?.up).toBe(true);
    await remote.behind.increment('k', 60_000);
    expect(await store.read(['k'])).toMatchObject([{ count: 1 }]);
    expect(logs.map((l) => l.split(' ')[0])).toEqual(['warn', 'info']);
  });

  it('clears a success\'s keys in both stores, so a later outage does not bring old failures back', async () => {
    const { store, remote } = setup();
    await store.open();
    await store.increment('k', 60_000);
    await store.delete(['k']);
    remote.down();
    expect(await store.read(['k'])).toEqual([undefined]);
  });

  it('warns when the shared store is unreachable at start, and stays quiet after close', async () => {
    const { store, remote, logs } = setup();
    remote.down();
    await store.open();
    expect(logs).toHaveLength(1);
    expect(await store.increment('k', 60_000)).toMatchObject({ count: 1 });
    remote.up();
    await store.close();
    remote.down(true);
    await store.read(['k']);
    expect(logs).toHaveLength(1);
  });
});
