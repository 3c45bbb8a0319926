import type { Db } from '../../db/create-db.js';
import type { Clock } from '../../shared/clock.js';
import { readCursor } from './rollup-repository.js';

/** Contentstack keeps analytics for a rolling six months (spec §1.7). */
export const DEFAULT_RETENTION_MONTHS = 6;
export const RETENTION_INTERVAL_MS = 3_600_000;

/** The oldest instant still inside the window: `months` calendar months before now (UTC). */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

export interface RetentionResult {
  cutoff: string;
  rawEvents: number;
  impressions: number;
  conversions: number;
  buckets: number;
}

function count(result: ReadonlyArray<{ numDeletedRows: bigint }>): number {
  return result.reduce((s, r) => s + Number(r.numDeletedRows), 0);
}

/**
 * Drops raw events, first-seen rows and buckets older than the window. Raw events the worker has
 * not rolled up yet are kept whatever their age, so a stalled worker never loses counts.
 */
export function createRetentionJob(deps: { db: Db; clock: Clock; months: number; intervalMs?: number }) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();

  async function dropExpired(): Promise<RetentionResult> {
    const db = deps.db.kysely;
    const cutoff = retentionCutoff(deps.clock.now(), deps.months).toISOString();
    const cursor = await readCursor(db);
    const rawLimit = cursor && cursor.receivedAt < cutoff ? cursor.receivedAt : cutoff;
    const rawEvents = count(await db.deleteFrom('edge_events').where('received_at', '<', rawLimit).execute());
    const impressions = count(await db.deleteFrom('analytics_impressions').where('last_at', '<', cutoff).execute());
    const conversions = count(await db.deleteFrom('analytics_conversions').where('first_at', '<', cutoff).execute());
    // A bucket goes once it has ended before the cutoff; a day straddling it stays whole.
    const buckets = count(
      await db
        .deleteFrom('analytics_rollups')
        .where((eb) =>
          eb.or([
            eb.and([eb('granularity', '=', 'hour'), eb('bucket_at', '<=', new Date(Date.parse(cutoff) - 3_600_000).toISOString())]),
            eb.and([eb('granularity', '=', 'day'), eb('bucket_at', '<=', new Date(Date.parse(cutoff) - 86_400_000).toISOString())]),
          ]),
        )
        .execute(),
    );
    return { cutoff, rawEvents, impressions, conversions, buckets };
  }

  function serialized(): Promise<RetentionResult> {
    const run = running.then(dropExpired);
    running = run.catch(() => undefined);
    return run;
  }

  return {
    months: deps.months,
    dropExpired: serialized,
    start(onError: (error: unknown) => void): void {
      if (timer) return;
      timer = setInterval(() => {
        serialized().catch(onError);
      }, deps.intervalMs ?? RETENTION_INTERVAL_MS);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

export type RetentionJob = ReturnType<typeof createRetentionJob>;
