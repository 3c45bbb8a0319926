import type { Config } from '../config.js';
import { createFallbackLimitStore, type LimitStoreLog } from './fallback-limit-store.js';
import { createMemoryLimitStore, type LimitStore } from './limit-store.js';
import { createRedisCounters } from './redis-counters.js';

/**
 * The app's one limit store (ADR 0097): Redis when REDIS_URL is set, degrading to memory while it
 * does not answer; otherwise this process's memory alone.
 */
export function createLimitStore(redis: Config['redis'], deps: { now: () => number; log: LimitStoreLog }): LimitStore {
  const memory = createMemoryLimitStore({ now: deps.now });
  if (redis === null) return memory;
  return createFallbackLimitStore(createRedisCounters({ url: redis.url, keyPrefix: redis.keyPrefix }), memory, deps.log);
}
