import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import { insertRawEvents, seedAbTest, type SeededTest } from './analytics-test-fixtures.js';
import { versionTotals } from './analytics-repository.js';
import { createRetentionJob, retentionCutoff } from './retention.js';
import { createRollupWorker } from './rollup-worker.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('rollup worker and retention (real database)', () => {
  let t: TestApp;
  let project: TestProject;
  let test: SeededTest;
  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t);
    test = await seedAbTest(t, project);
  });
  afterEach(async () => {
    await t.close();
  });

  const totals = async () =>
    Object.fromEntries((await versionTotals(t.db.kysely, test.versionUid)).map((r) => [`${r.variantShortUid}|${r.eventUid === '' ? 'imp' : 'conv'}`, r.total]));
  const hourTotal = async () => {
    const rows = await t.db.kysely.selectFrom('analytics_rollups').select(['total']).where('granularity', '=', 'hour').execute();
    return rows.reduce((s, r) => s + Number(r.total), 0);
  };

  it('never double-counts duplicates, replays or batches split at any point', async () => {
    await t.app.services.analytics.stop(); // keep the app's own loop out of this test
    const start = t.clock.now().getTime();
    const events = [];
    for (let v = 0; v < 20; v++) {
      const variant = String(v % 2);
      // Each visitor's impression is sent three times (three rows), and each converts twice.
      for (let k = 0; k < 3; k++) events.push({ visitor: `v${v}`, at: start + v * 1000 + k, variant });
      events.push({ visitor: `v${v}`, at: start + v * 1000 + 10 }, { visitor: `v${v}`, at: start + v * 1000 + 20 });
    }
    await insertRawEvents(t, project, test, events);
    t.clock.advance(DAY);
    const worker = createRollupWorker({ db: t.db, clock: t.clock }, { batchSize: 7, settleMs: 2000, intervalMs: 1000 });
    const first = await worker.catchUp();
    expect(first.processed).toBe(100);
    expect(await totals()).toEqual({ '0|imp': 10, '1|imp': 10, '0|conv': 10, '1|conv': 10 });
    expect(await hourTotal()).toBe(40);
    // A replay (cursor lost) must change nothing: only first sightings count.
    await t.db.kysely.deleteFrom('analytics_cursors').execute();
    expect((await worker.catchUp()).processed).toBe(100);
    expect(await totals()).toEqual({ '0|imp': 10, '1|imp': 10, '0|conv': 10, '1|conv': 10 });
    expect(await hourTotal()).toBe(40);
  });

  it('does a bounded share of a backlog and says how far it got', async () => {
    await t.app.services.analytics.stop();
    const worker = createRollupWorker({ db: t.db, clock: t.clock }, { batchSize: 2, settleMs: 2000, intervalMs: 1000 });
    const start = t.clock.now().getTime() - 60_000;
    await insertRawEvents(t, project, test, Array.from({ length: 5 }, (_, i) => ({ visitor: `b${i}`, at: start + i * 1000, variant: '0' })));
    const partial = await worker.catchUp({ maxBatches: 1 });
    expect(partial).toEqual({ processed: 2, collectedUpTo: new Date(start + 1000).toISOString() });
    const rest = await worker.catchUp();
    expect(rest).toEqual({ processed: 3, collectedUpTo: new Date(t.clock.now().getTime() - 2000).toISOString() });
  });

  it('counts an event that arrives late but inside the settle margin', async () => {
    await t.app.services.analytics.stop();
    const worker = createRollupWorker({ db: t.db, clock: t.clock }, { batchSize: 100, settleMs: 2000, intervalMs: 1000 });
    const now = t.clock.now().getTime();
    await insertRawEvents(t, project, test, [{ visitor: 'a', at: now - 5000, variant: '0' }]);
    await worker.catchUp();
    // Committed after the run above, with an earlier received_at than "now" but inside the margin.
    await insertRawEvents(t, project, test, [{ visitor: 'b', at: now - 1000, variant: '1' }]);
    t.clock.advance(2000);
    await worker.catchUp();
    expect(await totals()).toEqual({ '0|imp': 1, '1|imp': 1 });
  });

  it('keeps counting while the background loop and explicit calls race', async () => {
    const start = t.clock.now().getTime();
    await insertRawEvents(t, project, test, Array.from({ length: 300 }, (_, i) => ({ visitor: `r${i}`, at: start + i, variant: String(i % 2) })));
    t.clock.advance(10_000);
    await Promise.all([t.app.services.analytics.catchUp(), t.app.services.analytics.catchUp(), t.app.services.analytics.catchUp()]);
    expect(await totals()).toEqual({ '0|imp': 150, '1|imp': 150 });
  });

  it('drops raw events, first-seen rows and buckets older than the window, keeping what is not rolled up yet', async () => {
    await t.app.services.analytics.stop();
    const now = t.clock.now().getTime();
    const old = now - 200 * DAY;
    await insertRawEvents(t, project, test, [
      { visitor: 'old', at: old, variant: '0' },
      { visitor: 'old', at: old + HOUR },
      { visitor: 'new', at: now - DAY, variant: '1' },
    ]);
    const worker = createRollupWorker({ db: t.db, clock: t.clock }, { batchSize: 100, settleMs: 2000, intervalMs: 1000 });
    await worker.catchUp();
    // Not rolled up yet (inside the settle margin) and therefore kept whatever happens.
    await insertRawEvents(t, project, test, [{ visitor: 'late', at: now, variant: '0' }]);
    expect(await totals()).toEqual({ '0|imp': 1, '0|conv': 1, '1|imp': 1 });

    const job = createRetentionJob({ db: t.db, clock: t.clock, months: 6 });
    const result = await job.dropExpired();
    expect(result).toMatchObject({ cutoff: retentionCutoff(t.clock.now(), 6).toISOString(), rawEvents: 2, impressions: 1, conversions: 1, buckets: 4 });
    expect(await totals()).toEqual({ '1|imp': 1 });
    const raw = await t.db.kysely.selectFrom('edge_events').select('visitor_uid').orderBy('received_at').execute();
    expect(raw.map((r) => r.visitor_uid)).toEqual(['new', 'late']);
    expect((await job.dropExpired()).rawEvents).toBe(0);
  });

  it('computes the cutoff in calendar months', () => {
    expect(retentionCutoff(new Date('2026-11-29T12:00:00.000Z'), 6).toISOString()).toBe('2026-05-29T12:00:00.000Z');
  });

  it('runs in the background once the app is ready and stops with it', async () => {
    await insertRawEvents(t, project, test, [{ visitor: 'bg', at: t.clock.now().getTime() - 10_000, variant: '0' }]);
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (await t.db.kysely.selectFrom('analytics_impressions').select('visitor_uid').execute()).length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await t.db.kysely.selectFrom('analytics_impressions').select('visitor_uid').execute()).map((r) => r.visitor_uid)).toEqual(['bg']);
  });
});
