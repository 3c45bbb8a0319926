import { Redis } from 'ioredis';
import type { SharedCounters } from './fallback-limit-store.js';
import type { LimitCount } from './limit-store.js';

// One round trip, and atomic: two processes starting the same window agree on when it ends. PTTL
// below 0 also repairs a key that lost its expiry, which would otherwise lock out for good.
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

const READ = `
local out = {}
for i, key in ipairs(KEYS) do
  out[2 * i - 1] = tonumber(redis.call('GET', key) or '0')
  out[2 * i] = redis.call('PTTL', key)
end
return out`;

interface ScriptCommands {
  tailorLimitIncrement(key: string, windowMs: number): Promise<[number, number]>;
  tailorLimitRead(...args: [number, ...string[]]): Promise<number[]>;
}

export interface RedisCountersOptions {
  url: string;
  /** Prepended to every key: `tailor:` or `tailor:<REDIS_KEY_PREFIX>:`. */
  keyPrefix: string;
  /** Longest a command may take before the operation is counted in memory instead. */
  commandTimeoutMs?: number;
}

/**
 * Counters in Redis. Every operation rejects quickly when Redis does not answer (nothing is
 * queued while disconnected, a command times out after `commandTimeoutMs`), so that a log-in
 * never waits on an outage; the fallback store counts those in memory.
 */
export function createRedisCounters(options: RedisCountersOptions): SharedCounters {
  const client = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 300,
    connectTimeout: 2000,
    // Reconnects forever, at most 1 s apart, so the limits are shared again soon after an outage.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
  client.defineCommand('tailorLimitIncrement', { numberOfKeys: 1, lua: INCREMENT });
  client.defineCommand('tailorLimitRead', { lua: READ });
  const scripts = client as unknown as ScriptCommands;
  const key = (name: string) => options.keyPrefix + name;

  return {
    async increment(name, windowMs): Promise<LimitCount> {
      const [count, remainingMs] = await scripts.tailorLimitIncrement(key(name), windowMs);
      return { count, remainingMs };
    },

    async read(names) {
      if (names.length === 0) return [];
      const flat = await scripts.tailorLimitRead(names.length, ...names.map(key));
      return names.map((_, i) => {
        const count = flat[2 * i] ?? 0;
        const remainingMs = flat[2 * i + 1] ?? -2;
        // PTTL -2: no such key. -1 (no expiry) cannot be left by INCREMENT; treat it as absent.
        return count > 0 && remainingMs > 0 ? { count, remainingMs } : undefined;
      });
    },

    async delete(names) {
      if (names.length > 0) await client.del(...names.map(key));
    },

    async connect(timeoutMs) {
      if (client.status === 'ready') return true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      // A failed first attempt rejects here, but the client keeps reconnecting on its own.
      const connected = client.connect().then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([connected, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    onChange(listener) {
      client.on('ready', () => listener(true));
      // Also keeps ioredis from printing unhandled 'error' events on every reconnect attempt.
      client.on('error', (error: unknown) => listener(false, error));
      client.on('close', () => listener(false, new Error('connection to Redis closed')));
    },

    async close() {
      client.disconnect();
    },
  };
}
