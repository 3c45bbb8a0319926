import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectChange } from '../../shared/change-events.js';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { experienceClient, type ExperienceBody } from '../../test/test-experiences.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

const MISSING = 'personalize.EXPERIENCES_PRIORITY.MISSING_EXPERIENCES';

describe('experience priority routes', () => {
  let t: TestApp;
  let project: TestProject;
  let api: ReturnType<typeof experienceClient>;
  let uids: string[];
  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t);
    api = experienceClient(t, project);
    uids = [];
    for (const name of ['A', 'B', 'C']) uids.push((await api.create({ name, __type: 'SEGMENTED' })).uid);
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers creation order by default, new experiences at the bottom', async () => {
    const res = await api.call('GET', '/api/experiences-priority');
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ priorityOrder: uids });
  });

  it('reorders with the full set, ranks the list, appends new ones after, and emits a change', async () => {
    const changes: ProjectChange[] = [];
    t.app.services.changes.subscribe((c) => {
      changes.push(c);
    });
    const order = [uids[2], uids[0], uids[1]] as string[];
    const res = await api.call('PUT', '/api/experiences-priority', { priorityOrder: order });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ priorityOrder: order });
    expect(changes).toEqual([{ projectUid: project.uid, resource: 'priority', resourceUid: null }]);
    const list = json<ExperienceBody[]>(await api.call('GET', '/api/experiences'));
    expect(list.map((e) => [e.uid, e.priority])).toEqual(order.map((uid, i) => [uid, i + 1]));
    expect((await api.get(uids[1] as string)).priority).toBe(3);
    const d = await api.create({ name: 'D', __type: 'SEGMENTED' });
    expect(d.priority).toBe(4);
    expect(json(await api.call('GET', '/api/experiences-priority'))).toEqual({ priorityOrder: [...order, d.uid] });
  });

  it('refuses a partial, padded or repeated list with MISSING_EXPERIENCES and the lists', async () => {
    const partial = await api.call('PUT', '/api/experiences-priority', { priorityOrder: [uids[0], uids[1]] });
    expect(partial.statusCode).toBe(400);
    expect(json(partial)).toMatchObject({ error: MISSING, missing: [uids[2]], unknown: [], duplicates: [] });
    const extra = await api.call('PUT', '/api/experiences-priority', { priorityOrder: [...uids, '0123456789abcdef01234567'] });
    expect(json(extra)).toMatchObject({ error: MISSING, missing: [], unknown: ['0123456789abcdef01234567'] });
    const repeated = await api.call('PUT', '/api/experiences-priority', { priorityOrder: [...uids, uids[0]] });
    expect(json(repeated)).toMatchObject({ error: MISSING, duplicates: [uids[0]] });
    const wrongShape = await api.call('PUT', '/api/experiences-priority', { experiences: uids });
    expect(wrongShape.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(wrongShape).errors)).toEqual(['priorityOrder']);
    expect(json(await api.call('GET', '/api/experiences-priority'))).toEqual({ priorityOrder: uids });
  });

  it('drops a deleted experience from the order, so the full set stays satisfiable', async () => {
    await api.call('DELETE', `/api/experiences/${uids[1] ?? ''}`);
    expect(json(await api.call('GET', '/api/experiences-priority'))).toEqual({ priorityOrder: [uids[0], uids[2]] });
    const res = await api.call('PUT', '/api/experiences-priority', { priorityOrder: [uids[2], uids[0]] });
    expect(res.statusCode).toBe(200);
    expect((await api.get(uids[0] as string)).priority).toBe(2);
  });
});
