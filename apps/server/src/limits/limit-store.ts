/** A key's count in its current window, and how long until that window ends. */
export interface LimitCount {
  count: number;
  remainingMs: number;
}

/** Whether the shared store answers, and how many operations were counted in memory instead. */
export interface LimitStoreHealth {
  readonly up: boolean;
  readonly fallbacks: number;
}

/**
 * Counters in fixed windows (ADR 0097): a key's first increment starts its window, which ends
 * `windowMs` later; the key is then forgotten and the next increment starts a new one. Keys are
 * opaque to the store; each limit owns its own prefix (`login:`, `mgmt:`).
 */
export interface LimitStore {
  /** Counts one more and returns the new count; `windowMs` applies only when this starts a window. */
  increment(key: string, windowMs: number): Promise<LimitCount>;
  /** The current counts, in the order of `keys`; undefined for a key with no live window. */
  read(keys: readonly string[]): Promise<Array<LimitCount | undefined>>;
  delete(keys: readonly string[]): Promise<void>;
  /** Null when the counts are this process's own; otherwise the shared store's state. */
  readonly health: LimitStoreHealth | null;
  /** Waits briefly for a shared store's first connection; never throws (the limits degrade instead). */
  open(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_KEYS = 100_000;

export type MemoryLimitStore = LimitStore & { size(): number };

interface Window {
  endsAt: number;
  count: number;
}

/**
 * Counts in this process's memory, on the app's clock. Bounded: past `maxKeys` the least recently
 * incremented keys are forgotten, so a spray of made-up accounts cannot grow the process.
 */
export function createMemoryLimitStore(options: { now: () => number; maxKeys?: number }): MemoryLimitStore {
  const { now } = options;
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  const windows = new Map<string, Window>();

  function live(key: string, at: number): Window | undefined {
    const window = windows.get(key);
    if (window && at >= window.endsAt) {
      windows.delete(key);
      return undefined;
    }
    return window;
  }

  return {
    health: null,

    async increment(key, windowMs) {
      const at = now();
      const window = live(key, at) ?? { endsAt: at + windowMs, count: 0 };
      window.count += 1;
      // Re-inserted so the Map's order is least recently incremented first.
      windows.delete(key);
      windows.set(key, window);
      while (windows.size > maxKeys) {
        const oldest = windows.keys().next();
        if (oldest.done) break;
        windows.delete(oldest.value);
      }
      return { count: window.count, remainingMs: window.endsAt - at };
    },

    async read(keys) {
      const at = now();
      return keys.map((key) => {
        const window = live(key, at);
        return window && { count: window.count, remainingMs: window.endsAt - at };
      });
    },

    async delete(keys) {
      for (const key of keys) windows.delete(key);
    },

    async open() {},
    async close() {},

    size: () => windows.size,
  };
}
