import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectChange } from '../../shared/change-events.js';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createAudience, experienceClient, type ExperienceBody, type VersionBody } from '../../test/test-experiences.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

const V = 'personalize.EXPERIENCES.VERSIONS';

describe('version routes: the state machine', () => {
  let t: TestApp;
  let project: TestProject;
  let api: ReturnType<typeof experienceClient>;
  let audience: string;
  let changes: ProjectChange[];
  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t);
    api = experienceClient(t, project);
    audience = await createAudience(t, project, 'US visitors');
    changes = [];
    t.app.services.changes.subscribe((c) => {
      changes.push(c);
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const segmentedVariants = (a: string) => [
    { __type: 'SegmentedVariant', name: 'US', audiences: [a], audienceCombinationType: 'OR' },
  ];

  async function activeSegmented(): Promise<{ exp: ExperienceBody; active: VersionBody }> {
    const exp = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
    const res = await api.putVersion(exp.uid, exp.latestVersion, { status: 'ACTIVE', variants: segmentedVariants(audience) });
    expect(res.statusCode).toBe(200);
    return { exp, active: json<VersionBody>(res) };
  }

  it('saves an incomplete draft and validates only on activation', async () => {
    const exp = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
    const draft = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: [{ name: 'Nobody yet', audiences: [], audienceCombinationType: 'AND' }] });
    expect(draft.statusCode).toBe(200);
    expect(json(draft)).toMatchObject({ status: 'DRAFT', version: 2, variants: [{ __type: 'SegmentedVariant', shortUid: '0', audiences: [] }] });
    const activate = await api.putVersion(exp.uid, exp.latestVersion, { status: 'ACTIVE', variants: [{ name: 'Nobody yet', shortUid: '0', audiences: [], audienceCombinationType: 'AND' }] });
    expect(activate.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(activate).errors)).toEqual(['variants[0].audiences']);
    const none = await api.putVersion(exp.uid, exp.latestVersion, { status: 'ACTIVE', variants: [] });
    expect(json<{ errors: Record<string, string[]> }>(none).errors.variants?.[0]).toContain('at least 1 variant');
    expect(changes).toEqual([{ projectUid: project.uid, resource: 'experience', resourceUid: exp.uid }]);
  });

  it('requires status and variants with the Contentstack field codes', async () => {
    const exp = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
    const missing = json<{ errors: Record<string, string[]> }>(await api.putVersion(exp.uid, exp.latestVersion, { variants: [] }));
    expect(missing.errors.status?.[0]).toMatch(/^STATUS_REQUIRED/);
    const invalid = json<{ errors: Record<string, string[]> }>(await api.putVersion(exp.uid, exp.latestVersion, { status: 'LIVE', variants: [] }));
    expect(invalid.errors.status?.[0]).toMatch(/^INVALID_STATUS/);
    const noVariants = json<{ errors: Record<string, string[]> }>(await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT' }));
    expect(noVariants.errors.variants?.[0]).toMatch(/^VARIANTS_NOT_ARRAY/);
    const notArray = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: { name: 'x' } });
    expect(notArray.statusCode).toBe(400);
    const noCombination = json<{ errors: Record<string, string[]> }>(await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: [{ name: 'x', audiences: [audience] }] }));
    expect(noCombination.errors['variants[0].audienceCombinationType']?.[0]).toMatch(/^NOT_VALID_ENUM/);
  });

  it('activates a draft: ACTIVE, activatedAt/By, experience status, _cms and a change event', async () => {
    const { exp, active } = await activeSegmented();
    expect(active).toMatchObject({ status: 'ACTIVE', activatedAt: '2026-11-29T12:00:00.000Z', activatedBy: t.owner.uid, variants: [{ shortUid: '0', name: 'US' }] });
    const after = await api.get(exp.uid);
    expect(after).toMatchObject({ status: 'ACTIVE', latestVersion: active.uid, activatedAt: active.activatedAt, referredAudiences: [audience] });
    expect(after._cms?.variantGroup).toMatch(/^[0-9a-f]{24}$/);
    expect(Object.keys(after._cms?.variants ?? {})).toEqual(['0']);
    expect(after._cms?.variants['0']).toMatch(/^cs[0-9a-f]{16}$/);
    expect(changes.at(-1)).toEqual({ projectUid: project.uid, resource: 'version', resourceUid: active.uid });
  });

  it('refuses a second draft, clones the active version into a new draft, and archives the old one on activation', async () => {
    const { exp, active } = await activeSegmented();
    const fresh = await api.postVersion(exp.uid, { status: 'DRAFT', fromVersion: 'ACTIVE' });
    expect(fresh.statusCode).toBe(201);
    const draft = json<VersionBody>(fresh);
    expect(draft).toMatchObject({ status: 'DRAFT', versionNumber: 2, variants: active.variants, activatedAt: null });
    const second = await api.postVersion(exp.uid, { status: 'DRAFT', variants: [] });
    expect(second.statusCode).toBe(400);
    expect(json(second).error).toBe(`${V}.CANNOT_CREATE_VERSION_AS_DRAFT_ALREADY_EXISTS`);
    expect((await api.get(exp.uid)).latestVersion).toBe(draft.uid);

    t.clock.advance(60_000);
    const edited = [...draft.variants, { name: 'Also US', audiences: [audience], audienceCombinationType: 'AND' }];
    const activated = await api.putVersion(exp.uid, draft.uid, { status: 'ACTIVE', variants: edited });
    expect(activated.statusCode).toBe(200);
    // A new activation starts a new analytics period.
    expect(json<VersionBody>(activated).activatedAt).toBe('2026-11-29T12:01:00.000Z');
    const list = await api.versions(exp.uid);
    expect(list.map((v) => [v.versionNumber, v.status])).toEqual([
      [2, 'ACTIVE'],
      [1, 'ARCHIVED'],
    ]);
    expect(list[1]?.archivedAt).toBe('2026-11-29T12:01:00.000Z');
    expect(list[0]?.variants.map((v) => v.shortUid)).toEqual(['0', '1']);
  });

  it('locks an ACTIVE version but lets its status change ACTIVE ↔ PAUSED with the same variants (shortUids omitted)', async () => {
    const { exp, active } = await activeSegmented();
    const edit = await api.putVersion(exp.uid, active.uid, { status: 'ACTIVE', variants: [{ name: 'Renamed', audiences: [audience], audienceCombinationType: 'OR' }] });
    expect(edit.statusCode).toBe(400);
    expect(json(edit).error).toBe(`${V}.CANNOT_UPDATE_LOCKED_VERSION`);
    const pause = await api.putVersion(exp.uid, active.uid, { status: 'PAUSED', variants: segmentedVariants(audience) });
    expect(pause.statusCode).toBe(200);
    expect(json(pause)).toMatchObject({ status: 'PAUSED', activatedAt: active.activatedAt });
    expect((await api.get(exp.uid)).status).toBe('PAUSED');
    const pausedEdit = await api.putVersion(exp.uid, active.uid, { status: 'PAUSED', variants: [] });
    expect(json(pausedEdit).error).toBe(`${V}.CANNOT_UPDATE_LOCKED_VERSION`);
    const resume = await api.putVersion(exp.uid, active.uid, { status: 'ACTIVE', variants: json<VersionBody>(pause).variants });
    expect(resume.statusCode).toBe(200);
    expect((await api.get(exp.uid)).status).toBe('ACTIVE');
    const same = await api.putVersion(exp.uid, active.uid, { status: 'ACTIVE', variants: segmentedVariants(audience) });
    expect(same.statusCode).toBe(200);
    expect(changes.filter((c) => c.resource === 'version')).toHaveLength(3);
  });

  it('accepts the CLI’s PAUSE as PAUSED', async () => {
    const { exp, active } = await activeSegmented();
    const res = await api.putVersion(exp.uid, active.uid, { status: 'PAUSE', variants: segmentedVariants(audience) });
    expect(res.statusCode).toBe(200);
    expect(json(res).status).toBe('PAUSED');
  });

  it('refuses to mark an ACTIVE or PAUSED version as DRAFT, and any change to an ARCHIVED one', async () => {
    const { exp, active } = await activeSegmented();
    const fromActive = await api.putVersion(exp.uid, active.uid, { status: 'DRAFT', variants: segmentedVariants(audience) });
    expect(json(fromActive).error).toBe(`${V}.CANNOT_MARK_VERSION_AS_DRAFT`);
    await api.putVersion(exp.uid, active.uid, { status: 'PAUSED', variants: segmentedVariants(audience) });
    const fromPaused = await api.putVersion(exp.uid, active.uid, { status: 'DRAFT', variants: segmentedVariants(audience) });
    expect(fromPaused.statusCode).toBe(400);
    expect(json(fromPaused).error).toBe(`${V}.CANNOT_MARK_VERSION_AS_DRAFT`);
    const draft = json<VersionBody>(await api.postVersion(exp.uid, { status: 'DRAFT', fromVersion: active.uid }));
    expect((await api.putVersion(exp.uid, draft.uid, { status: 'ACTIVE', variants: draft.variants })).statusCode).toBe(200);
    const archived = await api.putVersion(exp.uid, active.uid, { status: 'ACTIVE', variants: segmentedVariants(audience) });
    expect(archived.statusCode).toBe(400);
    expect(json(archived).error).toBe(`${V}.CANNOT_UPDATE_LOCKED_VERSION`);
  });

  it('activates a draft straight into PAUSED and archives the paused predecessor on the next activation', async () => {
    const exp = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
    const paused = await api.putVersion(exp.uid, exp.latestVersion, { status: 'PAUSED', variants: segmentedVariants(audience) });
    expect(json(paused)).toMatchObject({ status: 'PAUSED', activatedAt: expect.any(String) });
    expect((await api.get(exp.uid)).status).toBe('PAUSED');
    const next = await api.postVersion(exp.uid, { status: 'ACTIVE', variants: segmentedVariants(audience) });
    expect(next.statusCode).toBe(201);
    expect((await api.versions(exp.uid)).map((v) => v.status)).toEqual(['ACTIVE', 'ARCHIVED']);
  });

  it('applies the delete rules: only draft, active, last paused, archived, discarded draft', async () => {
    const exp = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
    const only = await api.deleteVersion(exp.uid, exp.latestVersion);
    expect(only.statusCode).toBe(400);
    expect(json(only).error).toBe(`${V}.CANNOT_DELETE_ONLY_DRAFT`);
    await api.putVersion(exp.uid, exp.latestVersion, { status: 'ACTIVE', variants: segmentedVariants(audience) });
    const activeDelete = await api.deleteVersion(exp.uid, exp.latestVersion);
    expect(json(activeDelete).error).toBe(`${V}.CANNOT_DELETE_ACTIVE_VERSION`);
    const draft = json<VersionBody>(await api.postVersion(exp.uid, { status: 'DRAFT', fromVersion: 'ACTIVE' }));
    expect((await api.deleteVersion(exp.uid, draft.uid)).statusCode).toBe(204);
    expect((await api.get(exp.uid)).latestVersion).toBe(exp.latestVersion);
    await api.putVersion(exp.uid, exp.latestVersion, { status: 'PAUSED', variants: segmentedVariants(audience) });
    const lastPaused = await api.deleteVersion(exp.uid, exp.latestVersion);
    expect(json(lastPaused).error).toBe(`${V}.CANNOT_DELETE_LAST_VERSION`);
    const draft2 = json<VersionBody>(await api.postVersion(exp.uid, { status: 'DRAFT', fromVersion: 'ACTIVE' }));
    await api.putVersion(exp.uid, draft2.uid, { status: 'ACTIVE', variants: draft2.variants });
    expect((await api.deleteVersion(exp.uid, exp.latestVersion)).statusCode).toBe(204);
    expect((await api.versions(exp.uid)).map((v) => v.uid)).toEqual([draft2.uid]);
    expect((await api.deleteVersion(exp.uid, '0123456789abcdef01234567')).statusCode).toBe(404);
  });

  it('answers 409 VERSION_CONFLICT for a stale If-Match, and ignores the version of a foreign copy', async () => {
    const exp = await api.create({ name: 'Seg', __type: 'SEGMENTED' });
    await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: [] });
    const stale = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: [] }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(409);
    expect(json(stale)).toMatchObject({ error: `${V}.VERSION_CONFLICT`, current: { uid: exp.latestVersion, version: 2 } });
    const staleBody = await api.putVersion(exp.uid, exp.latestVersion, { status: 'DRAFT', variants: [], version: 1 });
    expect(staleBody.statusCode).toBe(409);
    const foreign = await api.putVersion(exp.uid, exp.latestVersion, { uid: '65f0c0ffee0000000000abce', status: 'DRAFT', variants: [], version: 9 });
    expect(foreign.statusCode).toBe(200);
  });

  it('lists versions newest first, 404 for an unknown experience, 400 for a malformed uid', async () => {
    const { exp } = await activeSegmented();
    await api.postVersion(exp.uid, { status: 'DRAFT', fromVersion: 'ACTIVE' });
    const res = await api.call('GET', `/api/experiences/${exp.uid}/versions`);
    expect(res.statusCode).toBe(200);
    expect(json<VersionBody[]>(res).map((v) => v.versionNumber)).toEqual([2, 1]);
    expect((await api.call('GET', '/api/experiences/0123456789abcdef01234567/versions')).statusCode).toBe(404);
    expect((await api.call('GET', '/api/experiences/nope/versions')).statusCode).toBe(400);
    expect((await api.call('PUT', `/api/experiences/${exp.uid}/versions/not-a-uid`, { status: 'DRAFT', variants: [] })).statusCode).toBe(400);
  });
});
