import { performance } from 'node:perf_hooks';
import type { LimitCount, LimitStore, MemoryLimitStore } from './limit-store.js';

/** A shared counter store whose operations reject, quickly, when it does not answer. */
export interface SharedCounters {
  increment(key: string, windowMs: number): Promise<LimitCount>;
  read(keys: readonly string[]): Promise<Array<LimitCount | undefined>>;
  delete(keys: readonly string[]): Promise<void>;
  /** Resolves true once connected, false if not within `timeoutMs`; keeps trying afterwards. */
  connect(timeoutMs: number): Promise<boolean>;
  /** Connection changes between operations, so the state follows an outage without traffic. */
  onChange(listener: (up: boolean, error?: unknown) => void): void;
  close(): Promise<void>;
}

export interface LimitStoreLog {
  warn(details: { err: unknown }, message: string): void;
  info(message: string): void;
}

export interface FallbackOptions {
  connectTimeoutMs?: number;
  /** While down, one operation this often tries the shared store, in case no reconnect is seen. */
  probeEveryMs?: number;
  /** A clock that moves on its own; the app's clock may be fixed (tests). */
  monotonicNow?: () => number;
}

/**
 * The shared store, degrading to memory (ADR 0097): no request fails because the shared store is
 * down. Every increment is also counted in memory, so during an outage each process still holds
 * its own share of the window, as it would without a shared store; a success's delete clears both.
 * The outage is logged once when it starts and once when it ends.
 */
export function createFallbackLimitStore(shared: SharedCounters, memory: MemoryLimitStore, log: LimitStoreLog, options: FallbackOptions = {}): LimitStore {
  const connectTimeoutMs = options.connectTimeoutMs ?? 1000;
  const probeEveryMs = options.probeEveryMs ?? 1000;
  const clock = options.monotonicNow ?? (() => performance.now());
  let state: 'starting' | 'up' | 'down' = 'starting';
  let closed = false;
  let fallbacks = 0;
  let probeAt = 0;

  function markUp(): void {
    if (closed || state === 'up') return;
    if (state === 'down') log.info('Redis (REDIS_URL) answers again: rate limits and log-in lockouts are shared between instances again');
    state = 'up';
  }

  function markDown(error: unknown): void {
    if (closed) return;
    if (state !== 'down') {
      log.warn({ err: error }, 'Redis (REDIS_URL) does not answer: rate limits and log-in lockouts are counted in this process\'s memory until it does');
    }
    state = 'down';
    probeAt = clock() + probeEveryMs;
  }

  shared.onChange((up, error) => (up ? markUp() : markDown(error)));

  async function run<T>(viaShared: () => Promise<T>, viaMemory: () => Promise<T>): Promise<T> {
    if (!closed && (state !== 'down' || clock() >= probeAt)) {
      // Concurrent requests during an outage do not all wait for the same probe's timeout.
      if (state === 'down') probeAt = clock() + probeEveryMs;
      try {
        const result = await viaShared();
        markUp();
        return result;
      } catch (error) {
        markDown(error);
      }
    }
    if (!closed) fallbacks += 1;
    return viaMemory();
  }

  return {
    health: {
      get up() {
        return state === 'up';
      },
      get fallbacks() {
        return fallbacks;
      },
    },

    async increment(key, windowMs) {
      const local = await memory.increment(key, windowMs);
      return run(
        () => shared.increment(key, windowMs),
        async () => local,
      );
    },

    read: (keys) =>
      run(
        () => shared.read(keys),
        () => memory.read(keys),
      ),

    async delete(keys) {
      await memory.delete(keys);
      await run(
        () => shared.delete(keys),
        async () => undefined,
      );
    },

    async open() {
      if (await shared.connect(connectTimeoutMs)) markUp();
      else markDown(new Error(`no connection to Redis within ${connectTimeoutMs} ms`));
    },

    async close() {
      closed = true;
      await shared.close();
      await memory.close();
    },
  };
}
