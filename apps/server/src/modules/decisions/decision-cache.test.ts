import { decide } from '@tailor/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/create-db.js';
import { toJson } from '../../db/mappers.js';
import { newUid } from '../../shared/ids.js';
import { createTestDb } from '../../test/test-db.js';
import { createDecisionCache, type SnapshotBuild } from './decision-cache.js';
import type { DecisionInputs, DecisionSource } from './decision-inputs.js';
import { equalsRule } from '../edge/edge-test-seed.js';

const PLAN = newUid();

const planIs = (value: string) => equalsRule(PLAN, value);

/** A project whose one segmented experience "a" gives variant "0" to the audience's members. */
function inputs(audienceValue: string): DecisionInputs {
  return {
    customAttributes: [{ uid: PLAN, key: 'plan' }],
    audiences: [{ uid: 'aud1', definition: planIs(audienceValue) }],
    experiences: [
      {
        uid: 'exp1',
        shortUid: 'a',
        type: 'SEGMENTED',
        tags: [],
        active: { versionUid: 'v1', variants: [{ shortUid: '0', audiences: ['aud1'], payload: { hero: 'gold' } }] },
      },
    ],
  };
}

/** A mutable in-memory source: what "the database" holds for the test's project; counts reads by part. */
function fakeSource(initial: DecisionInputs) {
  const reads = { attributes: 0, audiences: 0, experiences: 0 };
  const source = {
    current: initial,
    reads,
    get loads() {
      return reads.experiences;
    },
    async customAttributes() {
      reads.attributes += 1;
      return source.current.customAttributes;
    },
    async audiences(_project: string, uids?: readonly string[]) {
      reads.audiences += 1;
      return uids === undefined ? source.current.audiences : source.current.audiences.filter((a) => uids.includes(a.uid));
    },
    async experiences() {
      reads.experiences += 1;
      return source.current.experiences;
    },
  } satisfies DecisionSource & Record<string, unknown>;
  return source;
}

async function insertProject(db: Db): Promise<string> {
  const org = newUid();
  const uid = newUid();
  const now = new Date().toISOString();
  await db.kysely.insertInto('organizations').values({ uid: org, name: 'Org', created_at: now, updated_at: now }).execute();
  await db.kysely
    .insertInto('projects')
    .values({
      uid,
      org_uid: org,
      name: 'P',
      description: '',
      connected_stack_api_key: null,
      limits: toJson({}),
      experience_counter: 0,
      created_at: now,
      updated_at: now,
      created_by: 'x',
      updated_by: 'x',
      created_by_user_name: 'X',
      updated_by_user_name: 'X',
    })
    .execute();
  return uid;
}

const gold = { attributes: { plan: 'gold' }, presets: {}, now: 0 };

