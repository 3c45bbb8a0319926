import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnalyticsSummary, AnalyticsTimeSeries } from '@tailor/contract';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createAudience, experienceClient } from '../../test/test-experiences.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import { insertRawEvents, seedAbTest, type RawEventInput } from './analytics-test-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('analytics routes', () => {
  let t: TestApp;
  let project: TestProject;
  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t);
  });
  afterEach(async () => {
    await t.close();
  });

  const get = (url: string, headers = project.headersFor(t.owner)) => t.app.inject({ method: 'GET', url, headers });
  const summaryOf = (uid: string, query = '') => get(`/api/experiences/${uid}/analytics/summary${query}`);
  const seriesOf = (uid: string, query = '') => get(`/api/experiences/${uid}/analytics/time-series${query}`);

  async function postEdgeEvents(visitor: string, items: unknown[]) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/edge/events',
      headers: { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': visitor, 'content-type': 'application/json' },
      payload: JSON.stringify(items),
    });
    expect(res.statusCode).toBeLessThan(300);
  }

  /** `n` visitors in a variant, the first `converted` of them converting an hour after their impression. */
  function arm(variant: string, n: number, converted: number, start: number, event?: string): RawEventInput[] {
    const out: RawEventInput[] = [];
    for (let i = 0; i < n; i++) {
      const visitor = `v${variant}-${i}`;
      const at = start + (i % 48) * HOUR;
      out.push({ visitor, at, variant });
      if (i < converted) out.push({ visitor, at: at + HOUR, ...(event ? { event } : {}) });
    }
    return out;
  }

  it('counts unique impressions and attributed conversions sent through POST /edge/events', async () => {
    const test = await seedAbTest(t, project);
    const impression = (variant: string) => ({ type: 'IMPRESSION', experienceShortUid: test.shortUid, variantShortUid: variant });
    const goal = { type: 'EVENT', eventKey: test.eventKeys[0] };
    await postEdgeEvents('alice', [impression('0'), goal]);
    await postEdgeEvents('alice', [impression('0'), goal]); // the same impression and conversion again
    await postEdgeEvents('bob', [impression('1')]);
    t.clock.advance(1_000);
    await postEdgeEvents('carol', [goal]); // converted before any impression: not attributed
    t.clock.advance(1_000);
    await postEdgeEvents('carol', [impression('1')]);
    t.clock.advance(5_000);

    const res = await summaryOf(test.experienceUid);
    expect(res.statusCode).toBe(200);
    const body = json<AnalyticsSummary>(res);
    expect(body.period).toMatchObject({ versionUid: test.versionUid, versionNumber: 1, status: 'ACTIVE', activatedAt: '2026-11-29T12:00:00.000Z', endedAt: null });
    expect(body.metrics).toEqual([{ event: test.eventUids[0], key: test.eventKeys[0], primary: true }]);
    expect(body.variants.map((v) => [v.shortUid, v.name, v.impressions, v.metrics[0]!.conversions])).toEqual([
      ['0', 'Control', 1, 1],
      ['1', 'Variant 1', 2, 0],
    ]);
    expect(body.variants[0]!.metrics[0]).toMatchObject({ conversionRate: 1, probabilityToBeBest: null, lift: null });
    expect(body).toMatchObject({ insightsAvailable: false, winner: null, winnerReason: 'not enough data yet' });
    expect(body.srm).toMatchObject({ expected: [1.5, 1.5], observed: [1, 2], flagged: false });
    expect(Date.parse(body.period.dataCollectedAt)).toBe(t.clock.now().getTime() - 2_000);
  });

  it('leaves events of the last two seconds for the next run, then counts them', async () => {
    const test = await seedAbTest(t, project);
    await insertRawEvents(t, project, test, [{ visitor: 'early', at: t.clock.now().getTime() - 10_000, variant: '0' }, { visitor: 'now', at: t.clock.now(), variant: '1' }]);
    expect(json<AnalyticsSummary>(await summaryOf(test.experienceUid)).variants.map((v) => v.impressions)).toEqual([1, 0]);
    t.clock.advance(2_000);
    expect(json<AnalyticsSummary>(await summaryOf(test.experienceUid)).variants.map((v) => v.impressions)).toEqual([1, 1]);
  });

  it('reports probability to be best and lift, and declares a winner only after 14 full days', async () => {
    const test = await seedAbTest(t, project);
    const start = t.clock.now().getTime() + HOUR;
    await insertRawEvents(t, project, test, [...arm('0', 1000, 100, start), ...arm('1', 1000, 150, start)]);
    t.clock.advance(13 * DAY);
    const early = json<AnalyticsSummary>(await summaryOf(test.experienceUid));
    expect(early).toMatchObject({ insightsAvailable: true, winner: null, winnerReason: 'needs 14 days' });
    const [control, variant] = early.variants;
    expect(control!.metrics[0]).toMatchObject({ conversions: 100, conversionRate: 0.1, lift: null });
    expect(variant!.metrics[0]!.conversionRate).toBe(0.15);
    expect(variant!.metrics[0]!.probabilityToBeBest).toBeCloseTo(0.9996, 2);
    expect(variant!.metrics[0]!.lift!.expected).toBeCloseTo(0.5, 10);
    expect(variant!.metrics[0]!.lift!.lower).toBeGreaterThan(0);

    t.clock.advance(DAY);
    const later = json<AnalyticsSummary>(await summaryOf(test.experienceUid));
    expect(later.winner).toMatchObject({ shortUid: '1', name: 'Variant 1' });
    expect(later.winnerReason).toBeNull();
    // Reproducible: the same counts give exactly the same figures.
    expect(later.variants).toEqual(early.variants);
  });

  it('flags a sample-ratio mismatch of 5,300 against 4,700 on a 50/50 split', async () => {
    const test = await seedAbTest(t, project);
    const start = t.clock.now().getTime();
    await insertRawEvents(t, project, test, [...arm('0', 5300, 0, start), ...arm('1', 4700, 0, start)]);
    t.clock.advance(3 * DAY);
    const body = json<AnalyticsSummary>(await summaryOf(test.experienceUid));
    expect(body.srm).toMatchObject({ flagged: true, expected: [5000, 5000], observed: [5300, 4700] });
    expect(body.srm!.pValue).toBeLessThan(1e-8);
  });

  it('answers 404 SUMMARY_NOT_FOUND without data and for a never-activated experience', async () => {
    const test = await seedAbTest(t, project);
    const res = await summaryOf(test.experienceUid);
    expect(res.statusCode).toBe(404);
    expect(json(res)).toMatchObject({ error: 'personalize.ANALYTICS.SUMMARY_NOT_FOUND' });
    const draft = await experienceClient(t, project).create({ name: 'Draft only', description: '', __type: 'SEGMENTED' });
    expect(json(await summaryOf(draft.uid))).toMatchObject({ error: 'personalize.ANALYTICS.SUMMARY_NOT_FOUND' });
    expect(json(await seriesOf(draft.uid))).toMatchObject({ error: 'personalize.ANALYTICS.TIME_SERIES_ANALYTICS_NOT_FOUND' });
  });

  it('rejects unknown experiences, malformed uids and versions of another experience', async () => {
    const test = await seedAbTest(t, project);
    const other = await seedAbTest(t, project);
    const unknown = await summaryOf('aaaaaaaaaaaaaaaaaaaaaaaa');
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toMatchObject({ error: 'personalize.EXPERIENCES.NOT_FOUND' });
    expect((await summaryOf('not-a-uid')).statusCode).toBe(400);
    const foreign = await summaryOf(test.experienceUid, `?version=${other.versionUid}`);
    expect(foreign.statusCode).toBe(400);
    expect(json(foreign)).toEqual({ errors: { version: [expect.stringContaining('is not a version of experience')] } });
    expect((await seriesOf(test.experienceUid, '?version=xyz')).statusCode).toBe(400);
  });

  it('lets any project member read and keeps others out', async () => {
    const test = await seedAbTest(t, project);
    await insertRawEvents(t, project, test, [{ visitor: 'a', at: t.clock.now(), variant: '0' }]);
    t.clock.advance(5_000);
    const member = await t.createUser('MEMBER');
    const stranger = await t.createUser('MEMBER');
    await t.db.kysely.insertInto('project_members').values({ project_uid: project.uid, user_uid: member.uid, role: 'MEMBER', invited_by_user_name: 'Owner', created_at: t.clock.now().toISOString() }).execute();
    expect((await summaryOf(test.experienceUid).then(() => get(`/api/experiences/${test.experienceUid}/analytics/summary`, project.headersFor(member)))).statusCode).toBe(200);
    expect((await get(`/api/experiences/${test.experienceUid}/analytics/summary`, project.headersFor(stranger))).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/experiences/${test.experienceUid}/analytics/summary`, headers: { 'x-project-uid': project.uid } })).statusCode).toBe(401);
  });

  it('returns zero-filled daily and hourly points per variant', async () => {
    const test = await seedAbTest(t, project);
    const start = t.clock.now().getTime();
    await insertRawEvents(t, project, test, [
      { visitor: 'a', at: start + HOUR, variant: '0' },
      { visitor: 'a', at: start + 2 * HOUR },
      { visitor: 'b', at: start + DAY + HOUR, variant: '1' },
      { visitor: 'c', at: start + 2 * DAY + HOUR, variant: '0' },
    ]);
    t.clock.advance(3 * DAY);
    const res = await seriesOf(test.experienceUid);
    expect(res.statusCode).toBe(200);
    const daily = json<AnalyticsTimeSeries>(res);
    expect(daily).toMatchObject({ interval: 'day', from: '2026-11-29T00:00:00.000Z', to: '2026-12-02T12:00:00.000Z' });
    const control = daily.variants[0]!;
    expect(control.points.map((p) => [p.at.slice(0, 10), p.impressions, p.metrics[0]!.conversions])).toEqual([
      ['2026-11-29', 1, 1],
      ['2026-11-30', 0, 0],
      ['2026-12-01', 1, 0],
      ['2026-12-02', 0, 0],
    ]);
    expect(control.points[3]!.metrics[0]!.cumulativeConversionRate).toBe(0.5);
    expect(daily.variants[1]!.points.map((p) => p.impressions)).toEqual([0, 1, 0, 0]);

    const hourly = json<AnalyticsTimeSeries>(await seriesOf(test.experienceUid, `?interval=hour&from=2026-11-29T12:00:00.000Z&to=2026-11-29T15:00:00.000Z`));
    expect(hourly.variants[0]!.points.map((p) => [p.at.slice(11, 13), p.impressions, p.metrics[0]!.conversions])).toEqual([
      ['12', 0, 0],
      ['13', 1, 0],
      ['14', 0, 1],
    ]);
    const empty = await seriesOf(test.experienceUid, `?from=2026-12-02T00:00:00.000Z`);
    expect(empty.statusCode).toBe(404);
    expect(json(empty)).toMatchObject({ error: 'personalize.ANALYTICS.TIME_SERIES_ANALYTICS_NOT_FOUND' });
  });

  it('marks every edit of an audience the version uses on the time series', async () => {
    const audienceUid = await createAudience(t, project, 'US visitors');
    const test = await seedAbTest(t, project, { audiences: [audienceUid] });
    await insertRawEvents(t, project, test, [{ visitor: 'a', at: t.clock.now().getTime() + HOUR, variant: '0' }]);
    t.clock.advance(DAY);
    const edit = await t.app.inject({ method: 'PUT', url: `/api/audiences/${audienceUid}`, headers: project.headersFor(t.owner), payload: { name: 'US and CA visitors' } });
    expect(edit.statusCode).toBe(200);
    t.clock.advance(DAY);
    const body = json<AnalyticsTimeSeries>(await seriesOf(test.experienceUid));
    expect(body.annotations.at(-1)).toEqual({
      at: '2026-11-30T12:00:00.000Z',
      audienceUid,
      audienceName: 'US and CA visitors',
      revision: 2,
      action: 'updated',
      actor: expect.any(String),
      summary: 'Renamed from "US visitors" to "US and CA visitors"',
    });
    const before = json<AnalyticsTimeSeries>(await seriesOf(test.experienceUid, '?to=2026-11-30T00:00:00.000Z'));
    expect(before.annotations.map((a) => a.revision)).not.toContain(2);
  });

  it('documents both endpoints and their errors in the OpenAPI document', async () => {
    const doc = json<{ paths: Record<string, { get?: { responses: Record<string, unknown> } }> }>(await t.app.inject({ method: 'GET', url: '/api/openapi' }));
    for (const path of ['/experiences/{uid}/analytics/summary', '/experiences/{uid}/analytics/time-series']) {
      expect(Object.keys(doc.paths[path]?.get?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404']);
    }
    expect(JSON.stringify(doc.paths['/experiences/{uid}/analytics/summary']?.get?.responses['200'])).toContain('AnalyticsSummary');
  });

  it('rejects from after to, ranges outside the retention window and more than 10,000 points', async () => {
    const test = await seedAbTest(t, project);
    const bad = async (query: string, path: string) => {
      const res = await seriesOf(test.experienceUid, query);
      expect(res.statusCode).toBe(400);
      expect(Object.keys(json<{ errors: Record<string, string[]> }>(res).errors)).toContain(path);
    };
    await bad('?from=2026-11-29T00:00:00.000Z&to=2026-11-28T00:00:00.000Z', 'from');
    await bad('?from=2026-05-01T00:00:00.000Z', 'from');
    await bad('?from=2026-11-28T00:00:00.000Z&to=2028-06-01T00:00:00.000Z&interval=hour', 'interval');
    await bad('?from=yesterday', 'from');
    expect((await seriesOf(test.experienceUid, '?interval=week')).statusCode).toBe(400);
  });
});
