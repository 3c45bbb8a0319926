import { createHash } from 'node:crypto';
import type { LimitStore } from '../../limits/limit-store.js';

/**
 * Failed log-ins, counted in fixed windows under three keys with their own thresholds (ADR 0082):
 *
 * - one account from one address: a person mistyping, or one attacker on one account;
 * - one account from anywhere: guessing one password from many addresses, set higher so that a
 *   single attacker can shut an account out only from their own address;
 * - one address for any account: spraying many accounts, set higher still, because behind a
 *   proxy or NAT many people share an address.
 *
 * A browser that logged in to the account before (a known device) is held only to its own count,
 * so nobody else's failures lock it out. Only failures count; a success clears its own keys.
 * Counts live in the app's limit store: shared by every instance with REDIS_URL, else per process.
 */
export interface LoginThrottleLimits {
  windowMs: number;
  perAccountAndAddress: number;
  perAccount: number;
  perAddress: number;
  perKnownDevice: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginThrottleLimits = {
  windowMs: 15 * 60 * 1000,
  perAccountAndAddress: 10,
  perAccount: 50,
  perAddress: 100,
  perKnownDevice: 10,
};

/**
 * The limits for LOGIN_RATE_LIMIT failures of one account from one address: the wider keys keep
 * the default proportions (an account from anywhere 5×, an address for any account 10×).
 */
export function loginLimitsFor(perAccountAndAddress: number): LoginThrottleLimits {
  return {
    ...DEFAULT_LOGIN_LIMITS,
    perAccountAndAddress,
    perAccount: perAccountAndAddress * 5,
    perAddress: perAccountAndAddress * 10,
    perKnownDevice: perAccountAndAddress,
  };
}

export interface LoginAttempt {
  account: string;
  address: string;
  /** Digest of a known-device cookie that belongs to this account, if the request carried one. */
  knownDevice: string | null;
}

export interface ThrottleVerdict {
  retryAfterSeconds: number;
  /** Which limit was reached, for the log; the caller's answer stays the same for every key. */
  key: 'account-and-address' | 'account' | 'address' | 'known-device';
}

// Digests: emails and addresses stay out of a store that other software may read (Redis), and
// NUL cannot occur in either part (refused at input), so the joined parts cannot collide.
const keyOf = (kind: string, ...parts: string[]) => `login:${kind}:${createHash('sha256').update(parts.join('\u0000')).digest('base64url')}`;

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

export function createLoginThrottle(store: LimitStore, limits: LoginThrottleLimits = DEFAULT_LOGIN_LIMITS) {
  function keysOf(attempt: LoginAttempt): Array<[ThrottleVerdict['key'], string, number]> {
    if (attempt.knownDevice !== null) return [['known-device', keyOf('d', attempt.knownDevice), limits.perKnownDevice]];
    return [
      ['account-and-address', keyOf('p', attempt.account, attempt.address), limits.perAccountAndAddress],
      ['account', keyOf('a', attempt.account), limits.perAccount],
      ['address', keyOf('i', attempt.address), limits.perAddress],
    ];
  }

  return {
    /** Null when the attempt may go ahead; otherwise how long until it may. */
    async check(attempt: LoginAttempt): Promise<ThrottleVerdict | null> {
      const keys = keysOf(attempt);
      const counts = await store.read(keys.map(([, key]) => key));
      let worst: ThrottleVerdict | null = null;
      for (const [i, [name, , limit]] of keys.entries()) {
        const window = counts[i];
        if (!window || window.count < limit) continue;
        const retryAfterSeconds = Math.max(1, Math.ceil(window.remainingMs / 1000));
        if (!worst || retryAfterSeconds > worst.retryAfterSeconds) worst = { retryAfterSeconds, key: name };
      }
      return worst;
    },

    async recordFailure(attempt: LoginAttempt): Promise<void> {
      await Promise.all(keysOf(attempt).map(([, key]) => store.increment(key, limits.windowMs)));
    },

    /** A success clears only the keys that are this client's own, never the account-wide count. */
    async recordSuccess(attempt: LoginAttempt): Promise<void> {
      const own = keysOf(attempt).filter(([name]) => name === 'account-and-address' || name === 'known-device');
      await store.delete(own.map(([, key]) => key));
    },
  };
}
