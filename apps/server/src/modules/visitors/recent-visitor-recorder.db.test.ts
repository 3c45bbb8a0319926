import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { createTestProject } from '../../test/test-project.js';
import { createRecentVisitorRecorder, type RecentVisitorRecorderDeps } from './recent-visitor-recorder.js';
import { listRecentVisitors, upsertRecentVisitors } from './recent-visitor-repository.js';

describe('recent-visitor recorder', () => {
  let t: TestApp;
  const clock = fixedClock(new Date('2026-11-29T12:00:00.000Z'));
  const recorders: Array<{ close(): Promise<void> }> = [];

  function recorder(options: Partial<RecentVisitorRecorderDeps> = {}) {
    // A long timer interval: the tests flush explicitly.
    const created = createRecentVisitorRecorder({ db: t.db, clock, flushMs: 3_600_000, ...options });
    recorders.push(created);
    return created;
  }

  const seen = async (projectUid: string) => (await listRecentVisitors(t.db, projectUid, 1000)).map((r) => r.visitorUid).sort();

  beforeEach(async () => {
    clock.set(new Date('2026-11-29T12:00:00.000Z'));
    t = await createTestApp();
  });
  afterEach(async () => {
    for (const r of recorders.splice(0)) await r.close();
    await t.close();
  });

  it('writes buffered sightings only when flushed, with their presets and attributes', async () => {
    const project = await createTestProject(t);
    const r = recorder();
    r.record(project.uid, 'v1', { COUNTRY: 'FR', PAGE_URL: 'https://shop.example/?a=1' }, { plan: 'gold' });
    expect(await seen(project.uid)).toEqual([]);
    await r.flush();
    expect(await listRecentVisitors(t.db, project.uid, 10)).toEqual([
      { projectUid: project.uid, visitorUid: 'v1', lastSeenAt: '2026-11-29T12:00:00.000Z', presets: { COUNTRY: 'FR', PAGE_URL: 'https://shop.example/?a=1' }, attributes: { plan: 'gold' } },
    ]);
  });

  it('records a visitor again only after the minimum interval', async () => {
    const project = await createTestProject(t);
    const r = recorder({ minIntervalMs: 60_000 });
    r.record(project.uid, 'v1', {}, { plan: 'gold' });
    await r.flush();
    clock.advance(30_000);
    r.record(project.uid, 'v1', {}, { plan: 'silver' });
    await r.flush();
    expect((await listRecentVisitors(t.db, project.uid, 10))[0]).toMatchObject({ lastSeenAt: '2026-11-29T12:00:00.000Z', attributes: { plan: 'gold' } });
    clock.advance(30_000);
    r.record(project.uid, 'v1', {}, { plan: 'silver' });
    await r.flush();
    expect((await listRecentVisitors(t.db, project.uid, 10))[0]).toMatchObject({ lastSeenAt: '2026-11-29T12:01:00.000Z', attributes: { plan: 'silver' } });
  });

  it('drops new visitors while the buffer is full instead of growing it', async () => {
    const project = await createTestProject(t);
    const r = recorder({ maxBuffered: 2 });
    for (const v of ['v1', 'v2', 'v3']) r.record(project.uid, v, {}, {});
    await r.flush();
    expect(await seen(project.uid)).toEqual(['v1', 'v2']);
    r.record(project.uid, 'v3', {}, {});
    await r.flush();
    expect(await seen(project.uid)).toEqual(['v1', 'v2', 'v3']);
  });

  it('flushes in small statements and lets other work run between them', async () => {
    const project = await createTestProject(t);
    const r = recorder({ chunkSize: 2 });
    for (let i = 0; i < 7; i++) r.record(project.uid, `v${i}`, {}, {});
    let ranDuringFlush = false;
    const flushed = r.flush();
    setImmediate(() => {
      ranDuringFlush = true;
    });
    await flushed;
    expect(ranDuringFlush).toBe(true);
    expect(await seen(project.uid)).toHaveLength(7);
  });

  it('skips sightings of a project deleted before the flush', async () => {
    const kept = await createTestProject(t);
    const gone = await createTestProject(t);
    const r = recorder();
    r.record(kept.uid, 'v1', {}, {});
    r.record(gone.uid, 'v2', {}, {});
    await t.db.kysely.deleteFrom('projects').where('uid', '=', gone.uid).execute();
    await r.flush();
    expect(await seen(kept.uid)).toEqual(['v1']);
  });

  it('prunes sightings past the retention and beyond the per-project cap, in bounded deletes', async () => {
    const project = await createTestProject(t);
    const other = await createTestProject(t);
    const at = (minutesAgo: number) => new Date(clock.now().getTime() - minutesAgo * 60_000).toISOString();
    const row = (projectUid: string, visitorUid: string, lastSeenAt: string) => ({ projectUid, visitorUid, lastSeenAt, presets: {}, attributes: {} });
    await upsertRecentVisitors(t.db, [
      row(other.uid, 'expired', at(31 * 24 * 60)),
      row(other.uid, 'fresh', at(60)),
      ...Array.from({ length: 9 }, (_, i) => row(project.uid, `old-${i}`, at(100 + i))),
    ]);
    const r = recorder({ maxPerProject: 4, retentionDays: 30, pruneEvery: 1, deleteChunkSize: 2 });
    r.record(project.uid, 'new', {}, {});
    await r.flush();
    expect(await seen(other.uid)).toEqual(['fresh']);
    // The cap applies to projects written since the last prune: the newest four of the ten remain.
    expect(await seen(project.uid)).toEqual(['new', 'old-0', 'old-1', 'old-2']);
  });

  it('writes what is buffered when closed', async () => {
    const project = await createTestProject(t);
    const r = createRecentVisitorRecorder({ db: t.db, clock, flushMs: 3_600_000 });
    r.record(project.uid, 'v1', {}, {});
    await r.close();
    expect(await seen(project.uid)).toEqual(['v1']);
  });
});
