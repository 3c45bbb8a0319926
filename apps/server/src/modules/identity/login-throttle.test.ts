import { describe, expect, it } from 'vitest';
import { createMemoryLimitStore } from '../../limits/limit-store.js';
import { createLoginThrottle, type LoginThrottleLimits } from './login-throttle.js';

const limits: LoginThrottleLimits = { windowMs: 60_000, perAccountAndAddress: 3, perAccount: 5, perAddress: 8, perKnownDevice: 2 };

function setup(maxKeys = 1000) {
  let now = 0;
  const store = createMemoryLimitStore({ now: () => now, maxKeys });
  const throttle = createLoginThrottle(store, limits);
  return { throttle, store, advance: (ms: number) => (now += ms) };
}

const from = (account: string, address: string, knownDevice: string | null = null) => ({ account, address, knownDevice });

describe('login throttle', () => {
  it('locks one account from one address after its threshold, and nobody else', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 3; i++) await throttle.recordFailure(from('alice', '10.0.0.1'));
    expect(await throttle.check(from('alice', '10.0.0.1'))).toMatchObject({ key: 'account-and-address', retryAfterSeconds: 60 });
    expect(await throttle.check(from('bob', '10.0.0.1'))).toBeNull();
    expect(await throttle.check(from('alice', '10.0.0.2'))).toBeNull();
  });

  it('locks an account everywhere only at its own, higher threshold', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 5; i++) await throttle.recordFailure(from('alice', `10.0.1.${i}`));
    expect(await throttle.check(from('alice', '10.9.9.9'))).toMatchObject({ key: 'account' });
    expect(await throttle.check(from('bob', '10.0.1.0'))).toBeNull();
  });

  it('locks an address spraying many accounts at the highest threshold, except for known devices', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 8; i++) await throttle.recordFailure(from(`user${i}`, '10.0.0.9'));
    expect(await throttle.check(from('someone-else', '10.0.0.9'))).toMatchObject({ key: 'address' });
    expect(await throttle.check(from('someone-else', '10.0.0.9', 'device-digest'))).toBeNull();
  });

  it('holds a known device to its own count only', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 5; i++) await throttle.recordFailure(from('alice', '10.0.0.1'));
    expect(await throttle.check(from('alice', '10.0.0.1'))).not.toBeNull();
    expect(await throttle.check(from('alice', '10.0.0.1', 'alice-laptop'))).toBeNull();
    await throttle.recordFailure(from('alice', '10.0.0.1', 'alice-laptop'));
    await throttle.recordFailure(from('alice', '10.0.0.1', 'alice-laptop'));
    expect(await throttle.check(from('alice', '10.0.0.1', 'alice-laptop'))).toMatchObject({ key: 'known-device' });
  });

  it('forgets failures when the window ends, and counts down Retry-After meanwhile', async () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 3; i++) await throttle.recordFailure(from('alice', '10.0.0.1'));
    advance(45_000);
    expect((await throttle.check(from('alice', '10.0.0.1')))?.retryAfterSeconds).toBe(15);
    advance(15_000);
    expect(await throttle.check(from('alice', '10.0.0.1'))).toBeNull();
  });

  it('clears only the client\'s own count on success, never the account-wide one', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 2; i++) await throttle.recordFailure(from('alice', '10.0.0.1'));
    for (let i = 0; i < 3; i++) await throttle.recordFailure(from('alice', '10.0.0.2'));
    await throttle.recordSuccess(from('alice', '10.0.0.1'));
    await throttle.recordFailure(from('alice', '10.0.0.1'));
    expect(await throttle.check(from('alice', '10.0.0.1'))).toMatchObject({ key: 'account' });
  });

  it('stays within its key bound however many accounts are tried', async () => {
    const { throttle, store } = setup(50);
    for (let i = 0; i < 500; i++) await throttle.recordFailure(from(`user${i}`, `10.1.${i >> 8}.${i & 255}`));
    expect(store.size()).toBeLessThanOrEqual(50);
  });
});
