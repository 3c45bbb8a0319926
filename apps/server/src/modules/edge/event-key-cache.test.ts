import { describe, expect, it } from 'vitest';
import { createEventKeyCache } from './event-key-cache.js';

/** A loader over a mutable definition list that counts its calls and can be held open. */
function fakeEvents(initial: Record<string, string>) {
  const defined = new Map(Object.entries(initial));
  let loads = 0;
  let gate: Promise<void> = Promise.resolve();
  return {
    defined,
    loads: () => loads,
    hold(): () => void {
      let release = () => undefined as void;
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return release;
    },
    load: async () => {
      loads += 1;
      const snapshot = [...defined].map(([key, uid]) => ({ key, uid }));
      await gate;
      return snapshot;
    },
  };
}

describe('event key cache', () => {
  it('answers from memory until the TTL passes, then reloads', async () => {
    let now = 0;
    const events = fakeEvents({ signup: 'e1' });
    const cache = createEventKeyCache({ load: events.load, ttlMs: 1000, monotonicNow: () => now });
    expect((await cache.get('p1')).get('signup')).toBe('e1');
    events.defined.set('purchase', 'e2');
    now = 999;
    expect((await cache.get('p1')).get('purchase')).toBeUndefined();
    now = 1000;
    expect((await cache.get('p1')).get('purchase')).toBe('e2');
    expect(events.loads()).toBe(2);
  });

  it('shares one load among concurrent requests', async () => {
    const events = fakeEvents({ signup: 'e1' });
    const cache = createEventKeyCache({ load: events.load, ttlMs: Number.POSITIVE_INFINITY });
    const answers = await Promise.all(Array.from({ length: 10 }, () => cache.get('p1')));
    expect(answers.every((a) => a.get('signup') === 'e1')).toBe(true);
    expect(events.loads()).toBe(1);
  });

  it('never installs a load that started before an invalidation', async () => {
    const events = fakeEvents({ signup: 'e1' });
    const cache = createEventKeyCache({ load: events.load, ttlMs: Number.POSITIVE_INFINITY });
    const release = events.hold();
    const stale = cache.get('p1');
    // The definition changes and its change event arrives while the first load is still running.
    events.defined.delete('signup');
    events.defined.set('register', 'e1');
    cache.invalidate('p1');
    release();
    expect((await stale).has('signup')).toBe(true);
    const fresh = await cache.get('p1');
    expect([...fresh.keys()]).toEqual(['register']);
    expect(events.loads()).toBe(2);
  });
});
