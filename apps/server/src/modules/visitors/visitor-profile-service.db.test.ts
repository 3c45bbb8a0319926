import type { KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toJson } from '../../db/mappers.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { isPostgresRun } from '../../test/test-db.js';
import { createTestProject } from '../../test/test-project.js';
import { createVisitorProfileService } from './visitor-profile-service.js';

describe('visitor profile service', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  /** Writes a profile behind the service's back, as another process would. */
  const storeDirectly = (projectUid: string, visitorUid: string, attributes: Record<string, string>) =>
    t.db.kysely
      .insertInto('visitor_profiles')
      .values({ project_uid: projectUid, visitor_uid: visitorUid, attributes: toJson(attributes), created_at: '2026-11-29T12:00:00.000Z', updated_at: '2026-11-29T12:00:00.000Z' })
      .onConflict((oc) => oc.columns(['project_uid', 'visitor_uid']).doUpdateSet({ attributes: toJson(attributes) }))
      .execute();

  it('answers from its cache once read, and keeps it coherent with its own writes', async () => {
    const project = await createTestProject(t);
    const profiles = createVisitorProfileService({ db: t.db, clock: t.clock, cacheTtlMs: Number.POSITIVE_INFINITY });
    await storeDirectly(project.uid, 'v1', { plan: 'gold' });
    expect(profiles.cachedAttributes(project.uid, 'v1')).toBeUndefined();
    expect(await profiles.getAttributes(project.uid, 'v1')).toEqual({ plan: 'gold' });
    expect(profiles.cachedAttributes(project.uid, 'v1')).toEqual({ plan: 'gold' });
    await profiles.patchAttributes(project.uid, 'v1', { plan: 'silver', age: 40 });
    expect(profiles.cachedAttributes(project.uid, 'v1')).toEqual({ plan: 'silver', age: 40 });
    await profiles.mergeProfiles(project.uid, 'v1', 'v2');
    expect(profiles.cachedAttributes(project.uid, 'v2')).toEqual({ plan: 'silver', age: 40 });
    // Unknown visitors are cached as empty, so a stream of new uids reads each one once.
    expect(await profiles.getAttributes(project.uid, 'nobody')).toEqual({});
    expect(profiles.cachedAttributes(project.uid, 'nobody')).toEqual({});
  });

  it('trusts a cached profile only for its time to live, so writes by other processes are seen', async () => {
    const project = await createTestProject(t);
    let now = 0;
    const profiles = createVisitorProfileService({ db: t.db, clock: t.clock, cacheTtlMs: 1000, monotonicNow: () => now });
    await storeDirectly(project.uid, 'v1', { plan: 'gold' });
    await profiles.getAttributes(project.uid, 'v1');
    await storeDirectly(project.uid, 'v1', { plan: 'silver' });
    now = 999;
    expect(await profiles.getAttributes(project.uid, 'v1')).toEqual({ plan: 'gold' });
    now = 1000;
    expect(profiles.cachedAttributes(project.uid, 'v1')).toBeUndefined();
    expect(await profiles.getAttributes(project.uid, 'v1')).toEqual({ plan: 'silver' });
  });

  // On SQLite a read and its caching cannot be split by a write (one connection, results held
  // until transformed), so the interleaving only exists — and is only testable — on PostgreSQL.
  it.skipIf(!isPostgresRun())('does not cache a read that a write of this process overtook', async () => {
    const project = await createTestProject(t);
    await storeDirectly(project.uid, 'v1', { plan: 'gold' });
    // Holds back the first query's result (the read) until the write has finished.
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    const holdFirstResult: KyselyPlugin = {
      transformQuery: ({ node }) => node,
      transformResult: async ({ result }) => {
        if (!held) {
          held = true;
          await gate;
        }
        return result;
      },
    };
    const profiles = createVisitorProfileService({ db: { ...t.db, kysely: t.db.kysely.withPlugin(holdFirstResult) }, clock: t.clock, cacheTtlMs: 60_000 });
    const read = profiles.getAttributes(project.uid, 'v1');
    await profiles.patchAttributes(project.uid, 'v1', { plan: 'silver' });
    release();
    expect(await read).toEqual({ plan: 'gold' });
    expect(profiles.cachedAttributes(project.uid, 'v1')).toEqual({ plan: 'silver' });
  });

  it('evicts the oldest entry beyond its size', async () => {
    const project = await createTestProject(t);
    const profiles = createVisitorProfileService({ db: t.db, clock: t.clock, cacheSize: 2, cacheTtlMs: Number.POSITIVE_INFINITY });
    for (const v of ['a', 'b', 'c']) await profiles.getAttributes(project.uid, v);
    expect(profiles.cachedAttributes(project.uid, 'a')).toBeUndefined();
    expect(profiles.cachedAttributes(project.uid, 'c')).toEqual({});
  });
});
