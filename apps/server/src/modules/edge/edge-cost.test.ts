import { explainDecision, type RuleCombination } from '@tailor/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';
import { edgeSeed, type EdgeSeed } from './edge-test-seed.js';

type Manifest = { experiences: Array<{ shortUid: string; activeVariantShortUid: string | null }> };

let t: TestApp;
let project: TestProject;
let seed: EdgeSeed;
let attribute: string;

beforeEach(async () => {
  t = await createTestApp();
  project = await createTestProject(t);
  seed = edgeSeed(t, project);
  attribute = await seed.attribute('s');
});
afterEach(async () => t.close());

function manifest(visitor: string, live?: Record<string, unknown>) {
  const headers: Record<string, string> = { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': visitor };
  if (live !== undefined) headers['x-live-attributes'] = JSON.stringify(live);
  return t.app.inject({ method: 'GET', url: '/edge/manifest', headers });
}

async function store(visitor: string, attributes: Record<string, string>): Promise<void> {
  const response = await t.app.inject({
    method: 'PATCH',
    url: '/edge/user-attributes',
    headers: { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': visitor },
    payload: attributes,
  });
  expect(response.statusCode).toBe(200);
}

const on = (condition: string, options: Record<string, unknown>, invertCondition = false) => ({
  __type: 'Rule' as const,
  attribute: { __type: 'CustomAttributeReference' as const, ref: attribute },
  attributeMatchCondition: condition,
  attributeMatchOptions: options,
  invertCondition,
});
const any = (...rules: Array<ReturnType<typeof on>>) => ({ __type: 'RuleCombination', combinationType: 'OR', rules }) as unknown as RuleCombination;

describe('x-live-attributes values', () => {
  it('refuses a value over 1 KB of a project attribute, naming its path', async () => {
    for (const value of ['x'.repeat(1025), 'é'.repeat(513)]) {
      const response = await manifest('v1', { s: value });
      expect(response.statusCode).toBe(400);
      const errors = json<{ errors: Record<string, string[]> }>(response).errors;
      expect(Object.keys(errors)).toEqual(['headers.x-live-attributes.s']);
      expect(errors['headers.x-live-attributes.s']?.[0]).toContain('at most 1024 bytes');
    }
  });

  it('accepts 1 KB exactly, and ignores long values of keys the project does not define', async () => {
    expect((await manifest('v1', { s: 'x'.repeat(1024) })).statusCode).toBe(200);
    expect((await manifest('v1', { lytics_audience: 'x'.repeat(4000) })).statusCode).toBe(200);
  });
});

describe('a project at its regex limits', () => {
  // 50 distinct patterns that keep 40 NFA states alive on every "a" and never match one: on a
  // 1 KB value of "a"s the first of them alone spends the decision's work budget.
  const heavy = () =>
    any(...Array.from({ length: 50 }, (_, k) => on('MATCHES_REGEX', { __type: 'RegexMatchOptions', pattern: `${'a?'.repeat(40)}z${k}`, caseSensitive: true })));
  // True for any value without "zzz": inverted, so it would match were it evaluated.
  const cheap = () => any(on('CONTAINS_SUBSTRING', { __type: 'StringMatchOptions', value: 'zzz' }, true));

  async function seedProject() {
    const first = await seed.segmented('First', [{ name: 'Cheap', audiences: [await seed.audience('Cheap first', cheap())] }]);
    const costly = await seed.segmented('Costly', [{ name: 'Heavy', audiences: [await seed.audience('Heavy', heavy())] }]);
    const last = await seed.segmented('Last', [{ name: 'Cheap', audiences: [await seed.audience('Cheap last', cheap())] }]);
    return { first, costly, last };
  }

  const variantsOf = (response: Awaited<ReturnType<typeof manifest>>) =>
    new Map(json<Manifest>(response).experiences.map((e) => [e.shortUid, e.activeVariantShortUid]));

  it('decides a short value exactly', async () => {
    const { first, costly, last } = await seedProject();
    await store('short', { s: 'aaz7' });
    const decided = variantsOf(await manifest('short'));
    expect(decided.get(first)).not.toBeNull();
    expect(decided.get(costly)).not.toBeNull();
    expect(decided.get(last)).not.toBeNull();
  });

  it('answers the largest stored value within budget: rules left when it runs out do not match, inverted or not, every time alike', async () => {
    const { first, costly, last } = await seedProject();
    await store('long', { s: 'a'.repeat(1024) });
    const response = await manifest('long');
    expect(response.statusCode).toBe(200);
    const decided = variantsOf(response);
    expect(decided.get(first)).not.toBeNull();
    expect(decided.get(costly)).toBeNull();
    expect(decided.get(last)).toBeNull();
    expect((await manifest('long')).body).toBe(response.body);
  });

  it('bounds live values the same way, and the console explains where the budget ran out', async () => {
    const { last } = await seedProject();
    const live = await manifest('live', { s: 'a'.repeat(1024) });
    expect(variantsOf(live).get(last)).toBeNull();
    const snapshot = await t.app.services.decisions.get(project.uid);
    if (snapshot === null) throw new Error('no snapshot');
    const explained = explainDecision(snapshot.engine, 'live', { attributes: { s: 'a'.repeat(1024) }, presets: {}, now: t.clock.now().getTime() });
    expect(explained.find((e) => e.shortUid === last)?.steps.join(' ')).toContain('work budget');
  });
});
