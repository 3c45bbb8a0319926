import type { TestApp } from '../../test/test-app.js';
import type { TestProject } from '../../test/test-project.js';

/**
 * Test fixtures for project moves (the Contentstack CLI round trip and Tailor's own export/import):
 * a project with every kind of reference, and a uid-free snapshot to compare two projects by.
 */

type Json = Record<string, unknown>;

async function call(t: TestApp, project: TestProject, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<Json & Json[]> {
  const res = await t.app.inject({ method, url, headers: project.headersFor(t.owner), ...(payload === undefined ? {} : { payload: payload as object }) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} failed: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body) as Json & Json[];
}

function rule(attribute: { __type: string; ref: string }, condition: string, options: Json | undefined, invert = false): Json {
  return {
    __type: 'Rule',
    attribute,
    attributeMatchCondition: condition,
    ...(options ? { attributeMatchOptions: options } : {}),
    invertCondition: invert,
  };
}

const custom = (ref: string) => ({ __type: 'CustomAttributeReference', ref });
const preset = (ref: string) => ({ __type: 'PresetAttributeReference', ref });

export interface SeededProject {
  attributes: { plan: string; age: string };
  audiences: { gold: string; nested: string; us: string };
  events: { click: string; purchase: string };
  experiences: { hero: string; checkout: string };
}

/**
 * Attributes, audiences (one with nested groups and custom-attribute references), events, a
 * segmented and an A/B experience each with an ACTIVE and a DRAFT version, and a priority order
 * different from the creation order.
 */
export async function seedInteropProject(t: TestApp, project: TestProject): Promise<SeededProject> {
  const plan = (await call(t, project, 'POST', '/api/attributes', { key: 'plan', name: 'Plan', description: 'Subscription plan' })).uid as string;
  const age = (await call(t, project, 'POST', '/api/attributes', { key: 'age', name: 'Age', description: '' })).uid as string;
  const audience = async (name: string, definition: Json) => (await call(t, project, 'POST', '/api/audiences', { name, description: `${name} visitors`, definition })).uid as string;
  const gold = await audience('Gold', {
    __type: 'RuleCombination',
    combinationType: 'AND',
    rules: [rule(custom(plan), 'STRING_EQUALS', { __type: 'StringMatchOptions', value: 'gold' })],
  });
  const nested = await audience('Nested', {
    __type: 'RuleCombination',
    combinationType: 'OR',
    rules: [
      rule(preset('COUNTRY'), 'STRING_EQUALS', { __type: 'StringMatchOptions', value: 'US' }),
      {
        __type: 'RuleCombination',
        combinationType: 'AND',
        rules: [
          rule(custom(age), 'NUMBER_GREATER_THAN', { __type: 'NumberMatchOptions', value: 30 }),
          rule(custom(plan), 'STRING_EQUALS', { __type: 'StringMatchOptions', value: 'silver' }, true),
        ],
      },
    ],
  });
  const us = await audience('US', {
    __type: 'RuleCombination',
    combinationType: 'AND',
    rules: [rule(preset('COUNTRY'), 'STRING_EQUALS', { __type: 'StringMatchOptions', value: 'US' })],
  });
  const click = (await call(t, project, 'POST', '/api/events', { key: 'clickCTA', description: 'Hero button' })).uid as string;
  const purchase = (await call(t, project, 'POST', '/api/events', { key: 'purchase', description: '' })).uid as string;

  const hero = await call(t, project, 'POST', '/api/experiences', { name: 'Hero', description: 'Homepage hero', __type: 'SEGMENTED', tags: ['home'] });
  await call(t, project, 'PUT', `/api/experiences/${hero.uid as string}/versions/${hero.latestVersion as string}`, {
    status: 'ACTIVE',
    variants: [
      { name: 'Gold hero', audiences: [gold], audienceCombinationType: 'OR' },
      { name: 'Nested hero', audiences: [nested, us], audienceCombinationType: 'AND' },
    ],
  });
  await call(t, project, 'POST', `/api/experiences/${hero.uid as string}/versions`, {
    status: 'DRAFT',
    variants: [
      { shortUid: '1', name: 'Nested hero v2', audiences: [nested], audienceCombinationType: 'OR' },
      { shortUid: '0', name: 'Gold hero', audiences: [gold], audienceCombinationType: 'OR' },
    ],
  });

  const checkout = await call(t, project, 'POST', '/api/experiences', { name: 'Checkout test', description: '', __type: 'AB_TEST' });
  await call(t, project, 'PUT', `/api/experiences/${checkout.uid as string}/versions/${checkout.latestVersion as string}`, {
    status: 'ACTIVE',
    variants: [
      { name: 'Control', trafficDistribution: 30 },
      { name: 'Treatment', trafficDistribution: 70 },
    ],
    variantSplit: 'CUSTOM',
    targeting: { audience: { audiences: [us], audienceCombinationType: 'OR' } },
    metrics: [{ __type: 'Primary', event: purchase }],
  });
  await call(t, project, 'POST', `/api/experiences/${checkout.uid as string}/versions`, {
    status: 'DRAFT',
    variants: [
      { shortUid: '0', name: 'Control', trafficDistribution: 50 },
      { shortUid: '1', name: 'Treatment', trafficDistribution: 50 },
    ],
    variantSplit: 'CUSTOM',
    targeting: { audience: { audiences: [gold, us], audienceCombinationType: 'AND' } },
    metrics: [
      { __type: 'Primary', event: purchase },
      { __type: 'Secondary', event: click, name: 'Hero clicks' },
    ],
  });
  await call(t, project, 'PUT', '/api/experiences-priority', { priorityOrder: [checkout.uid, hero.uid] });
  return {
    attributes: { plan, age },
    audiences: { gold, nested, us },
    events: { click, purchase },
    experiences: { hero: hero.uid as string, checkout: checkout.uid as string },
  };
}

/** Replaces every uid in a JSON value by a stable name via `names` (uids it does not know stay). */
function renameUids(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return names.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => renameUids(v, names));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renameUids(v, names)]));
  return value;
}