describe('decision cache', () => {
  let db: Db;
  let project: string;
  let clock = 0;
  const monotonicNow = () => clock;

  beforeEach(async () => {
    db = await createTestDb();
    project = await insertProject(db);
    clock = 0;
  });
  afterEach(async () => db.close());

  it('builds a project snapshot once and serves it from memory', async () => {
    const source = fakeSource(inputs('gold'));
    const cache = createDecisionCache({ db, source, monotonicNow });
    const first = await cache.get(project);
    const second = await cache.get(project);
    expect(first).not.toBeNull();
    expect(second).toBe(first);
    expect(source.loads).toBe(1);
    expect(decide(first!.engine, 'v', gold).experiences).toEqual([{ shortUid: 'a', activeVariantShortUid: '0' }]);
    expect(first!.attributeKeys.get('plan')).toBe(PLAN);
    expect(first!.experiences.get('a')?.variants.get('0')).toEqual({ hero: 'gold' });
  });

  it('returns null for unknown and malformed project uids without loading', async () => {
    const source = fakeSource(inputs('gold'));
    const cache = createDecisionCache({ db, source, monotonicNow });
    expect(await cache.get(newUid())).toBeNull();
    expect(await cache.get('not-a-uid')).toBeNull();
    expect(source.loads).toBe(0);
  });

  it('installs the rebuilt snapshot before a change listener resolves', async () => {
    const source = fakeSource(inputs('gold'));
    const cache = createDecisionCache({ db, source, monotonicNow });
    const before = await cache.get(project);
    source.current = inputs('silver');
    await cache.handleChange({ projectUid: project, resource: 'audience', resourceUid: 'aud1' });
    const after = await cache.get(project);
    expect(after!.revision).toBe(before!.revision + 1);
    expect(decide(after!.engine, 'v', gold).experiences[0]?.activeVariantShortUid).toBeNull();
  });

  it('reloads only the changed audience when no other change happened in between', async () => {
    const source = fakeSource(inputs('gold'));
    const cache = createDecisionCache({ db, source, monotonicNow });
    await cache.get(project);
    source.current = inputs('silver');
    await cache.handleChange({ projectUid: project, resource: 'audience', resourceUid: 'aud1' });
    expect(source.reads).toEqual({ attributes: 1, audiences: 2, experiences: 1 });
    const after = await cache.get(project);
    expect(decide(after!.engine, 'v', { ...gold, attributes: { plan: 'silver' } }).experiences[0]?.activeVariantShortUid).toBe('0');
  });

  it('reloads everything when another process changed the project in between', async () => {
    const source = fakeSource(inputs('gold'));
    const mine = createDecisionCache({ db, source, monotonicNow });
    const other = createDecisionCache({ db, source, monotonicNow });
    await mine.get(project);
    await other.get(project);
    await other.handleChange({ projectUid: project, resource: 'experience', resourceUid: 'exp1' });
    const before = { ...source.reads };
    await mine.handleChange({ projectUid: project, resource: 'audience', resourceUid: 'aud1' });
    expect(source.reads.experiences).toBe(before.experiences + 1);
    expect((await mine.get(project))!.revision).toBe(2);
  });

  it('sees a change made by another process after the re-check interval', async () => {
    const source = fakeSource(inputs('gold'));
    const mine = createDecisionCache({ db, source, monotonicNow, recheckMs: 1000 });
    const other = createDecisionCache({ db, source, monotonicNow, recheckMs: 1000 });
    await mine.get(project);
    source.current = inputs('silver');
    await other.handleChange({ projectUid: project, resource: 'audience', resourceUid: 'aud1' });

    clock = 500; // within the interval: no database read, the old snapshot
    expect((await mine.get(project))!.revision).toBe(0);
    clock = 1000; // due: this request still gets the old snapshot, the re-check runs behind it
    await mine.get(project);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fresh = await mine.get(project);
    expect(fresh!.revision).toBe(1);
    expect(decide(fresh!.engine, 'v', gold).experiences[0]?.activeVariantShortUid).toBeNull();
  });

  it('forgets a deleted project', async () => {
    const cache = createDecisionCache({ db, source: fakeSource(inputs('gold')), monotonicNow });
    expect(await cache.get(project)).not.toBeNull();
    await db.kysely.deleteFrom('projects').where('uid', '=', project).execute();
    await cache.handleChange({ projectUid: project, resource: 'project', resourceUid: null });
    expect(await cache.get(project)).toBeNull();
  });

  it('reports each build, failed ones included, and the revisions it holds', async () => {
    const source = fakeSource(inputs('gold'));
    const builds: SnapshotBuild[] = [];
    const cache = createDecisionCache({ db, source, monotonicNow, onBuild: (build) => builds.push(build) });
    expect(cache.heldRevisions()).toEqual([]);
    await cache.get(project);
    source.current = inputs('silver');
    await cache.handleChange({ projectUid: project, resource: 'audience', resourceUid: 'aud1' });
    expect(cache.heldRevisions()).toEqual([[project, 1]]);
    source.experiences = async () => {
      throw new Error('database unreachable');
    };
    await expect(cache.handleChange({ projectUid: project, resource: 'project', resourceUid: null })).rejects.toThrow('database unreachable');
    expect(builds.map(({ kind, failed }) => ({ kind, failed }))).toEqual([
      { kind: 'full', failed: false },
      { kind: 'incremental', failed: false },
      { kind: 'full', failed: true },
    ]);
    expect(builds.every((b) => b.seconds === 0)).toBe(true);
  });

  it('ignores event definition changes (they are not part of decisions)', async () => {
    const source = fakeSource(inputs('gold'));
    const cache = createDecisionCache({ db, source, monotonicNow });
    await cache.get(project);
    await cache.handleChange({ projectUid: project, resource: 'event', resourceUid: 'e' });
    expect(source.loads).toBe(1);
  });

  describe('changes announced by other processes', () => {
    it('applies the next revision by reloading only the changed part', async () => {
      const source = fakeSource(inputs('gold'));
      const mine = createDecisionCache({ db, source, monotonicNow });
      const other = createDecisionCache({ db, source, monotonicNow });
      await mine.get(project);
      source.current = inputs('silver');
      const change = { projectUid: project, resource: 'audience', resourceUid: 'aud1' } as const;
      const revision = await other.handleChange(change);
      expect(revision).toBe(1);
      const before = { ...source.reads };
      await mine.handleRemote(change, revision);
      expect(source.reads).toEqual({ ...before, audiences: before.audiences + 1 });
      const fresh = mine.peek(project);
      expect(fresh?.revision).toBe(1);
      expect(decide(fresh!.engine, 'v', gold).experiences[0]?.activeVariantShortUid).toBeNull();
    });

    it('reloads everything when an announcement was missed, and ignores what it already holds', async () => {
      const source = fakeSource(inputs('gold'));
      const mine = createDecisionCache({ db, source, monotonicNow });
      const other = createDecisionCache({ db, source, monotonicNow });
      await mine.get(project);
      await other.handleChange({ projectUid: project, resource: 'experience', resourceUid: 'exp1' });
      source.current = inputs('silver');
      const second = await other.handleChange({ projectUid: project, resource: 'audience', resourceUid: 'aud1' });
      const before = { ...source.reads };
      await mine.handleRemote({ projectUid: project, resource: 'audience', resourceUid: 'aud1' }, second);
      expect(source.reads.experiences).toBe(before.experiences + 1);
      expect(mine.peek(project)?.revision).toBe(2);
      const settled = { ...source.reads };
      await mine.handleRemote({ projectUid: project, resource: 'experience', resourceUid: 'exp1' }, 1);
      expect(source.reads).toEqual(settled);
    });

    it('forgets that a project was unknown once another process announces it', async () => {
      const source = fakeSource(inputs('gold'));
      const cache = createDecisionCache({ db, source, monotonicNow, recheckMs: 1000 });
      const later = newUid();
      expect(await cache.get(later)).toBeNull();
      await db.kysely
        .insertInto('projects')
        .values({ ...(await db.kysely.selectFrom('projects').selectAll().where('uid', '=', project).executeTakeFirstOrThrow()), uid: later, name: 'Later' })
        .execute();
      expect(await cache.get(later)).toBeNull(); // remembered as unknown for the re-check interval
      await cache.handleRemote({ projectUid: later, resource: 'project', resourceUid: later }, 1);
      expect(await cache.get(later)).not.toBeNull();
    });

    it('resyncs by rebuilding only the projects whose revision moved', async () => {
      const source = fakeSource(inputs('gold'));
      const mine = createDecisionCache({ db, source, monotonicNow });
      const other = createDecisionCache({ db, source, monotonicNow });
      await mine.get(project);
      await mine.resync();
      expect(source.loads).toBe(1);
      source.current = inputs('silver');
      await other.handleChange({ projectUid: project, resource: 'audience', resourceUid: 'aud1' });
      await mine.resync();
      expect(source.loads).toBe(2);
      expect(mine.peek(project)?.revision).toBe(1);
      await db.kysely.deleteFrom('projects').where('uid', '=', project).execute();
      await mine.resync();
      expect(mine.heldRevisions()).toEqual([]);
    });
  });
});
