import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

type Body = Record<string, unknown>;

// Each compiles to 19,002 instructions (a repeat is expanded): three exceed the project's 50,000.
const big = (tag: string) => ({
  __type: 'Rule',
  attribute: { __type: 'PresetAttributeReference', ref: 'REFERRER' },
  attributeMatchCondition: 'MATCHES_REGEX',
  attributeMatchOptions: { __type: 'RegexMatchOptions', pattern: `${tag}(?:[a-z]{1000}){19}` },
  invertCondition: false,
});
const small = {
  __type: 'Rule',
  attribute: { __type: 'PresetAttributeReference', ref: 'REFERRER' },
  attributeMatchCondition: 'MATCHES_REGEX',
  attributeMatchOptions: { __type: 'RegexMatchOptions', pattern: '^https://(www\\.)?google\\.' },
  invertCondition: false,
};
const group = (...rules: unknown[]) => ({ __type: 'RuleCombination', combinationType: 'OR', rules });

describe("a project's regex budget", () => {
  let t: TestApp;
  let project: TestProject;
  beforeEach(async () => {
    t = await createTestApp();
    project = await createTestProject(t);
  });
  afterEach(async () => t.close());

  const call = (method: 'POST' | 'PUT', path: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/${path}`, headers: { ...project.headersFor(t.owner), ...headers }, ...(payload === undefined ? {} : { payload: payload as Body }) });
  const create = (name: string, definition: unknown) => call('POST', 'audiences', { name, description: '', definition });

  function expectOverBudget(response: Awaited<ReturnType<typeof call>>, total: string): void {
    expect(response.statusCode).toBe(400);
    const body = json(response);
    expect(body.error).toBe('personalize.AUDIENCES.REGEX_BUDGET_EXCEEDED');
    expect(body.message).toContain('at most 50,000 instructions');
    expect(body.message).toContain(`would come to ${total}`);
  }

  it('refuses to create an audience that takes the project past 50,000 regex instructions, naming the total', async () => {
    expect((await create('One', group(big('a'), big('b')))).statusCode).toBe(201);
    expectOverBudget(await create('Two', group(big('c'))), '57,006');
    expect(json<Body[]>(await t.app.inject({ method: 'GET', url: '/api/audiences', headers: project.headersFor(t.owner) })).map((a) => a.name)).toEqual(['One']);
  });

  it('counts a pattern that several audiences share once', async () => {
    expect((await create('One', group(big('a'), big('b')))).statusCode).toBe(201);
    expect((await create('Two', group(big('a'), small))).statusCode).toBe(201);
  });

  it('refuses an update that grows the total past the limit, and accepts one that does not', async () => {
    const uid = String(json(await create('One', group(big('a'), big('b')))).uid);
    const other = String(json(await create('Two', group(small))).uid);
    expectOverBudget(await call('PUT', `audiences/${other}`, { definition: group(small, big('c')) }), '57,028');
    expect((await call('PUT', `audiences/${uid}`, { name: 'One renamed' })).statusCode).toBe(200);
    expect((await call('PUT', `audiences/${uid}`, { definition: group(big('a')) })).statusCode).toBe(200);
  });

  it('refuses an imported project file whose audiences together exceed it, creating nothing', async () => {
    expect((await create('One', group(big('a'), big('b')))).statusCode).toBe(201);
    expect((await create('Two', group(small))).statusCode).toBe(201);
    const file = json(await t.app.inject({ method: 'GET', url: `/api/projects/${project.uid}/export`, headers: project.headersFor(t.owner) }));
    const audiences = file.audiences as Body[];
    const two = audiences.findIndex((a) => a.name === 'Two');
    (audiences[two] as Body).definition = group(big('c'));
    const imported = await t.app.inject({ method: 'POST', url: '/api/projects/import?name=Copy', headers: { ...t.owner.headers, 'content-type': 'application/json' }, payload: JSON.stringify(file) });
    expect(imported.statusCode).toBe(400);
    const [path, messages] = Object.entries(json<{ errors: Record<string, string[]> }>(imported).errors)[0] ?? [];
    expect(path).toMatch(/^audiences\[\d\]$/);
    expect(messages?.[0]).toContain('at most 50,000 instructions');
    expect(messages?.[0]).toContain('would come to 57,006');
    const projects = json<{ projects?: Body[] } & Body[]>(await t.app.inject({ method: 'GET', url: '/api/projects', headers: t.owner.headers }));
    expect(JSON.stringify(projects)).not.toContain('"Copy"');
  });

  it('refuses to restore a revision that no longer fits', async () => {
    const uid = String(json(await create('One', group(big('a'), big('b')))).uid);
    expect((await call('PUT', `audiences/${uid}`, { definition: group(small) })).statusCode).toBe(200);
    expect((await create('Two', group(big('c'), big('d')))).statusCode).toBe(201);
    expectOverBudget(await call('POST', `audiences/${uid}/revisions/1/restore`, undefined, { 'if-match': '"2"' }), '76,008');
  });
});
