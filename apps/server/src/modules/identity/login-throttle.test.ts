import { describe, expect, it } from 'vitest';
import { createLoginThrottle, type LoginThrottleLimits } from './login-throttle.js';

const limits: LoginThrottleLimits = { windowMs: 60_000, perAccountAndAddress: 3, perAccount: 5, perAddress: 8, perKnownDevice: 2, maxKeys: 1000 };

function setup(overrides: Partial<LoginThrottleLimits> = {}) {
  let now = 0;
  const throttle = createLoginThrottle(() => now, { ...limits, ...overrides });
  return { throttle, advance: (ms: number) => (now += ms) };
}

const from = (account: string, address: string, knownDevice: string | null = null) => ({ account, address, knownDevice });

describe('login throttle', () => {
  it('locks one account from one address after its threshold, and nobody else', () => {
    const { throttle } = setup();
    for (let i = 0; i < 3; i++) throttle.recordFailure(from('alice', '10.0.0.1'));
    expect(throttle.check(from('alice', '10.0.0.1'))).toMatchObject({ key: 'account-and-address', retryAfterSeconds: 60 });
    expect(throttle.check(from('bob', '10.0.0.1'))).toBeNull();
    expect(throttle.check(from('alice', '10.0.0.2'))).toBeNull();
  });

  it('locks an account everywhere only at its own, higher threshold', () => {
    const { throttle } = setup();
    for (let i = 0; i < 5; i++) throttle.recordFailure(from('alice', `10.0.1.${i}`));
    expect(throttle.check(from('alice', '10.9.9.9'))).toMatchObject({ key: 'account' });
    expect(throttle.check(from('bob', '10.0.1.0'))).toBeNull();
  });

  it('locks an address spraying many accounts at the highest threshold, except for known devices', () => {
    const { throttle } = setup();
    for (let i = 0; i < 8; i++) throttle.recordFailure(from(`user${i}`, '10.0.0.9'));
    expect(throttle.check(from('someone-else', '10.0.0.9'))).toMatchObject({ key: 'address' });
    expect(throttle.check(from('someone-else', '10.0.0.9', 'device-digest'))).toBeNull();
  });

  it('holds a known device to its own count only', () => {
    const { throttle } = setup();
    for (let i = 0; i < 5; i++) throttle.recordFailure(from('alice', '10.0.0.1'));
    expect(throttle.check(from('alice', '10.0.0.1'))).not.toBeNull();
    expect(throttle.check(from('alice', '10.0.0.1', 'alice-laptop'))).toBeNull();
    throttle.recordFailure(from('alice', '10.0.0.1', 'alice-laptop'));
    throttle.recordFailure(from('alice', '10.0.0.1', 'alice-laptop'));
    expect(throttle.check(from('alice', '10.0.0.1', 'alice-laptop'))).toMatchObject({ key: 'known-device' });
  });

  it('forgets failures when the window ends, and counts down Retry-After meanwhile', () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 3; i++) throttle.recordFailure(from('alice', '10.0.0.1'));
    advance(45_000);
    expect(throttle.check(from('alice', '10.0.0.1'))?.retryAfterSeconds).toBe(15);
    advance(15_000);
    expect(throttle.check(from('alice', '10.0.0.1'))).toBeNull();
  });

  it('clears only the client\'s own count on success, never the account-wide one', () => {
    const { throttle } = setup();
    for (let i = 0; i < 2; i++) throttle.recordFailure(from('alice', '10.0.0.1'));
    for (let i = 0; i < 3; i++) throttle.recordFailure(from('alice', '10.0.0.2'));
    throttle.recordSuccess(from('alice', '10.0.0.1'));
    throttle.recordFailure(from('alice', '10.0.0.1'));
    expect(throttle.check(from('alice', '10.0.0.1'))).toMatchObject({ key: 'account' });
  });

  it('stays within its key bound however many accounts are tried', () => {
    const { throttle } = setup({ maxKeys: 50 });
    for (let i = 0; i < 500; i++) throttle.recordFailure(from(`user${i}`, `10.1.${i >> 8}.${i & 255}`));
    expect(throttle.size()).toBeLessThanOrEqual(50);
  });
});
