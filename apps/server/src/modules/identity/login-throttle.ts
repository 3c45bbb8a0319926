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
 * Counts live in this process's memory, bounded in size.
 */
export interface LoginThrottleLimits {
  windowMs: number;
  perAccountAndAddress: number;
  perAccount: number;
  perAddress: number;
  perKnownDevice: number;
  /** Most keys held at once; beyond it the least recently touched are forgotten. */
  maxKeys: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginThrottleLimits = {
  windowMs: 15 * 60 * 1000,
  perAccountAndAddress: 10,
  perAccount: 50,
  perAddress: 100,
  perKnownDevice: 10,
  maxKeys: 100_000,
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

interface Window {
  startedAt: number;
  failures: number;
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

export function createLoginThrottle(now: () => number, limits: LoginThrottleLimits = DEFAULT_LOGIN_LIMITS) {
  const windows = new Map<string, Window>();

  function keysOf(attempt: LoginAttempt): Array<[ThrottleVerdict['key'], string, number]> {
    // NUL cannot occur in either part (refused at input), so the joined keys cannot collide.
    if (attempt.knownDevice !== null) return [['known-device', `d\u0000${attempt.knownDevice}`, limits.perKnownDevice]];
    return [
      ['account-and-address', `p\u0000${attempt.account}\u0000${attempt.address}`, limits.perAccountAndAddress],
      ['account', `a\u0000${attempt.account}`, limits.perAccount],
      ['address', `i\u0000${attempt.address}`, limits.perAddress],
    ];
  }

  function current(key: string, at: number): Window | undefined {
    const window = windows.get(key);
    if (window && at - window.startedAt >= limits.windowMs) {
      windows.delete(key);
      return undefined;
    }
    return window;
  }

  return {
    /** Null when the attempt may go ahead; otherwise how long until it may. */
    check(attempt: LoginAttempt): ThrottleVerdict | null {
      const at = now();
      let worst: ThrottleVerdict | null = null;
      for (const [name, key, limit] of keysOf(attempt)) {
        const window = current(key, at);
        if (!window || window.failures < limit) continue;
        const retryAfterSeconds = Math.max(1, Math.ceil((window.startedAt + limits.windowMs - at) / 1000));
        if (!worst || retryAfterSeconds > worst.retryAfterSeconds) worst = { retryAfterSeconds, key: name };
      }
      return worst;
    },

    recordFailure(attempt: LoginAttempt): void {
      const at = now();
      for (const [, key] of keysOf(attempt)) {
        const window = current(key, at) ?? { startedAt: at, failures: 0 };
        window.failures += 1;
        // Re-inserted so the Map's order is least recently touched first.
        windows.delete(key);
        windows.set(key, window);
      }
      while (windows.size > limits.maxKeys) {
        const oldest = windows.keys().next();
        if (oldest.done) break;
        windows.delete(oldest.value);
      }
    },

    /** A success clears only the keys that are this client's own, never the account-wide count. */
    recordSuccess(attempt: LoginAttempt): void {
      for (const [name, key] of keysOf(attempt)) {
        if (name === 'account-and-address' || name === 'known-device') windows.delete(key);
      }
    },

    size(): number {
      return windows.size;
    },
  };
}
