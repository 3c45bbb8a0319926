import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { createTestProject, type TestProject } from '../../test/test-project.js';

type Json = Record<string, unknown>;

const TEXT_PRESETS = ['COUNTRY', 'REGION', 'CITY', 'DEVICE_TYPE', 'OPERATING_SYSTEM', 'REFERRER'] as const;
const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\u0000'));
const number = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).filter((v) => !Object.is(v, -0));
const caseSensitive = fc.option(fc.boolean(), { nil: undefined });
const withOptional = <T extends Json>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const rule = (attribute: Json, condition: string, options?: Json): Json =>
  withOptional({ __type: 'Rule', attribute, attributeMatchCondition: condition, attributeMatchOptions: options, invertCondition: false });

/** Valid rules in the engine's normalized form, over presets and one custom attribute (`customUid`). */
function validRule(customUid: string): fc.Arbitrary<Json> {
  const preset = fc.constantFrom(...TEXT_PRESETS).map((ref) => ({ __type: 'PresetAttributeReference', ref }));
  const custom = fc.constant({ __type: 'CustomAttributeReference', ref: customUid });
  const base = fc.oneof(
    fc.tuple(fc.oneof(preset, custom), fc.constantFrom('STRING_EQUALS', 'CONTAINS_SUBSTRING', 'STRING_STARTS_WITH', 'STRING_ENDS_WITH'), text, caseSensitive).map(([a, c, value, cs]) =>
      rule(a, c, withOptional({ __type: 'StringMatchOptions', value, caseSensitive: cs })),
    ),
    fc.tuple(preset, fc.array(text, { minLength: 1, maxLength: 4 })).map(([a, values]) => rule(a, 'STRING_IN_LIST', { __type: 'StringListMatchOptions', values })),
    preset.map((a) => rule(a, 'HAS_ANY_VALUE')),
    fc.tuple(fc.constantFrom('NUMBER_EQUAL_TO', 'NUMBER_GREATER_THAN', 'NUMBER_LESS_THAN'), number).map(([c, value]) => rule({ __type: 'CustomAttributeReference', ref: customUid }, c, { __type: 'NumberMatchOptions', value })),
    fc.tuple(number, number).map(([a, b]) => rule({ __type: 'CustomAttributeReference', ref: customUid }, 'NUMBER_BETWEEN', { __type: 'NumberRangeMatchOptions', min: Math.min(a, b), max: Math.max(a, b) })),
    fc.constantFrom('IS_TRUE', 'IS_FALSE').map((c) => rule({ __type: 'CustomAttributeReference', ref: customUid }, c)),
    fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => rule({ __type: 'CustomAttributeReference', ref: customUid }, 'SEMVER_GREATER_THAN', { __type: 'SemverMatchOptions', value: `${a}.${b}.${c}` })),
    fc.tuple(text, fc.option(text, { nil: undefined })).map(([key, value]) =>
      rule({ __type: 'PresetAttributeReference', ref: 'QUERY_PARAMETERS' }, 'JSON_MATCH', withOptional({ __type: 'JsonMatchOptions', key, value })),
    ),
  );
  return fc.tuple(base, fc.boolean()).map(([r, invert]) => ({ ...r, invertCondition: invert }));
}

function validDefinition(customUid: string): fc.Arbitrary<Json> {
  const { tree } = fc.letrec<{ tree: Json; node: Json }>((tie) => ({
    tree: fc.record({
      __type: fc.constant('RuleCombination'),
      combinationType: fc.constantFrom('AND', 'OR'),
      rules: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
    }),
    node: fc.oneof({ depthSize: 'small', maxDepth: 3 }, validRule(customUid), tie('tree')),
  }));
  return tree;
}

/** One way to break a valid definition; each must be reported with at least one path. */
const MUTATIONS: Array<(def: Json) => unknown> = [
  (d) => ({ ...d, __type: 'Rule' }),
  (d) => ({ ...d, combinationType: 'XOR' }),
  (d) => ({ ...d, rules: 'none' }),
  (d) => ({ ...d, rules: [] }),
  (d) => ({ ...d, rules: [...(d.rules as unknown[]), { ...rule({ __type: 'PresetAttributeReference', ref: 'COUNTRY' }, 'STRING_CONTAINS', { __type: 'StringMatchOptions', value: 'x' }) }] }),
  (d) => ({ ...d, rules: [...(d.rules as unknown[]), rule({ __type: 'PresetAttributeReference', ref: 'BROWSER' }, 'HAS_ANY_VALUE')] }),
  (d) => ({ ...d, rules: [...(d.rules as unknown[]), rule({ __type: 'CustomAttributeReference', ref: 'f'.repeat(24) }, 'IS_TRUE')] }),
  (d) => ({ ...d, rules: [...(d.rules as unknown[]), { ...rule({ __type: 'PresetAttributeReference', ref: 'CITY' }, 'HAS_ANY_VALUE'), __type: 'Condition' }] }),
  (d) => ({ ...d, rules: [...(d.rules as unknown[]), rule({ __type: 'CustomAttributeReference', ref: 'x' }, 'NUMBER_LESS_THAN', { __type: 'NumberMatchOptions', value: '5' })] }),
  (d) => ({ ...d, rules: [...(d.rules as unknown[]), rule({ __type: 'PresetAttributeReference', ref: 'COUNTRY' }, 'STRING_EQUALS')] }),
  () => 42,
];

describe('audience definitions (property)', () => {
  let t: TestApp;
  let member: TestUser;
  let project: TestProject;
  let customUid: string;
  beforeAll(async () => {
    t = await createTestApp();
    member = await t.createUser('MEMBER');
    project = await createTestProject(t, { members: [{ user: member, role: 'MEMBER' }], limits: { audiences: 1000, rulesPerAudience: 100 } });
    customUid = String(json(await t.app.inject({ method: 'POST', url: '/api/attributes', headers: project.headersFor(member), payload: { name: 'Score', key: 'score' } })).uid);
  });
  afterAll(async () => {
    await t.close();
  });

  let n = 0;
  it('round-trips random valid definitions unchanged (create → get)', async () => {
    await fc.assert(
      fc.asyncProperty(validDefinition(customUid), async (definition) => {
        n += 1;
        const created = await t.app.inject({ method: 'POST', url: '/api/audiences', headers: project.headersFor(member), payload: { name: `Valid ${n}`, definition } });
        expect(created.statusCode, created.body).toBe(201);
        const fetched = json(await t.app.inject({ method: 'GET', url: `/api/audiences/${String(json(created).uid)}`, headers: project.headersFor(member) }));
        expect(fetched.definition).toEqual(definition);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects random invalid definitions with at least one path each, storing nothing', async () => {
    const before = await t.db.kysely.selectFrom('audience_revisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    await fc.assert(
      fc.asyncProperty(validDefinition(customUid), fc.nat(MUTATIONS.length - 1), async (definition, m) => {
        const broken = (MUTATIONS[m] as (d: Json) => unknown)(definition);
        const res = await t.app.inject({ method: 'POST', url: '/api/audiences', headers: project.headersFor(member), payload: { name: `Broken ${m}`, definition: broken } as Json });
        expect(res.statusCode, res.body).toBe(400);
        const paths = Object.keys(json<{ errors: Json }>(res).errors ?? {});
        expect(paths.length).toBeGreaterThan(0);
        for (const path of paths) expect(path).toMatch(/^definition/);
      }),
      { numRuns: 60 },
    );
    const after = await t.db.kysely.selectFrom('audience_revisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