/**
 * The project as seen through the Management API, with every uid replaced by the name of what it
 * points at: two projects are "equal up to uids" when their snapshots are equal. Archived versions
 * are left out (neither the CLI nor Tailor's import re-creates history as live versions).
 */
export async function projectSnapshot(t: TestApp, project: TestProject) {
  const attributes = (await call(t, project, 'GET', '/api/attributes')).filter((a) => a.__type !== 'PRESET');
  const audiences = await call(t, project, 'GET', '/api/audiences');
  const events = await call(t, project, 'GET', '/api/events');
  const experiences = await call(t, project, 'GET', '/api/experiences');
  const names = new Map<string, string>([
    ...attributes.map((a): [string, string] => [a.uid as string, `attribute:${a.key as string}`]),
    ...audiences.map((a): [string, string] => [a.uid as string, `audience:${a.name as string}`]),
    ...events.map((e): [string, string] => [e.uid as string, `event:${e.key as string}`]),
  ]);
  const byName = <T extends Json>(list: T[], key: string) => [...list].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
  const out = {
    attributes: byName(attributes, 'key').map((a) => ({ key: a.key, name: a.name, description: a.description })),
    audiences: byName(audiences, 'name').map((a) => ({ name: a.name, description: a.description, definition: renameUids(a.definition, names) })),
    events: byName(events, 'key').map((e) => ({ key: e.key, description: e.description })),
    experiences: [] as Json[],
  };
  for (const e of experiences) {
    const versions = (await call(t, project, 'GET', `/api/experiences/${e.uid as string}/versions`)).filter((v) => v.status !== 'ARCHIVED');
    out.experiences.push({
      name: e.name,
      description: e.description,
      __type: e.__type,
      status: e.status,
      tags: e.tags,
      priority: e.priority,
      variantShortUids: Object.keys((e._cms as { variants?: Json } | undefined)?.variants ?? {}),
      versions: versions
        .map((v) => renameUids({ status: v.status, variants: v.variants, targeting: v.targeting, metrics: v.metrics, variantSplit: v.variantSplit }, names))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    });
  }
  return out;
}
