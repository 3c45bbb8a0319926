import { performance } from 'node:perf_hooks';
import type { Db } from '../../db/create-db.js';
import type { Clock } from '../../shared/clock.js';
import { applyBatch } from './rollup.js';
import { loadState, lockCursor, readCursor, readEventsAfter, saveCursor, writeDelta } from './rollup-repository.js';

export interface RollupWorkerOptions {
  /** Raw events per transaction. */
  batchSize: number;
  /**
   * Events younger than this are left for the next run: concurrent ingest transactions can
   * commit a little out of received_at order, and the cursor must not pass an event that is
   * still about to appear (ADR 0050).
   */
  settleMs: number;
  /** How often the background loop looks for new events. */
  intervalMs: number;
  /**
   * Longest pause of the loop after failed runs: it waits twice as long after each failure in a
   * row, so a database that is down is asked a few times a minute, not every second.
   */
  maxBackoffMs?: number;
}

/** Per tick, so an explicit catch-up queued behind the loop waits seconds at most. */
const BACKGROUND_BATCHES_PER_TICK = 25;

export const DEFAULT_ROLLUP_OPTIONS: RollupWorkerOptions = { batchSize: 2000, settleMs: 2000, intervalMs: 1000, maxBackoffMs: 30_000 };

export interface CatchUpResult {
  /** Raw events rolled up by this call. */
  processed: number;
  /** Every event received up to this instant is counted. */
  collectedUpTo: string;
}

/**
 * Tails edge_events by cursor and folds each batch into the first-seen tables and buckets. The
 * cursor and the counts move in one transaction, so a crash replays a batch whole or not at all;
 * and because only first sightings count, a replayed event changes nothing.
 */
export function createRollupWorker(deps: { db: Db; clock: Clock }, options: RollupWorkerOptions = DEFAULT_ROLLUP_OPTIONS) {
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let looping = false;

  async function runBatch(horizon: string): Promise<number> {
    return deps.db.kysely.transaction().execute(async (trx) => {
      const now = deps.clock.now().toISOString();
      const cursor = await lockCursor(trx, deps.db.dialect, now);
      const events = await readEventsAfter(trx, cursor, horizon, options.batchSize);
      const last = events[events.length - 1];
      if (!last) return 0;
      const delta = applyBatch(events, await loadState(trx, events));
      await writeDelta(trx, delta);
      await saveCursor(trx, { receivedAt: new Date(last.receivedAt).toISOString(), eventUid: last.uid }, now);
      return events.length;
    });
  }

  async function drain(maxBatches: number): Promise<CatchUpResult> {
    const horizon = new Date(deps.clock.now().getTime() - options.settleMs).toISOString();
    let processed = 0;
    for (let batches = 0; batches < maxBatches; batches++) {
      const n = await runBatch(horizon);
      processed += n;
      if (n < options.batchSize) return { processed, collectedUpTo: horizon };
    }
    // Out of budget while behind: the answer is complete only up to where the cursor stands.
    const cursor = await readCursor(deps.db.kysely);
    return { processed, collectedUpTo: cursor?.receivedAt ?? horizon };
  }

  /**
   * Runs are serialized: a call waits for a running one, then runs itself. `maxBatches` bounds
   * the work, so a request never waits for a large backlog (the background loop works it off).
   */
  function catchUp(limits: { maxBatches?: number } = {}): Promise<CatchUpResult> {
    const run = chain.then(() => drain(limits.maxBatches ?? Number.POSITIVE_INFINITY));
    chain = run.catch(() => undefined);
    return run;
  }

  return {
    catchUp,
    /** Runs the loop until stop(); a failed run is reported to `onError` and retried after a backoff. */
    start(onError: (error: unknown) => void): void {
      if (timer) return;
      let failures = 0;
      let resumeAt = 0;
      timer = setInterval(() => {
        if (looping || performance.now() < resumeAt) return;
        looping = true;
        catchUp({ maxBatches: BACKGROUND_BATCHES_PER_TICK })
          .then(
            () => {
              failures = 0;
            },
            (error: unknown) => {
              failures += 1;
              resumeAt = performance.now() + Math.min(options.maxBackoffMs ?? 30_000, options.intervalMs * 2 ** failures);
              onError(error);
            },
          )
          .finally(() => {
            looping = false;
          });
      }, options.intervalMs);
      // The loop must never keep a CLI command or a test process alive.
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await chain;
    },
  };
}

export type RollupWorker = ReturnType<typeof createRollupWorker>;
