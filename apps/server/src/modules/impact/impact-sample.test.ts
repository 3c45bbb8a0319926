import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import { upsertRecentVisitors } from '../visitors/recent-visitor-repository.js';
import { createImpactSampleSource } from './impact-sample.js';

describe('impact sample', () => {
  let t: TestApp;
  let project: TestProject;
  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t);
  });
  afterEach(async () => t.close());

  const seen = (uids: string[], at: string) =>
    upsertRecentVisitors(
      t.db,
      uids.map((visitorUid) => ({ projectUid: project.uid, visitorUid, lastSeenAt: at, presets: { COUNTRY: 'US' }, attributes: { n: 1 } })),
    );

  it('reads every visitor once, newest first, across pages that split visitors seen at the same time', async () => {
    await seen(['a', 'b', 'c', 'd', 'e'], '2026-11-29T10:00:00.000Z');
    await seen(['f', 'g'], '2026-11-29T11:00:00.000Z');
    const sample = await createImpactSampleSource(t.db, { pageSize: 2 }).get(project.uid);
    expect(sample.visitors.map((v) => v.row.visitorUid)).toEqual(['g', 'f', 'e', 'd', 'c', 'b', 'a']);
    expect(sample.visitors[0]?.context).toEqual({ attributes: { n: 1 }, presets: { COUNTRY: 'US' }, now: Date.parse('2026-11-29T11:00:00.000Z') });
  });

  it('stops at the most visitors it may read', async () => {
    await seen(['a', 'b', 'c', 'd', 'e'], '2026-11-29T10:00:00.000Z');
    const sample = await createImpactSampleSource(t.db, { pageSize: 2, maxVisitors: 3 }).get(project.uid);
    expect(sample.visitors).toHaveLength(3);
  });

  it('reuses a fresh sample, serves a stale one while re-reading, and never remembers an empty one', async () => {
    let clock = 0;
    const source = createImpactSampleSource(t.db, { ttlMs: 100, maxStaleMs: 1000, monotonicNow: () => clock });
    expect((await source.get(project.uid)).visitors).toHaveLength(0);
    await seen(['a'], '2026-11-29T10:00:00.000Z');
    const first = await source.get(project.uid);
    expect(first.visitors).toHaveLength(1);
    await seen(['b'], '2026-11-29T10:00:01.000Z');
    expect(await source.get(project.uid)).toBe(first);
    clock = 500;
    expect(await source.get(project.uid)).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await source.get(project.uid)).visitors.map((v) => v.row.visitorUid)).toEqual(['b', 'a']);
  });
});
