import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createAudience, createEvent, experienceClient, type VersionBody } from '../../test/test-experiences.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import { countActiveExperiences, findExperiencesByShortUids, listExperiencesForDecisions } from './index.js';

interface Ref {
  kind: string;
  uid: string;
  name: string;
  versionUid: string;
  versionStatus: string;
  via: string;
  path: string;
  blocking: boolean;
}

describe('references experiences contribute to audiences and events', () => {
  let t: TestApp;
  let project: TestProject;
  let api: ReturnType<typeof experienceClient>;
  let us: string;
  let fr: string;
  let signup: string;
  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t);
    api = experienceClient(t, project);
    us = await createAudience(t, project, 'US');
    fr = await createAudience(t, project, 'FR');
    signup = await createEvent(t, project, 'signup');
  });
  afterEach(async () => {
    await t.close();
  });

  const refsOf = async (kind: 'audiences' | 'events', uid: string) => json<Ref[]>(await api.call('GET', `/api/${kind}/${uid}/references`));

  it('lists variant and target-group uses of an audience with version, status and path, and blocks its delete', async () => {
    const seg = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
    await api.putVersion(seg.uid, seg.latestVersion, { status: 'DRAFT', variants: [{ name: 'v', audiences: [fr, us], audienceCombinationType: 'OR' }] });
    const ab = await api.create({ name: 'AB', __type: 'AB_TEST' });
    await api.putVersion(ab.uid, ab.latestVersion, {
      status: 'ACTIVE',
      variants: [{ name: 'A' }, { name: 'B' }],
      targeting: { audience: { audiences: [us], audienceCombinationType: 'OR' } },
      metrics: [{ __type: 'Primary', event: signup }],
    });
    expect(await refsOf('audiences', us)).toEqual([
      { kind: 'experience', uid: seg.uid, name: 'Seg', versionUid: seg.latestVersion, versionStatus: 'DRAFT', via: 'variant', path: 'variants[0].audiences[1]', blocking: true },
      { kind: 'experience', uid: ab.uid, name: 'AB', versionUid: ab.latestVersion, versionStatus: 'ACTIVE', via: 'targeting', path: 'targeting.audience.audiences[0]', blocking: true },
    ]);
    expect(await refsOf('events', signup)).toEqual([
      { kind: 'experience', uid: ab.uid, name: 'AB', versionUid: ab.latestVersion, versionStatus: 'ACTIVE', via: 'metric', path: 'metrics[0].event', blocking: true },
    ]);
    const deleteAudience = await api.call('DELETE', `/api/audiences/${us}`);
    expect(deleteAudience.statusCode).toBe(409);
    expect(json(deleteAudience).error).toBe('personalize.AUDIENCES.REFERENCED');
    const deleteEvent = await api.call('DELETE', `/api/events/${signup}`);
    expect(deleteEvent.statusCode).toBe(409);
    expect(json(deleteEvent).error).toBe('personalize.EVENTS.REFERENCED');
    const events = json<Array<{ uid: string; referenceCount: number }>>(await api.call('GET', '/api/events'));
    expect(events.find((e) => e.uid === signup)?.referenceCount).toBe(1);
  });

  it('follows every version write: a re-saved draft drops references, an archived version stops blocking', async () => {
    const seg = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
    await api.putVersion(seg.uid, seg.latestVersion, { status: 'ACTIVE', variants: [{ name: 'v', audiences: [fr], audienceCombinationType: 'OR' }] });
    const draft = json<VersionBody>(await api.postVersion(seg.uid, { status: 'DRAFT', variants: [{ name: 'v', audiences: [us], audienceCombinationType: 'OR' }] }));
    expect((await refsOf('audiences', fr)).map((r) => r.versionStatus)).toEqual(['ACTIVE']);
    await api.putVersion(seg.uid, draft.uid, { status: 'ACTIVE', variants: draft.variants.map((v) => ({ ...v, audienceCombinationType: 'OR' })) });
    const archived = await refsOf('audiences', fr);
    expect(archived.map((r) => [r.versionStatus, r.blocking])).toEqual([['ARCHIVED', false]]);
    expect((await api.call('DELETE', `/api/audiences/${fr}`)).statusCode).toBe(204);
    await api.call('DELETE', `/api/experiences/${seg.uid}`);
    expect(await refsOf('audiences', us)).toEqual([]);
    expect((await api.call('DELETE', `/api/audiences/${us}`)).statusCode).toBe(204);
  });

  it('feeds the edge: decision inputs in priority order, shortUid lookups and active counts', async () => {
    const seg = await api.create({ name: 'Seg', __type: 'SEGMENTED', tags: ['Home'] });
    await api.putVersion(seg.uid, seg.latestVersion, { status: 'ACTIVE', variants: [{ name: 'v', audiences: [us], audienceCombinationType: 'AND', payload: { a: 1 } }] });
    const ab = await api.create({ name: 'AB', __type: 'AB_TEST' });
    const abActive = json<VersionBody>(
      await api.putVersion(ab.uid, ab.latestVersion, { status: 'ACTIVE', variants: [{ name: 'A' }, { name: 'B' }], targeting: { audiences: [fr], audienceCombinationType: 'OR' } }),
    );
    await api.putVersion(ab.uid, abActive.uid, { status: 'PAUSED', variants: abActive.variants });
    const draftOnly = await api.create({ name: 'Draft', __type: 'AB_TEST' });
    await api.call('PUT', '/api/experiences-priority', { priorityOrder: [ab.uid, draftOnly.uid, seg.uid] });

    const inputs = await listExperiencesForDecisions(t.db.kysely, project.uid);
    expect(inputs.map((e) => [e.uid, e.status, e.paused, e.active === null])).toEqual([
      [ab.uid, 'PAUSED', true, true],
      [draftOnly.uid, 'DRAFT', false, true],
      [seg.uid, 'ACTIVE', false, false],
    ]);
    expect(inputs[2]).toMatchObject({
      shortUid: '0',
      type: 'SEGMENTED',
      tags: ['home'],
      active: { activatedAt: expect.any(String), targeting: null, variants: [{ shortUid: '0', name: 'v', audiences: [us], audienceCombinationType: 'AND', payload: { a: 1 } }] },
    });
    await api.putVersion(ab.uid, abActive.uid, { status: 'ACTIVE', variants: abActive.variants });
    const resumed = (await listExperiencesForDecisions(t.db.kysely, project.uid))[0];
    expect(resumed?.active).toMatchObject({ versionUid: abActive.uid, targeting: { audiences: [fr], audienceCombinationType: 'OR' }, variants: [{ shortUid: '0', trafficDistribution: 50 }, { shortUid: '1', trafficDistribution: 50 }] });

    expect(await findExperiencesByShortUids(t.db.kysely, project.uid, ['1', '2', 'zz'])).toEqual(
      expect.arrayContaining([
        { uid: ab.uid, shortUid: '1', activeVersionUid: abActive.uid, variantShortUids: ['0', '1'] },
        { uid: draftOnly.uid, shortUid: '2', activeVersionUid: null, variantShortUids: [] },
      ]),
    );
    const other = await createTestProject(t);
    const counts = await countActiveExperiences(t.db.kysely, [project.uid, other.uid]);
    expect([...counts]).toEqual([
      [project.uid, 2],
      [other.uid, 0],
    ]);
  });
});
