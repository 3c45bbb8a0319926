import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/create-db.js';
import { fixedClock } from '../../shared/clock.js';
import { createRollupWorker } from './rollup-worker.js';

/** A database whose every transaction fails with a refused connection while `down`, and finds no events otherwise. */
function flakyDb() {
  const state = { down: true, runs: 0 };
  const kysely = {
    transaction: () => ({
      execute: async () => {
        state.runs += 1;
        if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return 0;
      },
    }),
  };
  return { db: { kysely, dialect: 'postgres', close: async () => undefined } as unknown as Db, state };
}

describe('rollup worker background loop', () => {
  it('keeps running through a database outage, asking less often while it lasts, and resumes its pace after', async () => {
    const { db, state } = flakyDb();
    const worker = createRollupWorker({ db, clock: fixedClock(new Date('2026-11-29T12:00:00.000Z')) }, { batchSize: 100, settleMs: 0, intervalMs: 10, maxBackoffMs: 80 });
    const reported: unknown[] = [];
    worker.start((error) => reported.push(error));
    try {
      await sleep(500);
      // Every 10 ms would be about 50 runs; backing off 20, 40, 80, 80 … ms makes it about 8.
      expect(state.runs).toBeGreaterThanOrEqual(3);
      expect(state.runs).toBeLessThanOrEqual(15);
      expect(reported).toHaveLength(state.runs);
      state.down = false;
      await sleep(150);
      const recovered = state.runs;
      await sleep(300);
      // Back at one run per tick once a run succeeds.
      expect(state.runs - recovered).toBeGreaterThanOrEqual(10);
      expect(reported.length).toBeLessThan(recovered);
    } finally {
      await worker.stop();
    }
  });
});
