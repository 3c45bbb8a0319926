import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeRevision } from '../analytics/analytics-read-model.js';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import type { Actor } from '../identity/index.js';
import { edgeSeed, equalsRule, presetRule } from '../edge/edge-test-seed.js';
import { upsertRecentVisitors } from '../visitors/recent-visitor-repository.js';
import { createImpactSampleSource } from './impact-sample.js';
import { createImpactService } from './impact-service.js';

describe('impact preview routes', () => {
  let t: TestApp;
  let project: TestProject;
  let audience: string;

  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t);
    audience = await edgeSeed(t, project).audience('US', presetRule('COUNTRY', 'US'));
  });
  afterEach(async () => t.close());

  const impact = (uid: string | null, payload: Record<string, unknown>, headers = project.headersFor(t.owner)) =>
    t.app.inject({ method: 'POST', url: uid === null ? '/api/audiences/impact' : `/api/audiences/${uid}/impact`, headers, payload });

  it('answers a project without recent visitors with sampleSize 0 and a message', async () => {
    const res = await impact(audience, { definition: presetRule('COUNTRY', 'DE') });
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(body).toMatchObject({ sampleSize: 0, available: 0, joined: 0, left: 0, partial: false, window: { from: null, to: null } });
    expect(body.message).toMatch(/No visitors were seen recently/);
  });

  it('refuses an invalid proposal with the same 400 body as a save', async () => {
    const bad = { __type: 'RuleCombination', combinationType: 'AND', rules: [{ __type: 'Rule', attribute: { __type: 'CustomAttributeReference', ref: 'a'.repeat(24) } }] };
    const preview = await impact(audience, { definition: bad });
    const save = await t.app.inject({ method: 'PUT', url: `/api/audiences/${audience}`, headers: project.headersFor(t.owner), payload: { definition: bad } });
    expect(preview.statusCode).toBe(400);
    expect(save.statusCode).toBe(400);
    expect(json(preview)).toEqual(json(save));
    const unnamed = await impact(null, { name: '', definition: presetRule('COUNTRY', 'US') });
    const unnamedSave = await t.app.inject({ method: 'POST', url: '/api/audiences', headers: project.headersFor(t.owner), payload: { name: '', definition: presetRule('COUNTRY', 'US') } });
    expect(unnamed.statusCode).toBe(400);
    expect(json(unnamed)).toEqual(json(unnamedSave));
  });

  it('refuses too many rules with the save\'s RULE_COUNT_EXCEEDED', async () => {
    const limited = await createTestProject(t, { limits: { rulesPerAudience: 1 } });
    const uid = await edgeSeed(t, limited).audience('One', presetRule('COUNTRY', 'US'));
    const two = { ...presetRule('COUNTRY', 'US'), rules: [...presetRule('COUNTRY', 'US').rules, ...presetRule('CITY', 'Paris').rules] };
    const res = await impact(uid, { definition: two }, limited.headersFor(t.owner));
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toBe('personalize.AUDIENCES.RULE_COUNT_EXCEEDED');
  });

  it('answers 404 for an audience of another project', async () => {
    const other = await createTestProject(t);
    const foreign = await edgeSeed(t, other).audience('Theirs', presetRule('COUNTRY', 'FR'));
    const res = await impact(foreign, { definition: presetRule('COUNTRY', 'DE') });
    expect(res.statusCode).toBe(404);
    expect(json(res).error).toBe('personalize.AUDIENCES.NOT_FOUND');
  });

  it('lets project Members preview and refuses non-members', async () => {
    const member = await t.createUser('MEMBER');
    const outsider = await t.createUser('MEMBER');
    const shared = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }] });
    const uid = await edgeSeed(t, shared).audience('US', presetRule('COUNTRY', 'US'));
    expect((await impact(uid, { definition: presetRule('COUNTRY', 'DE') }, shared.headersFor(member))).statusCode).toBe(200);
    expect((await impact(uid, { definition: presetRule('COUNTRY', 'DE') }, shared.headersFor(outsider))).statusCode).toBe(403);
  });

  it('stops at the time budget with partial: true and the figures of what it evaluated', async () => {
    await upsertRecentVisitors(
      t.db,
      Array.from({ length: 30 }, (_, i) => ({
        projectUid: project.uid,
        visitorUid: `v${String(i)}`,
        lastSeenAt: new Date(Date.parse('2026-11-29T10:00:00Z') + i * 1000).toISOString(),
        presets: { COUNTRY: 'US' },
        attributes: {},
      })),
    );
    // A fake monotonic clock that advances 1 s per reading: the budget of 2 s runs out after a chunk.
    let tick = 0;
    const service = createImpactService({
      db: t.db,
      decisions: t.app.services.decisions,
      references: { audienceReferences: async () => new Map(), eventReferences: async () => new Map() },
      sample: createImpactSampleSource(t.db),
      chunkSize: 10,
      monotonicNow: () => (tick += 1000),
    });
    const actor: Actor = { userUid: t.owner.uid, orgUid: (await t.app.services.identity.getOrganization()).uid, orgRole: 'OWNER', email: t.owner.email, name: 'Owner' };
    const result = await service.previewImpact(actor, project.uid, audience, { definition: presetRule('COUNTRY', 'DE') });
    expect(result).toMatchObject({ partial: true, sampleSize: 10, available: 30, left: 10, joined: 0 });
    // Newest first: the evaluated part is the most recent ten.
    expect(result.window.to).toBe('2026-11-29T10:00:29.000Z');
    expect(result.message).toMatch(/10 most recent of 30/);
  });

  it('keeps the preview figures sent with a save in the revision, the audit entry and the analytics annotation', async () => {
    const figures = { sampleSize: 50_000, joined: 1240, left: 3, visitorsChangingVariant: 870 };
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/audiences/${audience}`,
      headers: project.headersFor(t.owner),
      payload: { definition: presetRule('COUNTRY', 'DE'), impact: figures },
    });
    expect(put.statusCode, put.body).toBe(200);
    const revisions = json<Array<{ number: number; summary: { impact?: unknown } }>>(
      await t.app.inject({ method: 'GET', url: `/api/audiences/${audience}/revisions`, headers: project.headersFor(t.owner) }),
    );
    expect(revisions[0]?.summary.impact).toEqual(figures);
    expect(revisions[1]?.summary.impact).toBeUndefined();
    const audit = await t.db.kysely.selectFrom('audit_entries').select(['action', 'summary']).where('project_uid', '=', project.uid).where('action', '=', 'audience.updated').executeTakeFirstOrThrow();
    const summary = typeof audit.summary === 'string' ? (JSON.parse(audit.summary) as Record<string, unknown>) : (audit.summary as Record<string, unknown>);
    expect(summary.impactText).toBe('saved with 1,240 of 50,000 recent visitors joining, 3 leaving, 870 changing variant');
    expect(describeRevision('updated', { rules: { changed: [{}] }, impact: figures })).toBe(
      '1 rule changed; saved with 1,240 of 50,000 recent visitors joining, 3 leaving, 870 changing variant',
    );
  });

  it('refuses malformed impact figures on a save', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/audiences/${audience}`,
      headers: project.headersFor(t.owner),
      payload: { definition: equalsRule('a'.repeat(24), 'x'), impact: { sampleSize: -1, joined: 0, left: 0, visitorsChangingVariant: 0 } },
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: Record<string, unknown> }>(res).errors)).toContain('impact.sampleSize');
  });
});
